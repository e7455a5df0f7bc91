"""The web pages and forms, driven through Django's test client."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import (
    Attachment,
    EvidenceItem,
    Indicator,
    Innovation,
    Membership,
    MentoringSession,
    Stage,
    Urusan,
)
from tests.factories import (
    Org,
    advance,
    fill_packaging,
    log_session,
    make_unit,
    make_user,
    new_innovation,
    pdf,
)
from workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def detail(innovation) -> str:
    return reverse("portal:innovation-detail", args=[innovation.pk])


def action_url(innovation, action: str) -> str:
    return reverse("portal:innovation-action", args=[innovation.pk, action])


def test_login_page_is_indonesian_and_logs_in(client, org):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "Masuk" in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": org.operator.username, "password": "rahasia123"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_pages_need_login(client):
    response = client.get("/innovations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def my_tasks(html: str) -> str:
    """The "Tugas saya" card of a home page."""
    start = html.index('id="my-tasks-card"')
    return html[start : html.index("</div>", start)]


def test_home_lists_cases_waiting_for_me_oldest_first(client, org):
    first = new_innovation(org, name="Inovasi Pertama")
    second = new_innovation(org, name="Inovasi Kedua")
    submitted = advance(org, new_innovation(org, name="Sudah Diajukan"), Stage.PROPOSAL_GATE)
    client.force_login(org.operator)
    html = my_tasks(client.get("/").content.decode())
    assert html.index("Inovasi Pertama") < html.index("Inovasi Kedua")
    assert "Sudah Diajukan" not in html  # waits for the head now
    client.force_login(org.head)
    html = my_tasks(client.get("/").content.decode())
    assert "Sudah Diajukan" in html
    assert "Inovasi Pertama" not in html  # waits for the operator, not the head
    client.force_login(org.mentor)
    assert "Inovasi Pertama" not in client.get("/").content.decode()
    assert {first.pk, second.pk, submitted.pk}


def test_home_for_verifier_skips_cases_they_mentored(client, org):
    innovation = advance(org, new_innovation(org, name="Siap Verifikasi"), Stage.VERIFICATION)
    client.force_login(org.verifier)
    assert "Siap Verifikasi" in client.get("/").content.decode()
    MentoringSession.objects.create(
        innovation=innovation,
        mentor=org.verifier,
        date=dt.date(2026, 3, 1),
        mode="daring",
        topic="x",
    )
    assert "Siap Verifikasi" not in client.get("/").content.decode()


def test_list_filters_and_scope(client, org):
    other = Org()
    new_innovation(org, name="Aplikasi Antrean")
    new_innovation(org, name="Posyandu Digital")
    new_innovation(other, name="Milik Unit Lain")
    client.force_login(org.operator)
    html = client.get("/innovations/").content.decode()
    assert "Aplikasi Antrean" in html and "Posyandu Digital" in html
    assert "Milik Unit Lain" not in html
    html = client.get("/innovations/", {"q": "antrean"}).content.decode()
    assert "Aplikasi Antrean" in html and "Posyandu Digital" not in html
    html = client.get("/innovations/", {"stage": "mentoring"}).content.decode()
    assert "Aplikasi Antrean" not in html
    client.force_login(org.admin)
    html = client.get("/innovations/", {"unit": other.unit.code}).content.decode()
    assert "Milik Unit Lain" in html and "Aplikasi Antrean" not in html
    html = client.get("/innovations/", {"mentor": org.mentor.username, "year": "2026"})
    assert "Aplikasi Antrean" in html.content.decode()
    assert "pi-chip--proposal" in html.content.decode()


def _list_queries(client, user) -> int:
    client.force_login(user)
    client.get("/innovations/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/innovations/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, org):
    for _ in range(3):
        new_innovation(org)
    few = _list_queries(client, org.admin)
    for _ in range(27):
        new_innovation(org)
    many = _list_queries(client, org.admin)
    assert Innovation.objects.count() == 30
    assert many == few


def test_list_paginates(client, org):
    for n in range(27):
        new_innovation(org, name=f"Inovasi Nomor {n:02d}")
    client.force_login(org.admin)
    html = client.get("/innovations/").content.decode()
    assert "Halaman 1 dari 2" in html
    html = client.get("/innovations/", {"page": 2}).content.decode()
    assert "Inovasi Nomor 00" in html


def test_detail_shows_profile_history_chart_and_my_actions(client, org):
    innovation = advance(org, new_innovation(org, name="Kasus Lengkap"), Stage.PROPOSAL_GATE)
    client.force_login(org.head)
    response = client.get(detail(innovation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kasus Lengkap" in html
    assert "Persetujuan usulan" in html  # stage chip
    assert "Menunggu: Kepala OPD" in html
    assert "<svg" in html  # viewflow's process chart, inline
    assert 'data-action="approve"' in html and 'data-action="return"' in html
    assert 'data-action="withdraw"' in html
    assert 'data-action="reject"' not in html  # admin only
    assert "Ajukan" in html  # history: the operator's submit
    client.force_login(org.operator)
    html = client.get(detail(innovation)).content.decode()
    assert 'data-action="' not in html  # nothing for the operator at the head gate


def test_other_units_operator_gets_403(client, org):
    innovation = new_innovation(org)
    stranger = Org()
    client.force_login(stranger.operator)
    assert client.get(detail(innovation)).status_code == 403
    assert client.post(action_url(innovation, "submit")).status_code == 403
    assert client.get(reverse("portal:innovation-edit", args=[innovation.pk])).status_code == 403


def test_action_moves_case_and_redirects(client, org):
    innovation = new_innovation(org)
    client.force_login(org.operator)
    response = client.post(action_url(innovation, "submit"), {"comment": ""})
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PROPOSAL_GATE
    # The snackbar says what happened and who the case waits for now.
    html = client.get(response["Location"]).content.decode()
    assert "Usulan diajukan; menunggu persetujuan Kepala OPD." in html
    assert "tahap sekarang" not in html


def test_get_on_an_action_url_goes_to_the_case(client, org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    client.force_login(org.head)
    response = client.get(action_url(innovation, "return"))
    assert response.status_code == 302 and response["Location"] == detail(innovation)


def test_a_failed_action_keeps_the_comment_for_the_next_one(client, org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    client.force_login(org.verifier)
    # Accept refused (nothing reviewed yet): the comment comes back in the one box.
    response = client.post(action_url(innovation, "accept"), {"comment": "Cek ulang SK."})
    assert response.status_code == 302 and response["Location"].endswith("#actions")
    page = client.get(detail(innovation)).content.decode()
    assert "Cek ulang SK." in page and 'id="action-error"' in page
    assert page.count('name="comment"') == 1


def test_case_page_has_one_action_panel_with_the_ending_actions_apart(client, org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    client.force_login(org.head)
    html = client.get(detail(innovation)).content.decode()
    assert html.count("<textarea") == 1
    panel = html[html.index('id="danger-zone"') :]
    assert 'data-action="withdraw"' in panel and 'data-action="return"' not in panel
    assert 'data-confirm="' in panel


def test_review_saves_as_json_for_the_page_script_and_shows_in_the_controls(client, org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    item = innovation.evidence.first()
    client.force_login(org.verifier)
    url = reverse("portal:evidence-review", args=[item.pk])
    bad = client.post(url, {f"r{item.pk}-valid": "0"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "note" in bad.json()["errors"]
    ok = client.post(
        url, {f"r{item.pk}-valid": "0", f"r{item.pk}-note": "Buram"}, HTTP_ACCEPT="application/json"
    )
    assert ok.status_code == 200 and ok.json()["review"] == "invalid"
    # Without the script: back to the item's anchor.
    plain = client.post(url, {f"r{item.pk}-valid": "0", f"r{item.pk}-note": "Buram lagi"})
    assert plain["Location"].endswith(f"#evidence-{item.pk}")
    assert client.get(url)["Location"].endswith(f"#evidence-{item.pk}")
    html = client.get(detail(innovation)).content.decode()
    assert f'name="r{item.pk}-valid" value="0"' in html and "checked" in html
    assert "Buram lagi</textarea>" in html


def test_mark_rest_valid_page(client, org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    client.force_login(org.verifier)
    url = reverse("portal:evidence-mark-rest-valid", args=[innovation.pk])
    response = client.post(url, follow=True)
    assert "ditandai valid" in response.content.decode()
    assert not innovation.evidence.exclude(review="valid").exists()
    client.force_login(org.operator)
    assert client.post(url).status_code == 403


def test_return_without_comment_goes_back_to_the_case_with_the_error_and_writes_nothing(
    client, org
):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    events = CaseEvent.objects.count()
    client.force_login(org.head)
    response = client.post(action_url(innovation, "return"), {"comment": "  "})
    # Never left on the action's address: back to the case, the error beside the one box.
    assert response.status_code == 302
    assert response["Location"] == detail(innovation) + "#actions"
    html = client.get(detail(innovation)).content.decode()
    assert "Komentar wajib diisi" in html
    assert 'id="id_comment_errors"' in html
    # Shown once: a reload shows the page without it.
    assert "Komentar wajib diisi" not in client.get(detail(innovation)).content.decode()
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PROPOSAL_GATE
    assert CaseEvent.objects.count() == events


def test_guard_failure_lists_field_errors(client, org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    client.force_login(org.mentor)
    html = client.post(action_url(innovation, "complete"), follow=True).content.decode()
    assert "Catat minimal satu sesi pendampingan" in html
    assert "Sesi pendampingan" in html
    innovation.refresh_from_db()
    assert innovation.stage == Stage.MENTORING


def test_forbidden_action_shows_message_with_403(client, org):
    innovation = new_innovation(org)
    client.force_login(org.mentor)
    response = client.post(action_url(innovation, "submit"))
    assert response.status_code == 403
    assert "tidak berwenang" in response.content.decode()


def test_create_innovation_defaults_to_my_unit(client, org):
    client.force_login(org.operator)
    page = client.get("/innovations/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == org.unit.pk
    urusan, related = Urusan.objects.get(code="kesehatan"), Urusan.objects.get(code="sosial")
    response = client.post(
        "/innovations/new/",
        {
            "unit": org.unit.pk,
            "year": 2026,
            "name": "Si Cepat",
            "bentuk": "pelayanan_publik",
            "jenis": "digital",
            "inisiator": "asn",
            "main_urusan": urusan.pk,
            "related_urusan": [related.pk],
        },
    )
    innovation = Innovation.objects.get(name="Si Cepat")
    assert response.status_code == 302
    assert response["Location"] == detail(innovation)
    assert innovation.stage == Stage.PROPOSAL and innovation.created_by == org.operator
    assert list(innovation.related_urusan.all()) == [related]
    assert innovation.process is not None


def test_create_rejects_other_unit_and_missing_fields(client, org):
    other_unit = make_unit()
    client.force_login(org.operator)
    response = client.post("/innovations/new/", {"unit": other_unit.pk, "year": 2026})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert response.context["form"].errors["name"]
    assert not Innovation.objects.exists()


def test_create_is_for_opd_people_only(client, org):
    client.force_login(org.mentor)
    assert client.get("/innovations/new/").status_code == 403


def test_edit_offers_only_editable_fields(client, org):
    innovation = new_innovation(org)
    client.force_login(org.operator)
    form = client.get(reverse("portal:innovation-edit", args=[innovation.pk])).context["form"]
    assert "tujuan" in form.fields and "report_results" not in form.fields
    innovation = advance(org, innovation, Stage.REPORTING)
    page = client.get(reverse("portal:innovation-edit", args=[innovation.pk]))
    assert set(page.context["form"].fields) == {
        "hasil",
        "report_results",
        "report_beneficiaries",
        "report_national_ref",
    }
    response = client.post(
        reverse("portal:innovation-edit", args=[innovation.pk]),
        {
            "hasil": "Baik",
            "report_results": "Berjalan",
            "report_beneficiaries": "50",
            "report_national_ref": "IID-1",
            "name": "Nama Baru Diabaikan",
        },
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.report_beneficiaries == 50
    assert innovation.name != "Nama Baru Diabaikan"


def test_edit_shows_service_errors_on_fields(client, org):
    innovation = new_innovation(org)
    client.force_login(org.operator)
    url = reverse("portal:innovation-edit", args=[innovation.pk])
    data = client.get(url).context["form"].initial
    payload = {k: v for k, v in data.items() if v is not None and k != "related_urusan"}
    payload.update(maturity="penerapan", trial_date="", implementation_date="")
    response = client.post(url, payload)
    assert response.status_code == 200
    assert response.context["form"].errors["trial_date"]
    innovation.refresh_from_db()
    assert innovation.maturity == "inisiatif"


def test_head_gate_people_cannot_edit(client, org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    client.force_login(org.operator)
    assert client.get(reverse("portal:innovation-edit", args=[innovation.pk])).status_code == 403


def test_log_session_with_follow_ups(client, org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    client.force_login(org.mentor)
    url = reverse("portal:session-create", args=[innovation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "date": "2026-03-02",
            "mode": "daring",
            "topic": "Menyusun profil",
            "notes": "",
            "fu-TOTAL_FORMS": "3",
            "fu-INITIAL_FORMS": "0",
            "fu-0-description": "Kirim SK tim",
            "fu-0-due_date": "2026-03-10",
            "fu-1-description": "",
            "fu-1-due_date": "",
            "fu-2-description": "Tanpa tenggat",
            "fu-2-due_date": "",
        },
    )
    assert response.status_code == 200  # the row without a due date is refused
    assert not MentoringSession.objects.exists()
    response = client.post(
        url,
        {
            "date": "2026-03-02",
            "mode": "daring",
            "topic": "Menyusun profil",
            "fu-TOTAL_FORMS": "1",
            "fu-INITIAL_FORMS": "0",
            "fu-0-description": "Kirim SK tim",
            "fu-0-due_date": "2026-03-10",
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert [f.description for f in session.follow_ups.all()] == ["Kirim SK tim"]
    assert "Kirim SK tim" in client.get(detail(innovation)).content.decode()


def test_operator_cannot_log_session(client, org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    client.force_login(org.operator)
    assert client.get(reverse("portal:session-create", args=[innovation.pk])).status_code == 403


def test_upload_evidence_and_attachment(client, org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    indicator = Indicator.objects.filter(year=2026, mandatory=True).first()
    client.force_login(org.operator)
    url = reverse("portal:evidence-create", args=[innovation.pk])
    response = client.post(
        url, {"indicator": indicator.pk, "parameter": "2", "file": pdf(), "description": "SK"}
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    html = client.get(detail(innovation)).content.decode()
    assert reverse("portal:evidence-file", args=[item.pk]) in html
    assert client.get(reverse("portal:evidence-file", args=[item.pk])).status_code == 200
    # A file that is not what it claims to be is refused with the field named.
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"indicator": indicator.pk, "parameter": "1", "file": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert EvidenceItem.objects.count() == 1
    response = client.post(
        reverse("portal:attachment-create", args=[innovation.pk]),
        {"kind": "anggaran", "file": pdf("dpa.pdf")},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "dpa.pdf"


def test_review_evidence_needs_note_when_invalid(client, org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    item = EvidenceItem.objects.filter(innovation=innovation).first()
    client.force_login(org.verifier)
    html = client.get(detail(innovation)).content.decode()
    assert reverse("portal:evidence-review", args=[item.pk]) in html
    url = reverse("portal:evidence-review", args=[item.pk])
    response = client.post(url, {f"r{item.pk}-valid": "0", f"r{item.pk}-note": ""})
    assert response.status_code == 200
    assert "Jelaskan mengapa data dukung tidak valid" in response.content.decode()
    item.refresh_from_db()
    assert item.review == "pending"
    response = client.post(url, {f"r{item.pk}-valid": "0", f"r{item.pk}-note": "Buram"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.review, item.review_note) == ("invalid", "Buram")
    client.force_login(org.mentor)
    response = client.post(url, {f"r{item.pk}-valid": "1"})
    assert response.status_code == 403


def test_verifier_can_lower_the_parameter_but_not_raise_it(client, org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    item = EvidenceItem.objects.filter(innovation=innovation).first()  # chosen parameter 2
    client.force_login(org.verifier)
    url = reverse("portal:evidence-review", args=[item.pk])
    response = client.post(url, {f"r{item.pk}-valid": "1", f"r{item.pk}-verified_parameter": "3"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.review, item.verified_parameter) == ("pending", None)
    response = client.post(url, {f"r{item.pk}-valid": "1", f"r{item.pk}-verified_parameter": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.review, item.verified_parameter) == ("valid", 1)


def test_viewflow_process_pages_lead_to_the_case_page(client, org):
    innovation = new_innovation(org)
    process_url = f"/innovation/{innovation.process.pk}/"
    client.force_login(org.operator)
    response = client.get(process_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:innovation-detail", args=[innovation.pk])
    # The engine's second inbox leads to "Tugas saya", its board to the innovation list.
    assert client.get("/innovation/inbox/")["Location"] == reverse("portal:home")
    assert client.get("/innovation/")["Location"] == reverse("portal:innovation-list")
    stranger = Org()
    client.force_login(stranger.operator)
    assert client.get(process_url).status_code == 403
    assert client.get(f"/innovation/{innovation.process.pk}/chart/").status_code == 403


def test_english_switch(client, org):
    client.force_login(org.operator)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "My tasks" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Tugas saya" in client.get("/").content.decode()


def test_menu_has_one_application_and_is_translated(client, org):
    client.force_login(org.operator)
    html = client.get("/").content.decode()
    assert "Daftar inovasi" in html and "Keluar" in html
    # viewflow's engine app ("Kasus inovasi") is not offered next to the portal.
    assert "Kasus inovasi" not in html


def test_membership_fixture_sanity(org):
    assert Membership.objects.filter(user=org.operator).exists()
    assert make_user  # factories import used
    assert fill_packaging and log_session


@pytest.mark.django_db
def test_viewflow_manage_actions_cannot_move_a_case(client, org):
    from tests.factories import new_innovation

    innovation = new_innovation(org)
    process = innovation.process
    client.force_login(org.admin)
    response = client.post(f"/innovation/{process.pk}/cancel/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:innovation-detail", args=[innovation.pk])
    task = process.task_set.get(status="ASSIGNED")
    assert not task.flow_task.can_cancel(org.admin, task)
    innovation.refresh_from_db()
    process.refresh_from_db()
    assert innovation.stage == "proposal" and process.status == "NEW"


def test_viewflow_task_pages_are_scoped(client, org):
    innovation = new_innovation(org)
    task = innovation.process.task_set.get(status="ASSIGNED")
    detail_url = f"/innovation/{innovation.process.pk}/{task.flow_task.name}/{task.pk}/detail/"
    client.force_login(org.operator)
    assert client.get(detail_url).status_code == 200
    # The engine's task list is not a page of its own: it leads to "Tugas saya".
    assert client.get("/innovation/tasks/")["Location"] == reverse("portal:home")
    stranger = Org()
    client.force_login(stranger.operator)
    assert client.get(detail_url).status_code == 403


def test_the_menu_offers_tasks_and_substitutes_only_to_those_who_use_them(client, org):
    """An observer acts on nothing and names no one: their first item is the home ("Beranda"),
    and the substitutes page is not offered; a head gets both."""
    menu = 'id="menu-substitutions"'
    client.force_login(org.observer)
    page = client.get(reverse("portal:innovation-list")).content.decode()
    assert "Beranda" in page and "Tugas saya" not in page and menu not in page
    client.force_login(org.head)
    page = client.get(reverse("portal:innovation-list")).content.decode()
    assert "Tugas saya" in page and menu in page
    client.force_login(org.operator)
    page = client.get(reverse("portal:innovation-list")).content.decode()
    assert "Tugas saya" in page and menu not in page
