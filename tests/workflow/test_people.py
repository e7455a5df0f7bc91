"""The people around cases: one case read in one query gives what many cases read give."""

import pytest

from mentoring.models import Membership, MentorAssignment
from tests.factories import Org, make_user
from workflow.selectors import CasePeople

pytestmark = pytest.mark.django_db


def test_one_case_people_equal_the_many_cases_reading():
    org, other = Org(), Org()
    Membership.objects.create(unit=org.unit, user=make_user(), position="operator")  # no role
    co_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    # A mentor without the role group is no mentor.
    MentorAssignment.objects.create(unit=org.unit, mentor=make_user(), year=org.year, is_lead=False)
    one = CasePeople([(org.unit.pk, org.year)])  # one UNION query
    many = CasePeople([(org.unit.pk, org.year), (other.unit.pk, other.year)])  # a query each
    assert one.heads(org.unit.pk) == many.heads(org.unit.pk) == {org.head.pk}
    assert one.operators(org.unit.pk) == many.operators(org.unit.pk) == {org.operator.pk}
    assert one.lead_mentors(org.unit.pk, org.year) == {org.mentor.pk}
    assert many.lead_mentors(org.unit.pk, org.year) == {org.mentor.pk}
    mentors = {org.mentor.pk, co_mentor.pk}
    assert one.mentors(org.unit.pk, org.year) == many.mentors(org.unit.pk, org.year) == mentors
