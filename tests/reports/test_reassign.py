"""Bulk action: one mentor becomes the lead of many units for a year (admin only, all or none)."""

import pytest
from django.urls import reverse

from core.errors import ActionForbidden, GuardFailed
from mentoring import services
from mentoring.models import MentorAssignment
from tests.factories import Org, make_unit, make_user

pytestmark = pytest.mark.django_db
URL = reverse("portal:report-reassign")


def leads(year: int) -> dict[int, str]:
    return dict(
        MentorAssignment.objects.filter(year=year, is_lead=True).values_list(
            "unit_id", "mentor__username"
        )
    )


def snapshot() -> list[tuple]:
    return list(
        MentorAssignment.objects.order_by("pk").values_list(
            "unit_id", "mentor_id", "year", "is_lead"
        )
    )


@pytest.fixture
def units(org):
    second, fresh = Org(), make_unit()
    new = make_user("pendamping.baru", "mentor")
    # The new mentor already helps the second unit as a co-mentor.
    MentorAssignment.objects.create(unit=second.unit, mentor=new, year=org.year, is_lead=False)
    return org, second, fresh, new


def test_admin_reassigns_many_units_old_lead_stays_as_co_mentor(units):
    org, second, fresh, new = units
    last_year = MentorAssignment.objects.create(
        unit=org.unit, mentor=org.mentor, year=org.year - 1, is_lead=True
    )
    result = services.reassign_lead_mentor(
        user=org.admin,
        unit_ids=[org.unit.pk, second.unit.pk, fresh.pk],
        year=org.year,
        mentor_id=new.pk,
    )
    assert sorted(result.changed) == sorted([org.unit.pk, second.unit.pk, fresh.pk])
    assert result.demoted == {
        org.unit.pk: org.mentor.username,
        second.unit.pk: second.mentor.username,
    }
    now = leads(org.year)
    assert now[org.unit.pk] == now[second.unit.pk] == now[fresh.pk] == "pendamping.baru"
    # Former leads are co-mentors now (they keep seeing the cases they mentored).
    co = MentorAssignment.objects.get(unit=org.unit, mentor=org.mentor, year=org.year)
    assert co.is_lead is False
    assert MentorAssignment.objects.filter(unit=second.unit, mentor=new).count() == 1  # promoted
    last_year.refresh_from_db()
    assert last_year.is_lead  # other years untouched
    # Doing it again changes nothing.
    again = services.reassign_lead_mentor(
        user=org.admin, unit_ids=[org.unit.pk], year=org.year, mentor_id=new.pk
    )
    assert again.changed == [] and again.unchanged == [org.unit.pk]


@pytest.mark.parametrize("role", ["operator", "head", "mentor", "verifier", "observer"])
def test_only_admins(units, role):
    org, second, fresh, new = units
    before = snapshot()
    with pytest.raises(ActionForbidden):
        services.reassign_lead_mentor(
            user=getattr(org, role), unit_ids=[org.unit.pk], year=org.year, mentor_id=new.pk
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"unit_ids": []}, "unit_ids"),
        ({"unit_ids": "missing"}, "unit_ids"),
        ({"mentor_id": "not-a-mentor"}, "mentor_id"),
        ({"mentor_id": 999999}, "mentor_id"),
        ({"year": 1999}, "year"),
    ],
)
def test_bad_input_changes_nothing(units, change, field):
    org, second, fresh, new = units
    arguments = {
        "unit_ids": [org.unit.pk, second.unit.pk],
        "year": org.year,
        "mentor_id": new.pk,
    }
    if change.get("unit_ids") == "missing":
        change = {"unit_ids": [org.unit.pk, 987654]}  # one good unit, one unknown: nothing
    if change.get("mentor_id") == "not-a-mentor":
        change = {"mentor_id": org.operator.pk}
    arguments.update(change)
    before = snapshot()
    with pytest.raises(GuardFailed) as error:
        services.reassign_lead_mentor(user=org.admin, **arguments)
    assert field in error.value.fields
    assert snapshot() == before


def test_a_failure_midway_rolls_everything_back(units, monkeypatch):
    org, second, fresh, new = units
    before = snapshot()
    real_create = MentorAssignment.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(MentorAssignment.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.reassign_lead_mentor(
            user=org.admin,
            unit_ids=[org.unit.pk, fresh.pk, make_unit().pk],
            year=org.year,
            mentor_id=new.pk,
        )
    assert snapshot() == before


def test_page(client, units):
    org, second, fresh, new = units
    client.force_login(org.operator)
    assert client.get(URL).status_code == 403
    client.force_login(org.admin)
    html = client.get(URL, {"year": org.year}).content.decode()
    assert "Ganti pendamping utama" in html and "pendamping.baru" in html
    assert f'value="{org.unit.pk}"' in html
    response = client.post(
        URL, {"year": org.year, "mentor_id": new.pk, "unit_ids": [org.unit.pk, fresh.pk]}
    )
    assert response.status_code == 302
    assert leads(org.year)[fresh.pk] == "pendamping.baru"
    # No unit ticked: the page names the field, nothing is written.
    before = snapshot()
    response = client.post(URL, {"year": org.year, "mentor_id": new.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unit: Pilih sedikitnya satu unit." in html
    assert snapshot() == before
    response = client.post(URL, {"year": org.year, "mentor_id": "", "unit_ids": [org.unit.pk]})
    assert response.status_code == 400
    assert "Pendamping baru: Pilih pengguna aktif" in response.content.decode()
    assert snapshot() == before
    # What is not a unit id never reaches the service: the form names the field.
    response = client.post(URL, {"year": org.year, "mentor_id": new.pk, "unit_ids": ["x"]})
    assert response.status_code == 400
    assert "Unit: Pilihan unit tidak valid." in response.content.decode()
    assert snapshot() == before
