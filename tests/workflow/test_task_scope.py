""" "Tugas saya" is counted and cut in SQL (issue 14: an admin had 4,629 cases waiting at
national size, each read and checked in Python). The filter must say exactly what the policy
says: for people of every kind, `policy.held_scope` finds the cases `policy.holds` keeps."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from mentoring.models import (
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Stage,
    Substitution,
    Urusan,
)
from mentoring.people import actor_for
from tests.factories import Org, make_unit, make_user
from workflow import lifecycle, policy, selectors

pytestmark = pytest.mark.django_db

YEAR = 2026


def cases_in_every_stage(org: Org, *, unit=None, years=(YEAR - 1, YEAR)) -> list[Innovation]:
    """One case per stage (open and ended) and programme year, its holder set as the engine
    sets it."""
    urusan = Urusan.objects.get(code="kesehatan")
    return Innovation.objects.bulk_create(
        Innovation(
            unit=unit or org.unit,
            year=year,
            name=f"{stage} {year}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=stage,
            awaiting=lifecycle.holder_of(stage),
            created_by=org.operator,
        )
        for stage in Stage.values
        for year in years
    )


def substitute(kind: str, *, unit, absent: User, person: User, year: int | None = None) -> None:
    today = timezone.localdate()
    Substitution.objects.create(
        kind=kind,
        unit=unit,
        year=year,
        absent=absent,
        substitute=person,
        starts=today - dt.timedelta(days=1),
        ends=today + dt.timedelta(days=1),
    )


@pytest.fixture
def people() -> dict[str, User]:
    """Three offices with cases in every stage of two years, and people of every kind."""
    a, b = Org(), Org()
    c = make_unit()  # no operator of its own
    for org in (a, b):
        cases_in_every_stage(org)
    cases_in_every_stage(a, unit=c)
    both = make_user(None, "opd_head", "opd_operator")  # heads one office, operates another
    Membership.objects.create(unit=c, user=both, position="head")
    Membership.objects.create(unit=b.unit, user=both, position="operator")
    no_group = make_user(None)  # a member without the role group: holds nothing
    Membership.objects.create(unit=a.unit, user=no_group, position="operator")
    # A verifier assigned as mentor of office a this year, who logged a session on a case of
    # office b in verification (so neither may they verify).
    verifying_mentor = make_user(None, "verifier", "mentor")
    MentorAssignment.objects.create(unit=a.unit, mentor=verifying_mentor, year=YEAR, is_lead=False)
    in_b = Innovation.objects.get(unit=b.unit, year=YEAR, stage=Stage.VERIFICATION)
    MentoringSession.objects.create(
        innovation=in_b, mentor=verifying_mentor, date=dt.date(YEAR, 3, 1), mode="daring"
    )
    plt, stand_in = make_user(None), make_user(None, "mentor")
    substitute(Substitution.Kind.PLT, unit=b.unit, absent=b.head, person=plt)
    substitute(
        Substitution.Kind.MENTOR_LEAVE, unit=b.unit, year=YEAR, absent=b.mentor, person=stand_in
    )
    last_year = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=b.unit, mentor=last_year, year=YEAR - 1, is_lead=False)
    return {
        "head": a.head,
        "operator": a.operator,
        "mentor": a.mentor,
        "verifier": a.verifier,
        "admin": a.admin,
        "observer": a.observer,
        "head and operator": both,
        "member without group": no_group,
        "verifier and mentor": verifying_mentor,
        "plt": plt,
        "mentor's stand-in": stand_in,
        "last year's mentor": last_year,
        "nobody": make_user(None),
    }


def test_the_filter_finds_exactly_the_cases_the_policy_says_wait_for_each_person(people):
    every_case = list(Innovation.objects.all())
    assert len(every_case) == 3 * 2 * len(Stage.values)
    for kind, user in people.items():
        actor = actor_for(User.objects.get(pk=user.pk))
        by_policy = {case.name + f" #{case.pk}" for case in every_case if policy.holds(actor, case)}
        in_sql = Innovation.objects.filter(policy.held_scope(actor))
        assert {case.name + f" #{case.pk}" for case in in_sql} == by_policy, kind
    # The cases above are not all alike: each kind of person holds some, the observer none.
    holding = {
        kind
        for kind, user in people.items()
        if Innovation.objects.filter(policy.held_scope(actor_for(user))).exists()
    }
    assert holding == set(people) - {"observer", "member without group", "nobody"}


def test_the_task_list_counts_all_and_shows_the_oldest_waits_up_to_the_limit(people):
    admin = people["admin"]
    waiting = Innovation.objects.filter(stage=Stage.CLOSE)
    assert waiting.count() == 6
    tasks = selectors.waiting_for(user=admin, limit=3)
    assert tasks.total == 6 and len(tasks.cases) == 3
    assert {case.pk for case in tasks.cases} < set(waiting.values_list("pk", flat=True))
    assert selectors.waiting_for(user=people["observer"]) == selectors.Tasks(cases=[], total=0)
