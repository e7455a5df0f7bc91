"""Each case action, notifications included, stays within its statement budget (SQLite and
PostgreSQL alike): the number of statements is what grows with careless code, not the data."""

import pytest

from mentoring.models import Stage
from notifications.models import Notification
from tests.factories import act, advance, log_session, mark_all_evidence, new_innovation

pytestmark = pytest.mark.django_db
BUDGET = 25


@pytest.mark.parametrize(
    "stage, who, action, prepare",
    [
        (Stage.PROPOSAL, "operator", "submit", None),
        (Stage.PROPOSAL_GATE, "head", "approve", None),
        (Stage.MENTORING, "mentor", "complete", log_session),
        (Stage.VERIFICATION, "verifier", "accept", mark_all_evidence),
    ],
)
def test_an_action_stays_within_its_budget(
    org, django_assert_max_num_queries, stage, who, action, prepare
):
    innovation = advance(org, new_innovation(org), stage)
    if prepare:
        prepare(org, innovation)
    user = getattr(org, who)
    user.__dict__.pop("_pandu_actor", None)  # as in a fresh request
    before = Notification.objects.count()
    with django_assert_max_num_queries(BUDGET):
        moved = act(user, innovation, action)
    assert moved.stage != stage
    assert Notification.objects.count() > before  # the budget includes someone being told
