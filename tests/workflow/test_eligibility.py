"""The national desk check: each rule, its field, and the packaging submit that it guards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import GuardFailed
from mentoring.models import (
    EvidenceItem,
    Indicator,
    Maturity,
    NationalPriority,
    Region,
    Stage,
    SubmissionRules,
    Urusan,
)
from tests.factories import (
    SECTION_TEXT,
    act,
    advance,
    complete_profile,
    fill_packaging,
    new_innovation,
)
from workflow import eligibility
from workflow import services as workflow_services

pytestmark = pytest.mark.django_db


def check(innovation, field: str, label_part: str = "") -> eligibility.Check:
    desk = eligibility.desk_check(innovation)
    found = [c for c in desk.checks if c.field == field and label_part in c.label]
    assert found, [(c.field, c.label) for c in desk.checks]
    return found[0]


@pytest.fixture
def packaged(org):
    """A case in packaging that passes every check."""
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    fill_packaging(org, innovation)
    innovation.refresh_from_db()
    return innovation


def edit(org, innovation, **changes):
    workflow_services.update_innovation(
        user=org.operator, innovation_id=innovation.pk, changes=changes
    )
    innovation.refresh_from_db()
    return innovation


def test_a_complete_package_passes_and_counts_its_checks(packaged):
    desk = eligibility.desk_check(packaged)
    assert desk.ready, [(c.label, c.detail) for c in desk.missing]
    mandatory = Indicator.objects.filter(year=packaged.year, mandatory=True).count()
    # maturity, window, report limit, 6 sections + total, tujuan/manfaat/hasil, location,
    # priority, urusan, one per mandatory indicator
    assert desk.total == 1 + 1 + 1 + 7 + 3 + 1 + 1 + 1 + mandatory
    assert desk.passed == desk.total


def test_maturity_must_have_reached_implementation(org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    found = check(innovation, "maturity")
    assert not found.ok and found.detail == "Inisiatif"
    edit(org, innovation, trial_date=dt.date(2025, 1, 5), maturity=Maturity.UJI_COBA)
    assert not check(innovation, "maturity").ok


def test_implementation_date_inside_the_years_window(org, packaged):
    rules = SubmissionRules.objects.get(year=packaged.year)
    edit(
        org,
        packaged,
        trial_date=rules.implemented_from - dt.timedelta(days=60),
        implementation_date=rules.implemented_from,
    )
    assert check(packaged, "implementation_date").ok
    early = rules.implemented_from - dt.timedelta(days=1)
    edit(org, packaged, trial_date=early - dt.timedelta(days=30), implementation_date=early)
    found = check(packaged, "implementation_date")
    assert not found.ok and "tidak diterima tahun 2026" in found.detail
    rules.implemented_until = dt.date(2026, 8, 23)
    rules.save()
    edit(org, packaged, implementation_date=dt.date(2026, 8, 24))
    assert "setelah" in check(packaged, "implementation_date").detail


def test_times_reported_within_the_yearly_limit_and_development_described(org, packaged):
    assert check(packaged, "reported_before").ok  # first report of 2 allowed
    edit(org, packaged, reported_before=1)
    assert check(packaged, "reported_before").ok
    assert not check(packaged, "perkembangan").ok  # continued: what changed?
    edit(org, packaged, perkembangan="Kini juga melayani dua kecamatan lain.")
    assert check(packaged, "perkembangan").ok
    edit(org, packaged, reported_before=2)
    assert "ke-3 dari paling banyak 2" in check(packaged, "reported_before").detail


def test_each_section_and_the_whole_against_the_years_minimums(org, packaged):
    edit(org, packaged, keunggulan="Singkat saja.")
    found = check(packaged, "keunggulan")
    assert not found.ok and found.detail == "2 dari minimal 30 kata."
    total = check(packaged, "rancang_bangun")
    assert not total.ok and total.detail == "277 dari minimal 300 kata."
    SubmissionRules.objects.filter(year=packaged.year).update(min_words=400, min_section_words=2)
    assert check(packaged, "keunggulan").ok
    assert not check(packaged, "rancang_bangun").ok


def test_main_urusan_not_repeated_and_it_is_refused_at_input(org, packaged):
    with pytest.raises(GuardFailed) as refused:
        edit(org, packaged, related_urusan=[packaged.main_urusan])
    assert "related_urusan" in refused.value.fields
    # Data entered before the rule (or by an import) is still flagged by the check.
    packaged.related_urusan.add(packaged.main_urusan)
    assert not check(packaged, "related_urusan").ok


def test_evidence_for_every_mandatory_indicator_with_its_parameter_meaning(org, packaged):
    sixteen = Indicator.objects.get(year=packaged.year, number=16)
    found = check(packaged, "evidence", "16.")
    assert found.ok and sixteen.parameter_2 in found.detail
    EvidenceItem.objects.filter(innovation=packaged, indicator=sixteen).delete()
    assert not check(packaged, "evidence", "16.").ok


def test_the_video_indicator_takes_a_link_and_others_do_not(org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    video = Indicator.objects.get(year=innovation.year, number=35)
    item = workflow_services.add_evidence(
        user=org.operator,
        innovation_id=innovation.pk,
        indicator_id=video.pk,
        parameter=3,
        upload=None,
        link="https://www.youtube.com/watch?v=abc123",
    )
    assert (item.link, item.size, bool(item.file)) == (item.link, 0, False)
    assert check(innovation, "evidence", "35.").ok
    before = EvidenceItem.objects.count()
    for indicator_number, link, field in [
        (35, "bukan tautan", "link"),
        (35, "ftp://contoh.id/video", "link"),
        (16, "https://www.youtube.com/watch?v=x", "link"),
    ]:
        indicator = Indicator.objects.get(year=innovation.year, number=indicator_number)
        with pytest.raises(GuardFailed) as refused:
            workflow_services.add_evidence(
                user=org.operator,
                innovation_id=innovation.pk,
                indicator_id=indicator.pk,
                parameter=2,
                upload=None,
                link=link,
            )
        assert field in refused.value.fields
    assert EvidenceItem.objects.count() == before


def test_consistency_hints_for_months_and_beneficiaries(org, packaged):
    speed = Indicator.objects.get(year=packaged.year, number=32)
    EvidenceItem.objects.filter(innovation=packaged, indicator=speed).update(parameter=3)
    # 2025-03-01 -> 2025-09-01: 6 months, which is parameter 2 (5-8 months), not 3 (1-4).
    hint = check(packaged, "evidence", "Kesesuaian indikator 32")
    assert not hint.ok and not hint.blocking and "sesuai parameter 2" in hint.detail
    assert eligibility.desk_check(packaged).ready  # a hint never blocks
    benefit = Indicator.objects.get(year=packaged.year, number=33)
    EvidenceItem.objects.filter(innovation=packaged, indicator=benefit).update(parameter=1)
    packaged.report_beneficiaries = 600
    hint = check(packaged, "evidence", "Kesesuaian indikator 33")
    assert not hint.ok and "sesuai parameter 3" in hint.detail


def test_location_must_lie_in_the_regency(org):
    org.unit.region = Region.objects.get(code="kutai-kartanegara")
    org.unit.save()
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    for latitude, longitude, field in [
        (Decimal("-6.200000"), Decimal("106.816666"), "latitude"),  # Jakarta
        (Decimal("-0.420000"), None, "longitude"),
    ]:
        with pytest.raises(GuardFailed) as refused:
            edit(org, innovation, latitude=latitude, longitude=longitude)
        assert field in refused.value.fields
    innovation.refresh_from_db()
    assert innovation.latitude is None  # nothing written
    edit(org, innovation, latitude=Decimal("-0.420000"), longitude=Decimal("116.990000"))
    assert check(innovation, "latitude").ok


def test_priorities_of_another_year_are_refused(org, packaged):
    other_year = NationalPriority.objects.exclude(year=packaged.year).first()
    with pytest.raises(GuardFailed) as refused:
        edit(org, packaged, priorities=[other_year])
    assert "priorities" in refused.value.fields


def test_packaging_submit_names_each_failing_check_and_writes_nothing(org, packaged):
    edit(org, packaged, dasar_hukum="Pendek.", latitude=None, longitude=None)
    with pytest.raises(GuardFailed) as refused:
        act(org.operator, packaged, "submit")
    assert {"dasar_hukum", "latitude"} <= set(refused.value.fields)
    packaged.refresh_from_db()
    assert packaged.stage == Stage.PACKAGING
    edit(
        org,
        packaged,
        dasar_hukum=SECTION_TEXT,
        **{
            k: v
            for k, v in complete_profile(packaged.year).items()
            if k in ("latitude", "longitude")
        },
    )
    assert act(org.operator, packaged, "submit").stage == Stage.PACKAGING_GATE


def test_the_case_page_shows_the_checklist(client, org, packaged):
    client.force_login(org.operator)
    html = client.get(reverse("portal:innovation-detail", args=[packaged.pk])).content.decode()
    desk = eligibility.desk_check(packaged)
    assert f"Siap dikirim: {desk.total} dari {desk.total}" in html
    # Where the year's rules and indicators come from, beside the checklist.
    assert 'id="desk-sources"' in html and "Form isian proposal inovasi daerah" in html
    edit(org, packaged, tujuan="")
    html = client.get(reverse("portal:innovation-detail", args=[packaged.pk])).content.decode()
    assert f"Siap dikirim: {desk.total - 1} dari {desk.total}" in html


def test_the_profile_form_has_one_id_per_date_and_counts_words(client, org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    client.force_login(org.operator)
    html = client.get(reverse("portal:innovation-edit", args=[innovation.pk])).content.decode()
    assert html.count('id="id_trial_date"') == 1 and html.count('id="id_implementation_date"') == 1
    assert html.count('data-min-words="30"') == 6 and 'data-min-words="300"' in html
    assert Urusan.objects.exists()
