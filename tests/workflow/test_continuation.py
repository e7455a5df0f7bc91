"""Issue 13 point 3: a closed case continues into a later year (the next year's case of the same
innovation), limited by the year's report limit (SubmissionRules.max_reports); every bad input
is a field error and writes nothing."""

import datetime as dt

import pytest

from core.errors import ActionForbidden, GuardFailed
from mentoring.models import (
    Innovation,
    Membership,
    MentorAssignment,
    NationalPriority,
    Stage,
    SubmissionRules,
    Urusan,
)
from mentoring.people import actor_for
from tests.factories import Org, advance, make_user, new_innovation
from workflow import eligibility, policy, services
from workflow.lifecycle import EventKind
from workflow.models import CaseEvent, InnovationProcess, SlaPolicy, StageVisit

pytestmark = pytest.mark.django_db

GROWTH = "Tahun ini layanan menjangkau 12 desa baru dan terhubung dengan aplikasi kecamatan."


@pytest.fixture
def org25():
    return Org(year=2025)


@pytest.fixture
def closed(org25):
    """A 2025 case driven through the whole lifecycle to done, with a related urusan."""
    innovation = new_innovation(org25, related_urusan=[Urusan.objects.get(code="sosial")])
    return advance(org25, innovation, "done")


def written() -> dict[str, int]:
    return {
        "innovations": Innovation.objects.count(),
        "events": CaseEvent.objects.count(),
        "processes": InnovationProcess.objects.count(),
        "visits": StageVisit.objects.count(),
    }


def continue_(org, closed, *, year=2026, perkembangan=GROWTH, user=None):
    return services.continue_innovation(
        user=user or org.operator, innovation_id=closed.pk, year=year, perkembangan=perkembangan
    )


def test_continuation_opens_next_years_case_with_the_profile_carried_over(org25, closed):
    closed.refresh_from_db()
    result = continue_(org25, closed)
    new = Innovation.objects.get(pk=result.innovation.pk)
    assert (new.year, new.unit_id, new.stage, new.awaiting) == (
        2026,
        closed.unit_id,
        "proposal",
        "opd",
    )
    assert new.continues_id == closed.pk and new.is_continuation
    assert list(closed.continued_by.all()) == [new]
    assert new.perkembangan == GROWTH
    assert new.reported_before == closed.reported_before + 1 == 1
    for name in services.CARRIED_FIELDS:
        assert getattr(new, name) == getattr(closed, name), name
    assert new.rancang_bangun_words == closed.rancang_bangun_words > 300
    assert {u.code for u in new.related_urusan.all()} == {"sosial"}
    # National priorities are the new year's of the same kind and number.
    old_priorities = {(p.kind, p.number) for p in closed.priorities.all()}
    assert {(p.kind, p.number, p.year) for p in new.priorities.all()} == {
        (kind, number, 2026)
        for kind, number in old_priorities
        if NationalPriority.objects.filter(year=2026, kind=kind, number=number).exists()
    }
    # The year's own records stay with the closed case.
    assert not new.evidence.exists() and not new.sessions.exists()
    assert (new.report_results, new.report_beneficiaries) == ("", None)
    # History linked both ways; the new case has a process and a running stage clock.
    previous_entry = CaseEvent.objects.get(innovation=closed, action=EventKind.CONTINUED)
    assert previous_entry.data == {"innovation": new.pk, "year": 2026}
    first = CaseEvent.objects.get(innovation=new)
    assert (first.action, first.from_stage, first.to_stage) == ("continue_from", "", "proposal")
    assert first.data == {"innovation": closed.pk, "year": 2025} and first.comment == GROWTH
    assert result.event == first
    assert InnovationProcess.objects.filter(innovation=new).exists()
    assert StageVisit.objects.filter(
        innovation=new, left_at__isnull=True, stage="proposal"
    ).exists()
    # The closed case itself is untouched.
    closed_after = Innovation.objects.get(pk=closed.pk)
    assert (closed_after.stage, closed_after.year) == ("done", 2025)


def test_the_continued_case_moves_through_the_same_lifecycle(org25, closed):
    new = continue_(org25, closed).innovation
    org26 = org25
    org26.year = 2026
    MentorAssignment.objects.create(unit=new.unit, mentor=org25.mentor, year=2026, is_lead=True)
    for person in (org26.operator, org26.head, org26.mentor):
        person._pandu_actor = None  # the snapshot cached during 2025 has no 2026 assignment
    new = advance(org26, new, "packaging")  # submit, approve, mentoring: the usual flow
    # The desk check sees the second report, within the year's limit of 2, and its development.
    checks = {c.field: c for c in eligibility.desk_check(new).checks}
    assert (
        checks["reported_before"].ok
        and "ke-2 dari paling banyak 2" in checks["reported_before"].detail
    )
    assert checks["perkembangan"].ok


