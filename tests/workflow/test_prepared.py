"""workflow.prepared: an ORM read compiled once gives what the ORM gives, for any values."""

import pytest

from mentoring.models import Membership, MentorAssignment
from tests.factories import Org, make_user
from workflow import policy
from workflow.prepared import PreparedQuery
from workflow.selectors import CasePeople

pytestmark = pytest.mark.django_db


def test_the_compiled_query_matches_the_orm_for_every_value():
    orgs = [Org(), Org(year=2025)]
    # A member without the role group is not an active member: both must leave them out.
    Membership.objects.create(unit=orgs[0].unit, user=make_user(), position="operator")
    query = PreparedQuery(
        lambda unit, year: MentorAssignment.objects.filter(
            policy.ACTIVE_MENTOR, unit_id=unit, year=year
        ).values_list("mentor_id")
    )
    for org in orgs:
        for year in (2025, 2026):
            expected = list(
                MentorAssignment.objects.filter(
                    policy.ACTIVE_MENTOR, unit_id=org.unit.pk, year=year
                ).values_list("mentor_id")
            )
            assert query.rows(unit=org.unit.pk, year=year) == expected
    assert query.rows(unit=orgs[0].unit.pk, year=2026) == [(orgs[0].mentor.pk,)]
    assert query.rows(unit=orgs[0].unit.pk, year=2025) == []


def test_one_case_people_equal_the_many_cases_reading():
    org, other = Org(), Org()
    Membership.objects.create(unit=org.unit, user=make_user(), position="operator")  # no role
    co_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    # A mentor without the role group is no mentor.
    MentorAssignment.objects.create(unit=org.unit, mentor=make_user(), year=org.year, is_lead=False)
    one = CasePeople([(org.unit.pk, org.year)])  # the prepared path
    many = CasePeople([(org.unit.pk, org.year), (other.unit.pk, other.year)])  # the ORM path
    assert one.heads(org.unit.pk) == many.heads(org.unit.pk) == {org.head.pk}
    assert one.operators(org.unit.pk) == many.operators(org.unit.pk) == {org.operator.pk}
    assert one.lead_mentors(org.unit.pk, org.year) == {org.mentor.pk}
    assert many.lead_mentors(org.unit.pk, org.year) == {org.mentor.pk}
    mentors = {org.mentor.pk, co_mentor.pk}
    assert one.mentors(org.unit.pk, org.year) == many.mentors(org.unit.pk, org.year) == mentors


def test_an_argument_that_is_not_a_filter_value_is_refused():
    query = PreparedQuery(lambda unit: Membership.objects.filter(unit_id=1).values_list("pk"))
    with pytest.raises(ValueError):
        query.rows(unit=5)


def test_objects_gives_the_model_instances_the_orm_gives():
    org = Org()
    query = PreparedQuery(lambda unit: Membership.objects.filter(unit_id=unit).order_by("position"))
    got = query.objects(Membership, unit=org.unit.pk)
    expected = list(Membership.objects.filter(unit_id=org.unit.pk).order_by("position"))
    assert got == expected
    assert [(m.user_id, m.position) for m in got] == [
        (org.head.pk, "head"),
        (org.operator.pk, "operator"),
    ]


def test_a_constant_equal_to_a_stand_in_stays_a_constant():
    from workflow import prepared

    org = Org()
    stand_in = prepared._SENTINELS[0]  # what `unit` is compiled with first
    query = PreparedQuery(
        lambda unit: (
            Membership.objects.filter(unit_id=unit)
            .exclude(user_id=stand_in)
            .order_by("position")
            .values_list("user_id")
        )
    )
    assert query.rows(unit=org.unit.pk) == [(org.head.pk,), (org.operator.pk,)]
