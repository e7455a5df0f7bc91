"""The API sees substitutes as the policy does: a Plt. of a unit's head reads and acts on the
unit's cases only within their dates, never another unit's; the answer names on whose behalf."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mentoring.models import Stage, Substitution
from tests.factories import Org, advance, make_user, new_innovation

API = "/api/v1"
WITA = ZoneInfo("Asia/Makassar")
STARTS, ENDS = dt.date(2026, 3, 10), dt.date(2026, 3, 12)


def on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, tzinfo=WITA))


@pytest.mark.django_db
def test_plt_through_the_api_only_within_the_range(as_user):
    org, other = Org(), Org()
    plt = make_user(None)
    Substitution.objects.create(
        kind="plt", unit=org.unit, absent=org.head, substitute=plt, starts=STARTS, ends=ENDS
    )
    case = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    elsewhere = advance(other, new_innovation(other), Stage.PROPOSAL_GATE)
    for day in (STARTS - dt.timedelta(days=1), ENDS + dt.timedelta(days=1)):
        with on(day):
            client = as_user(plt)
            assert client.get(f"{API}/innovations/{case.pk}/").status_code == 403
            assert client.get(f"{API}/innovations/").data["results"] == []
            answer = client.post(f"{API}/innovations/{case.pk}/actions/approve/", format="json")
            assert answer.status_code == 403
    with on(STARTS):
        client = as_user(plt)
        data = client.get(f"{API}/innovations/{case.pk}/").data
        assert sorted(data["actions"]) == ["approve", "return", "withdraw"]
        listed = [item["id"] for item in client.get(f"{API}/innovations/").data["results"]]
        assert listed == [case.pk]
        assert client.get(f"{API}/innovations/{elsewhere.pk}/").status_code == 403
        refused = client.post(f"{API}/innovations/{elsewhere.pk}/actions/approve/", format="json")
        assert refused.status_code == 403
        answer = client.post(f"{API}/innovations/{case.pk}/actions/approve/", format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["event"]["on_behalf_of"]["username"] == org.head.username
    assert answer.data["innovation"]["stage"] == Stage.MENTORING
