"""Issue 13, points 4 and 5: replications (indicator 31), awards and HKI, award points per
unit head, the inovasi unggulan picks; each rule, the permissions, and bad input writing
nothing. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import DownloadKind, DownloadRecord
from core.errors import ActionForbidden, GuardFailed
from mentoring.models import Indicator
from recognition import selectors, services
from recognition.models import (
    Award,
    FeaturedInnovation,
    HkiFiling,
    RecognitionYear,
    Replication,
)
from tests.factories import Org, make_unit, new_innovation, pdf
from workflow import eligibility
from workflow import services as workflow_services

pytestmark = pytest.mark.django_db
YEAR = 2026
IMPLEMENTED = dt.date(2025, 9, 1)
LINK = "https://berita.example.org/replikasi"


@pytest.fixture
def org():
    return Org(year=YEAR)


@pytest.fixture
def case(org):
    innovation = new_innovation(org)
    innovation.implementation_date = IMPLEMENTED
    innovation.save(update_fields=["implementation_date"])
    return innovation


def replicate(user, case, n: int = 1, **fields):
    made = []
    for _ in range(n):
        made.append(
            services.record_replication(
                user=user,
                innovation_id=case.pk,
                date=fields.get("date", dt.date(2026, 1, 10)),
                unit_id=fields.get("unit_id", make_unit().pk),
                link=fields.get("link", LINK),
            )
        )
    return made


def counts() -> tuple[int, int, int, int]:
    return (
        Replication.objects.count(),
        Award.objects.count(),
        HkiFiling.objects.count(),
        FeaturedInnovation.objects.count(),
    )


# --- replication and the suggested parameter ----------------------------------------------------


def test_the_yearly_catalogue_marks_indicator_31_as_counting_replications():
    for year in (2025, 2026):
        indicator = selectors.replication_indicator(year=year)
        assert indicator is not None and indicator.number == 31
        assert indicator.parameter_bounds == [[1, 1], [2, 2], [3, None]]


@pytest.mark.parametrize("n, expected", [(0, None), (1, 1), (2, 2), (3, 3), (4, 3)])
def test_the_suggested_parameter_follows_the_replications_recorded(org, case, n, expected):
    replicate(org.operator, case, n)
    suggestion = selectors.replication_suggestion(innovation=case)
    assert (suggestion.count, suggestion.parameter) == (n, expected)
    # The same figure on the case page's section and in the desk check's hint.
    assert selectors.case_recognition(innovation=case, actor=_actor(org.observer)).suggestion == (
        suggestion
    )
    hints = [c for c in eligibility.desk_check(case).checks if "31." in c.label]
    if expected is None:
        assert hints == []
    else:
        assert len(hints) == 1 and not hints[0].blocking
        assert f"sesuai parameter {expected}" in hints[0].detail


def test_the_desk_check_hint_holds_once_the_evidence_matches(org, case):
    replicate(org.operator, case, 2)
    indicator = Indicator.objects.get(year=YEAR, number=31)
    case.stage = "packaging"
    case.save(update_fields=["stage"])
    workflow_services.add_evidence(
        user=org.operator,
        innovation_id=case.pk,
        indicator_id=indicator.pk,
        parameter=2,
        upload=pdf(),
    )
    (hint,) = [c for c in eligibility.desk_check(case).checks if "31." in c.label]
    assert hint.ok and "Dipilih parameter 2; 2 replikasi tercatat" in hint.detail


def test_a_replication_from_another_region_by_name(org, case):
    (record,) = [
        services.record_replication(
            user=org.head,
            innovation_id=case.pk,
            date=IMPLEMENTED,  # the day of implementation itself is allowed
            region_name="Kabupaten Paser",
            replicator_name="Dinas Kesehatan",
            upload=pdf("berita-acara.pdf"),
        )
    ]
    assert record.unit is None and record.replicator_label == "Dinas Kesehatan, Kabupaten Paser"
    assert record.content_type == "application/pdf" and record.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"date": dt.date(2025, 8, 31)}, "date", "sebelum waktu penerapan"),
        ({"own_unit": True}, "unit", "sama dengan unit pemilik"),
        ({"no_unit": True}, "unit", "wajib"),
        ({"both": True}, "unit", "tidak keduanya"),
        ({"link": ""}, "file", "Bukti replikasi wajib"),
        ({"link": "bukan-alamat"}, "link", "alamat web"),
        ({"date": dt.date(2099, 1, 1)}, "date", "masa depan"),
    ],
)
def test_bad_replications_name_the_field_and_write_nothing(org, case, fields, field, words):
    unit_id = make_unit().pk
    if fields.get("own_unit"):
        unit_id = case.unit_id
    kwargs = {
        "user": org.operator,
        "innovation_id": case.pk,
        "date": fields.get("date", dt.date(2026, 1, 10)),
        "unit_id": None if fields.get("no_unit") else unit_id,
        "region_name": "Kabupaten Paser" if fields.get("both") else "",
        "link": fields.get("link", LINK),
    }
    with pytest.raises(GuardFailed) as caught:
        services.record_replication(**kwargs)
    assert words in " ".join(caught.value.fields[field])
    assert counts() == (0, 0, 0, 0)


def test_a_replication_needs_the_implementation_date_and_a_unit_counts_once(org):
    case = new_innovation(org)  # not implemented yet
    with pytest.raises(GuardFailed) as caught:
        replicate(org.operator, case)
    assert "waktu penerapan inovasi belum diisi" in caught.value.fields["date"][0]
    case.implementation_date = IMPLEMENTED
    case.save(update_fields=["implementation_date"])
    unit = make_unit()
    replicate(org.operator, case, unit_id=unit.pk)
    with pytest.raises(GuardFailed) as caught:
        replicate(org.operator, case, unit_id=unit.pk)
    assert "sudah tercatat" in caught.value.fields["unit"][0]
    assert Replication.objects.count() == 1


def test_a_file_refused_by_content_writes_nothing(org, case):
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(GuardFailed) as caught:
        services.record_replication(
            user=org.operator,
            innovation_id=case.pk,
            date=dt.date(2026, 1, 10),
            unit_id=make_unit().pk,
            upload=fake,
        )
    assert "file" in caught.value.fields
    assert counts() == (0, 0, 0, 0)


# --- awards and HKI -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"level": "international"}, "level", "tidak dikenal"),
        ({"level": ""}, "level", "tidak dikenal"),
        ({"year": 1999}, "year", "di luar rentang"),
        ({"year": 2100}, "year", "di luar rentang"),
        ({"name": "  "}, "name", "wajib"),
        ({"giver": ""}, "giver", "wajib"),
        ({"link": ""}, "file", "Bukti penghargaan wajib"),
    ],
)
def test_bad_awards_name_the_field_and_write_nothing(org, case, change, field, words):
    values = {
        "level": "national",
        "year": 2025,
        "name": "Top 45 KIPP",
        "giver": "KemenPAN-RB",
        "link": LINK,
        **change,
    }
    with pytest.raises(GuardFailed) as caught:
        services.record_award(user=org.operator, innovation_id=case.pk, **values)
    assert words in " ".join(caught.value.fields[field])
    assert counts() == (0, 0, 0, 0)


def test_hki_filings_and_their_bad_input(org, case):
    filing = services.record_hki(
        user=org.operator,
        innovation_id=case.pk,
        kind="hak_cipta",
        number="EC00202512345",
        status="granted",
        date=dt.date(2025, 10, 1),
    )
    assert filing.get_status_display() == "Terdaftar / diberikan"
    for change, field in [
        ({"kind": "paten_luar"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"number": ""}, "number"),
        ({"date": dt.date(2099, 1, 1)}, "date"),
        ({}, "number"),  # the same number twice
    ]:
        values = {
            "kind": "hak_cipta",
            "number": "EC00202512345",
            "status": "filed",
            "date": dt.date(2025, 10, 1),
            **change,
        }
        with pytest.raises(GuardFailed) as caught:
            services.record_hki(user=org.operator, innovation_id=case.pk, **values)
        assert field in caught.value.fields, change
    assert HkiFiling.objects.count() == 1


# --- permissions ---------------------------------------------------------------------------------


def _actor(user):
    from mentoring.people import actor_for

    return actor_for(user)


def test_who_may_record(org, case):
    other = Org(year=YEAR)
    for user in (org.operator, org.head, org.admin):
        replicate(user, case)
    for user in (org.observer, org.mentor, org.verifier, other.operator, other.head):
        with pytest.raises(ActionForbidden):
            replicate(user, case)
        with pytest.raises(ActionForbidden):
            services.record_award(
                user=user,
                innovation_id=case.pk,
                level="regency",
                year=2025,
                name="x",
                giver="y",
                link=LINK,
            )
    assert Replication.objects.count() == 3 and Award.objects.count() == 0


def test_observers_read_the_section_and_the_file_others_get_403(client, org, case):
    record = services.record_award(
        user=org.operator,
        innovation_id=case.pk,
        level="regency",
        year=2025,
        name="Inovasi Terbaik Kukar",
        giver="Bupati Kutai Kartanegara",
        upload=pdf("sk.pdf"),
    )
    page = reverse("portal:innovation-detail", args=[case.pk])
    file_url = reverse("portal:recognition-file", args=["award", record.pk])
    client.force_login(org.observer)
    body = client.get(page).content.decode()
    assert "Inovasi Terbaik Kukar" in body and 'id="award-add"' not in body
    assert client.get(file_url).status_code == 200
    assert DownloadRecord.objects.filter(kind=DownloadKind.RECOGNITION_FILE).count() == 1
    assert client.get(reverse("portal:award-create", args=[case.pk])).status_code == 403
    client.force_login(Org(year=YEAR).operator)  # another unit's operator
    assert client.get(file_url).status_code == 403
    client.force_login(org.operator)
    assert 'id="award-add"' in client.get(page).content.decode()


def test_the_portal_form_shows_the_service_error_beside_the_field(client, org, case):
    client.force_login(org.operator)
    url = reverse("portal:replication-create", args=[case.pk])
    answer = client.post(
        url, {"date": "2025-01-01", "unit": case.unit_id, "link": LINK}
    )  # own unit is not offered: the form refuses it first
    assert answer.status_code == 200 and Replication.objects.count() == 0
    answer = client.post(url, {"date": "2025-01-01", "region_name": "Kota Bontang", "link": LINK})
    assert "sebelum waktu penerapan" in answer.content.decode()
    assert Replication.objects.count() == 0


def test_the_evidence_form_hints_the_suggested_parameter(client, org, case):
    replicate(org.operator, case, 2)
    case.stage = "packaging"
    case.save(update_fields=["stage"])
    client.force_login(org.operator)
    body = client.get(reverse("portal:evidence-create", args=[case.pk])).content.decode()
    assert "2 replikasi tercatat, parameter yang disarankan 2" in body


# --- award points per unit head ----------------------------------------------------------------


def test_award_points_summed_per_unit_head_by_hand(org, case):
    second = new_innovation(org)
    other = Org(year=YEAR)
    elsewhere = new_innovation(other)
    award = {"name": "Penghargaan", "giver": "Pemberi", "link": LINK}
    services.record_award(
        user=org.operator, innovation_id=case.pk, level="national", year=2025, **award
    )
    services.record_award(
        user=org.operator, innovation_id=case.pk, level="regency", year=2025, **award
    )
    services.record_award(
        user=org.admin, innovation_id=second.pk, level="provincial", year=2025, **award
    )
    services.record_award(
        user=other.operator, innovation_id=elsewhere.pk, level="regency", year=2025, **award
    )
    # Another year's award does not count in 2025.
    services.record_award(
        user=org.operator, innovation_id=case.pk, level="national", year=2024, **award
    )
    report = selectors.award_points(year=2025)
    by_unit = {row.unit_id: row for row in report.units}
    # 200 (national) + 130 (regency) + 160 (provincial) = 490; the other unit 130.
    assert by_unit[org.unit.pk].total == 490
    assert by_unit[other.unit.pk].total == 130
    assert report.total == 620
    assert by_unit[org.unit.pk].heads == [org.head.username]
    assert [row.unit_id for row in report.units] == [org.unit.pk, other.unit.pk]
    # Points are yearly data: change them and the sum follows.
    RecognitionYear.objects.filter(year=2025).update(points_national=250)
    assert selectors.award_points(year=2025).units[0].total == 540
    # A head sees their own unit only.
    own = selectors.award_points(
        year=2025, unit_ids=selectors.units_for(_actor(org.head), year=2025)
    )
    assert [row.unit_id for row in own.units] == [org.unit.pk]


def test_points_are_seeded_as_yearly_data():
    rows = {r.year: r for r in RecognitionYear.objects.all()}
    assert {2025, 2026} <= set(rows)
    row = rows[2025]
    assert (row.points_national, row.points_provincial, row.points_regency) == (200, 160, 130)
    assert row.featured_limit == 1 and row.source is not None and row.source.key == "K8"


def test_the_report_page(client, org, case):
    services.record_award(
        user=org.operator,
        innovation_id=case.pk,
        level="national",
        year=2025,
        name="Top 45",
        giver="KemenPAN-RB",
        link=LINK,
    )
    client.force_login(org.observer)
    body = client.get(reverse("portal:recognition") + "?year=2025").content.decode()
    assert 'id="points-total">200<' in body and 'id="featured-form"' not in body
    client.force_login(org.mentor)
    assert client.get(reverse("portal:recognition") + "?year=2025").status_code == 200


# --- the inovasi unggulan -----------------------------------------------------------------------


def test_unggulan_pick_rules(org, case):
    pick = services.pick_featured(
        user=org.admin,
        year=YEAR,
        innovation_id=case.pk,
        presentation_date=dt.date(2026, 11, 4),
        note="PAD",
    )
    assert pick.picked_by == org.admin
    second = new_innovation(org)
    last_year = new_innovation(org, year=2025)
    attempts = [
        ({"innovation_id": case.pk}, "innovation", "sudah dipilih"),  # duplicate pick
        ({"innovation_id": second.pk}, "innovation", "batas 1"),  # over the year's limit
        ({"innovation_id": last_year.pk}, "innovation", "kasus tahun 2025"),
        ({"presentation_date": dt.date(2027, 1, 5)}, "presentation_date", "dalam tahun 2026"),
        ({"year": 2031}, "year", "belum diatur"),
    ]
    for change, field, words in attempts:
        values = {
            "year": YEAR,
            "innovation_id": second.pk,
            "presentation_date": dt.date(2026, 11, 5),
            **change,
        }
        with pytest.raises(GuardFailed) as caught:
            services.pick_featured(user=org.admin, **values)
        assert words in " ".join(caught.value.fields[field]), change
    assert FeaturedInnovation.objects.count() == 1
    # A year that presents two: the second pick is accepted.
    RecognitionYear.objects.filter(year=YEAR).update(featured_limit=2)
    services.pick_featured(
        user=org.admin,
        year=YEAR,
        innovation_id=second.pk,
        presentation_date=dt.date(2026, 11, 5),
    )
    assert [f.innovation_id for f in selectors.featured_of_year(year=YEAR)] == [case.pk, second.pk]
    for user in (org.head, org.operator, org.observer):
        with pytest.raises(ActionForbidden):
            services.pick_featured(
                user=user,
                year=YEAR,
                innovation_id=case.pk,
                presentation_date=dt.date(2026, 11, 4),
            )


def test_unggulan_page_picks_and_unpicks(client, org, case):
    client.force_login(org.admin)
    url = reverse("portal:recognition") + f"?year={YEAR}"
    answer = client.post(url, {"innovation": case.pk, "presentation_date": "2026-11-04"})
    assert answer.status_code == 302
    answer = client.post(url, {"innovation": case.pk, "presentation_date": "2026-11-04"})
    assert "sudah dipilih" in answer.content.decode()
    assert FeaturedInnovation.objects.count() == 1
    client.force_login(org.observer)
    assert (
        client.post(url, {"innovation": case.pk, "presentation_date": "2026-11-04"}).status_code
        == 403
    )
    pick = FeaturedInnovation.objects.get()
    assert client.post(reverse("portal:featured-remove", args=[pick.pk])).status_code == 403
    client.force_login(org.admin)
    client.post(reverse("portal:featured-remove", args=[pick.pk]), {"year": YEAR})
    assert FeaturedInnovation.objects.count() == 0


def test_removing_a_record(client, org, case):
    (record,) = replicate(org.operator, case)
    client.force_login(org.observer)
    url = reverse("portal:recognition-remove", args=["replication", record.pk])
    assert client.post(url).status_code == 403
    client.force_login(org.operator)
    assert client.post(url).status_code == 302
    assert Replication.objects.count() == 0


def test_unggulan_page_offers_no_pick_once_the_year_is_full(client, org, case):
    client.force_login(org.admin)
    url = reverse("portal:recognition") + f"?year={YEAR}"
    assert 'id="featured-form"' in client.get(url).content.decode()
    client.post(url, {"innovation": case.pk, "presentation_date": "2026-11-04"})
    body = client.get(url).content.decode()
    assert 'id="featured-form"' not in body and 'id="featured-full"' in body
    RecognitionYear.objects.filter(year=YEAR).update(featured_limit=2)
    assert 'id="featured-form"' in client.get(url).content.decode()