def test_page_offers_continuation_only_on_a_closed_case_to_its_unit(org25, closed):
    assert policy.may_continue(actor_for(org25.operator), closed)
    assert policy.may_continue(actor_for(org25.head), closed)
    for other in (org25.mentor, org25.admin, org25.verifier, org25.observer):
        assert not policy.may_continue(actor_for(other), closed)
    continue_(org25, closed)
    assert not policy.may_continue(actor_for(org25.operator), closed)  # once only


def _open_case(org25):
    return new_innovation(org25)


@pytest.mark.parametrize(
    ("setup", "kwargs", "field", "text"),
    [
        ("open", {}, "stage", "Hanya inovasi yang sudah selesai"),
        ("closed", {"perkembangan": "   "}, "perkembangan", "Perkembangan inovasi wajib diisi"),
        ("closed", {"year": 2025}, "year", "harus setelah tahun 2025"),
        ("closed", {"year": 2024}, "year", "harus setelah tahun 2025"),
        ("closed", {"year": 2031}, "year", "Aturan pengajuan IID tahun 2031 belum ada"),
        ("no_sla", {"year": 2031}, "year", "Tenggat tahapan (SLA) tahun 2031 belum ada"),
        (
            "limit",
            {},
            "year",
            "sudah dilaporkan 2 kali; aturan tahun 2026 membolehkan paling banyak 2",
        ),
        ("limit_one", {}, "year", "paling banyak 1 kali"),
        ("twice", {}, "year", "sudah dilanjutkan ke tahun 2026"),
        ("twice", {"year": 2027}, "year", "sudah dilanjutkan ke tahun 2026"),
    ],
)
def test_bad_continuations_name_the_field_and_write_nothing(
    org25, request, setup, kwargs, field, text
):
    case = _open_case(org25) if setup == "open" else request.getfixturevalue("closed")
    if setup == "no_sla":
        SubmissionRules.objects.create(year=2031, max_reports=2)
    if setup == "limit":  # reported once before 2025: 2026 would be its third report
        Innovation.objects.filter(pk=case.pk).update(reported_before=1)
    if setup == "limit_one":
        SubmissionRules.objects.filter(year=2026).update(max_reports=1)
    if setup == "twice":
        continue_(org25, case)
    before = written()
    with pytest.raises(GuardFailed) as caught:
        continue_(org25, case, **kwargs)
    assert field in caught.value.fields, caught.value.fields
    assert any(text in message for message in caught.value.fields[field]), caught.value.fields
    assert written() == before


def test_without_a_limit_the_year_takes_any_number_of_reports(org25, closed):
    SubmissionRules.objects.filter(year=2026).update(max_reports=None)
    Innovation.objects.filter(pk=closed.pk).update(reported_before=5)
    assert continue_(org25, closed).innovation.reported_before == 6


def test_rules_without_sla_or_sla_without_rules_both_refuse(org25, closed):
    SlaPolicy.objects.filter(year=2026).delete()
    with pytest.raises(GuardFailed) as caught:
        continue_(org25, closed)
    assert "SLA" in " ".join(caught.value.fields["year"])


def test_only_the_units_people_may_continue(org25, closed):
    other = Org(year=2025)
    stranger = make_user(None, "opd_operator")
    Membership.objects.create(unit=other.unit, user=stranger, position="operator")
    before = written()
    for user in (org25.mentor, org25.admin, org25.observer, stranger):
        with pytest.raises(ActionForbidden):
            continue_(org25, closed, user=user)
    assert written() == before
    # The head may, like the operator.
    assert continue_(org25, closed, user=org25.head).innovation.created_by == org25.head


def test_a_continuation_can_itself_continue_within_the_limit(org25, closed):
    SubmissionRules.objects.filter(year=2026).update(max_reports=3)
    SubmissionRules.objects.update_or_create(
        year=2027, defaults={"max_reports": 3, "implemented_from": dt.date(2024, 1, 1)}
    )
    SlaPolicy.objects.get_or_create(year=2027)
    second = continue_(org25, closed).innovation
    Innovation.objects.filter(pk=second.pk).update(stage=Stage.DONE)
    second.refresh_from_db()
    third = continue_(org25, second, year=2027).innovation
    assert (third.reported_before, third.continues_id) == (2, second.pk)
    # The first case was continued already: it cannot fork a second chain.
    with pytest.raises(GuardFailed):
        continue_(org25, closed, year=2027)
