"""Issue 12, the mentor's bullets: a follow-up is ticked done (and opened again) by the case's
mentor or the unit's people, in the service, the API and the page; a session records its
attendees and its photos and documents, checked like evidence and served only to the case's
viewers."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ActionForbidden, GuardFailed
from dashboards import selectors as dashboards
from mentoring.models import FollowUp, MentoringSession, SessionAttendee, SessionFile, Stage
from tests.api.conftest import bearer
from tests.factories import PDF_BYTES, Org, advance, new_innovation, pdf
from workflow import services

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\x9f\xa1\x1f\x00\x05\x00\x02\x7f\xa5\xa4"
    b"\xd6\xf3\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def case(org):
    """A case in mentoring with one session and its follow-up, long past its date."""
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    services.log_session(
        user=org.mentor,
        innovation_id=innovation.pk,
        date=dt.date(org.year, 3, 1),
        mode="tatap_muka",
        topic="Klinik inovasi",
        follow_ups=[services.FollowUpInput("Lengkapi SK tim", dt.date(org.year, 3, 15))],
    )
    return innovation


def follow_up_of(case) -> FollowUp:
    return FollowUp.objects.get(session__innovation=case)


# --- the service ------------------------------------------------------------------------------


def test_the_mentor_ticks_a_follow_up_done_and_opens_it_again(org, case):
    item = services.set_follow_up_done(
        user=org.mentor, follow_up_id=follow_up_of(case).pk, done=True
    )
    item.refresh_from_db()
    assert item.done and item.done_by == org.mentor and item.done_at is not None
    item = services.set_follow_up_done(user=org.mentor, follow_up_id=item.pk, done=False)
    item.refresh_from_db()
    assert (item.done, item.done_by, item.done_at) == (False, None, None)


@pytest.mark.parametrize("role", ["operator", "head"])
def test_the_units_people_may_tick_it_too(org, case, role):
    person = getattr(org, role)
    assert services.set_follow_up_done(user=person, follow_up_id=follow_up_of(case).pk, done=True)
    assert follow_up_of(case).done_by == person


@pytest.mark.parametrize("role", ["verifier", "observer", "admin"])
def test_others_may_not(org, case, role):
    with pytest.raises(ActionForbidden):
        services.set_follow_up_done(
            user=getattr(org, role), follow_up_id=follow_up_of(case).pk, done=True
        )
    stranger = Org()
    with pytest.raises(ActionForbidden):
        services.set_follow_up_done(
            user=stranger.mentor, follow_up_id=follow_up_of(case).pk, done=True
        )
    assert not follow_up_of(case).done


def test_a_done_follow_up_leaves_the_mentors_late_list(org, case):
    today = dt.date(org.year, 4, 1)
    board = dashboards.mentor_dashboard(user=org.mentor, year=org.year, today=today)
    assert [row.description for row in board.late_follow_ups] == ["Lengkapi SK tim"]
    assert board.units[0].next_follow_up_late
    services.set_follow_up_done(user=org.mentor, follow_up_id=follow_up_of(case).pk, done=True)
    board = dashboards.mentor_dashboard(user=org.mentor, year=org.year, today=today)
    assert board.late_follow_ups == ()
    assert board.units[0].next_follow_up == ""


# --- the API ----------------------------------------------------------------------------------


def test_api_marks_a_follow_up_done(org, case):
    url = reverse("api:follow-up-detail", args=[follow_up_of(case).pk])
    response = bearer(org.mentor).patch(url, {"done": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["done"] is True
    response = bearer(org.operator).patch(url, {"done": False}, format="json")
    assert response.status_code == 200 and response.json()["done"] is False


def test_api_refuses_others_bad_bodies_and_missing_items(org, case):
    url = reverse("api:follow-up-detail", args=[follow_up_of(case).pk])
    assert bearer(org.observer).patch(url, {"done": True}, format="json").status_code == 403
    response = bearer(org.mentor).patch(url, {"done": "kadang"}, format="json")
    assert response.status_code == 400 and "done" in response.json()["errors"]
    assert bearer(org.mentor).patch(url, {}, format="json").status_code == 400
    missing = reverse("api:follow-up-detail", args=[follow_up_of(case).pk + 1000])
    assert bearer(org.mentor).patch(missing, {"done": True}, format="json").status_code == 404
    assert not follow_up_of(case).done


def test_the_follow_up_operation_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/v1/follow-ups/{id}/"]["patch"]
    assert {"200", "400", "403", "404"} <= set(operation["responses"])


# --- the page ---------------------------------------------------------------------------------


def test_the_case_page_has_the_switch_for_the_mentor_and_the_unit_only(client, org, case):
    item = follow_up_of(case)
    action = reverse("portal:follow-up-done", args=[item.pk])
    for person, shown in ((org.mentor, True), (org.operator, True), (org.observer, False)):
        client.force_login(person)
        html = client.get(reverse("portal:innovation-detail", args=[case.pk])).content.decode()
        assert (action in html) == shown
    client.force_login(org.observer)
    assert client.post(action, {"done": "on"}).status_code == 403
    client.force_login(org.mentor)
    response = client.post(action, {"done": "on", "next": "home"})
    assert response.status_code == 302 and response["Location"].startswith("/")
    assert follow_up_of(case).done


# --- attendees and files ----------------------------------------------------------------------


def log(org, case, **extra) -> MentoringSession:
    return services.log_session(
        user=org.mentor,
        innovation_id=case.pk,
        date=dt.date(org.year, 3, 2),
        mode="daring",
        topic="Menyusun profil",
        **extra,
    )


def test_a_session_records_attendees_and_files(org, case):
    photo = SimpleUploadedFile("foto kegiatan.png", PNG, content_type="image/png")
    session = log(
        org,
        case,
        attendees=[
            services.AttendeeInput(" Siti Aminah ", "Sekretaris dinas"),
            services.AttendeeInput("Budi", ""),
        ],
        files=[photo, pdf("notulen.pdf")],
    )
    assert [(a.name, a.role) for a in session.attendees.all()] == [
        ("Siti Aminah", "Sekretaris dinas"),
        ("Budi", ""),
    ]
    files = list(session.files.all())
    assert [(f.download_name, f.is_photo) for f in files] == [
        ("foto kegiatan.png", True),
        ("notulen.pdf", False),
    ]
    assert all(f.innovation_id == case.pk and f.uploaded_by == org.mentor for f in files)
    # Stored under a fresh name, as evidence is.
    assert "foto" not in files[0].file.name


@pytest.mark.parametrize(
    ("attendees", "field"),
    [
        ([services.AttendeeInput("  ", "Kepala seksi")], "attendees.0.name"),
        ([services.AttendeeInput("Budi"), services.AttendeeInput("x" * 151)], "attendees.1.name"),
        ([services.AttendeeInput("Budi", "r" * 151)], "attendees.0.role"),
        ([services.AttendeeInput(f"Peserta {n}") for n in range(51)], "attendees"),
    ],
)
def test_attendees_are_checked(org, case, attendees, field):
    with pytest.raises(GuardFailed) as error:
        log(org, case, attendees=attendees)
    assert field in error.value.fields
    assert MentoringSession.objects.filter(innovation=case).count() == 1  # the fixture's only


def test_files_are_checked_by_content(org, case):
    script = SimpleUploadedFile("foto.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(GuardFailed) as error:
        log(org, case, files=[pdf(), script])
    assert "foto.png" in error.value.fields["files"][0]
    assert not SessionFile.objects.exists() and not SessionAttendee.objects.exists()
    with pytest.raises(GuardFailed) as error:
        log(org, case, files=[pdf() for _ in range(11)])
    assert "files" in error.value.fields


def test_session_files_are_served_only_to_the_cases_viewers(client, org, case):
    session = log(org, case, files=[pdf("daftar-hadir.pdf")])
    url = reverse("portal:session-file", args=[session.files.get().pk])
    client.force_login(org.head)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(Org().operator)
    assert client.get(url).status_code == 403


def test_the_session_page_takes_attendees_and_files(client, org, case):
    client.force_login(org.mentor)
    url = reverse("portal:session-create", args=[case.pk])
    data = {
        "date": f"{org.year}-03-05",
        "mode": "tatap_muka",
        "topic": "Klinik inovasi kedua",
        "fu-TOTAL_FORMS": "0",
        "fu-INITIAL_FORMS": "0",
        "att-TOTAL_FORMS": "2",
        "att-INITIAL_FORMS": "0",
        "att-0-name": "Siti Aminah",
        "att-0-role": "Sekretaris dinas",
        "att-1-name": "",
        "att-1-role": "Kepala seksi",  # a role without a name is refused
        "uploads": [pdf("notulen.pdf")],
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Nama peserta wajib diisi." in response.content.decode()
    data["att-1-role"] = ""
    data["uploads"] = [SimpleUploadedFile("catatan.txt", b"teks biasa", "text/plain")]
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "catatan.txt: Jenis berkas tidak diterima" in html
    assert 'id="id_uploads_errors"' in html  # on the field, not lost at the top
    data["uploads"] = [pdf("notulen.pdf")]
    response = client.post(url, data)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Siti Aminah (Sekretaris dinas)" in html and "notulen.pdf" in html


def test_api_sessions_take_and_show_attendees(org, case):
    url = reverse("api:session-list", args=[case.pk])
    body = {
        "date": f"{org.year}-03-06",
        "mode": "daring",
        "topic": "Sesi daring",
        "attendees": [{"name": "Siti Aminah", "role": "Sekretaris dinas"}],
    }
    response = bearer(org.mentor).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["attendees"] == [{"name": "Siti Aminah", "role": "Sekretaris dinas"}]
    assert response.json()["files"] == []
    body["attendees"] = [{"name": " ", "role": ""}]
    response = bearer(org.mentor).post(url, body, format="json")
    assert response.status_code == 400
    assert "attendees.0.name" in response.json()["errors"]
