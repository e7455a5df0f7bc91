""" "Tugas saya" at national size (issue 14): a verifier's list asks, for every case waiting for
verification, whether they mentored it; that is one read of their own sessions, not a query
per case (at 500,000 innovations a verifier had 4,630 cases waiting and as many queries)."""

import pytest
from django.contrib.auth.models import User

from mentoring.models import Holder, Innovation, MentoringSession, Stage
from tests.factories import Org, make_user, new_innovation
from workflow import selectors

pytestmark = pytest.mark.django_db


def waiting_for_verification(org: Org, n: int) -> list[Innovation]:
    cases = [new_innovation(org) for _ in range(n)]
    Innovation.objects.filter(pk__in=[c.pk for c in cases]).update(
        stage=Stage.VERIFICATION, awaiting=Holder.VERIFIER
    )
    return cases


def tasks(user: User) -> list[int]:
    # A fresh user object: the person's snapshot is read once per request.
    return [case.pk for case in selectors.waiting_for(user=User.objects.get(pk=user.pk)).cases]


def test_a_verifiers_list_costs_the_same_queries_for_3_or_30_cases(
    org, django_assert_max_num_queries
):
    verifier = make_user(None, "verifier")
    waiting_for_verification(org, 3)
    with django_assert_max_num_queries(4) as few:
        assert len(tasks(verifier)) == 3
    waiting_for_verification(org, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(tasks(verifier)) == 30


def test_a_case_the_verifier_mentored_is_not_theirs_to_verify(org):
    """Also a verifier who is assigned as nobody's mentor but logged a session on the case."""
    verifier = make_user(None, "verifier", "mentor")
    mine, other = waiting_for_verification(org, 2)
    assert set(tasks(verifier)) == {mine.pk, other.pk}
    MentoringSession.objects.create(
        innovation=mine, mentor=verifier, date=mine.created_at.date(), mode="daring", topic="Sesi"
    )
    assert tasks(verifier) == [other.pk]
