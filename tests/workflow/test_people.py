"""The people around cases: a membership or mentor assignment counts only with its role."""

import pytest

from mentoring.models import Membership, MentorAssignment
from tests.factories import Org, make_user
from workflow.selectors import CasePeople

pytestmark = pytest.mark.django_db


def test_people_of_one_case_and_of_many_cases():
    org, other = Org(), Org()
    Membership.objects.create(unit=org.unit, user=make_user(), position="operator")  # no role
    co_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    # A mentor without the role group is no mentor.
    MentorAssignment.objects.create(unit=org.unit, mentor=make_user(), year=org.year, is_lead=False)
    one = CasePeople([(org.unit.pk, org.year)])
    many = CasePeople([(org.unit.pk, org.year), (other.unit.pk, other.year)])
    for people in (one, many):
        assert people.heads(org.unit.pk) == {org.head.pk}
        assert people.operators(org.unit.pk) == {org.operator.pk}
        assert people.lead_mentors(org.unit.pk, org.year) == {org.mentor.pk}
        assert people.mentors(org.unit.pk, org.year) == {org.mentor.pk, co_mentor.pk}
    assert many.heads(other.unit.pk) == {other.head.pk}
    assert many.mentors(other.unit.pk, other.year - 1) == set()
