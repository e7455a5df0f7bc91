"""Naming and ending substitutes (Plt./Plh. for a head, a mentor's substitute): every bad input
gets an Indonesian error naming its field and writes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.errors import ActionForbidden, GuardFailed
from mentoring import substitutions
from mentoring.models import Membership, MentorAssignment, Substitution
from tests.factories import Org, make_unit, make_user

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=WITA), tick=False):
        yield


def name_head(org, by, substitute, starts=TODAY, ends=TODAY + dt.timedelta(days=4), **kw):
    return substitutions.name_substitute(
        named_by=by,
        kind=kw.pop("kind", Substitution.Kind.PLT),
        unit=kw.pop("unit", org.unit),
        substitute=substitute,
        starts=starts,
        ends=ends,
        **kw,
    )


def refused(call, *fields: str) -> dict[str, list[str]]:
    """The call fails naming exactly `fields`, and no substitution is written."""
    before = Substitution.objects.count()
    with pytest.raises(GuardFailed) as caught:
        call()
    assert set(caught.value.fields) == set(fields), caught.value.fields
    assert Substitution.objects.count() == before
    return caught.value.fields


def test_a_head_names_an_operator_of_their_unit_as_plt():
    org = Org()
    made = name_head(org, org.head, org.operator, note="  SPT 800/12  ")
    assert (made.absent, made.substitute, made.named_by) == (org.head, org.operator, org.head)
    assert (made.kind, made.year, made.note) == ("plt", None, "SPT 800/12")
    assert made.is_in_force(TODAY) and not made.is_in_force(TODAY + dt.timedelta(days=5))


def test_dates_the_wrong_way_round_name_the_end_date():
    org = Org()
    errors = refused(
        lambda: name_head(org, org.head, org.operator, ends=TODAY - dt.timedelta(days=1)), "ends"
    )
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in errors["ends"]


def test_missing_dates_and_substitute_are_named():
    org = Org()
    errors = refused(
        lambda: name_head(org, org.admin, None, starts=None, ends=None),
        *("starts", "ends", "substitute"),
    )
    assert errors["substitute"] == ["Pilih pengganti."]


def test_a_range_already_over_or_too_long_is_refused():
    org = Org()
    refused(
        lambda: name_head(
            org,
            org.head,
            org.operator,
            starts=TODAY - dt.timedelta(days=9),
            ends=TODAY - dt.timedelta(days=2),
        ),
        "ends",
    )
    refused(
        lambda: name_head(org, org.head, org.operator, ends=TODAY + dt.timedelta(days=400)), "ends"
    )


def test_nobody_substitutes_for_themselves():
    org = Org()
    errors = refused(lambda: name_head(org, org.admin, org.head), "substitute")
    assert errors["substitute"] == ["Pengganti tidak boleh orang yang digantikan."]


def test_overlapping_ranges_for_the_same_head_are_refused_adjacent_ones_allowed():
    org = Org()
    name_head(org, org.head, org.operator, ends=TODAY + dt.timedelta(days=4))
    other = make_user()
    errors = refused(
        lambda: name_head(
            org,
            org.admin,
            other,
            kind="plh",
            starts=TODAY + dt.timedelta(days=4),
            ends=TODAY + dt.timedelta(days=6),
        ),
        "starts",
    )
    assert "Bertumpang tindih" in errors["starts"][0]
    name_head(
        org,
        org.admin,
        other,
        starts=TODAY + dt.timedelta(days=5),
        ends=TODAY + dt.timedelta(days=6),
    )
    assert Substitution.objects.count() == 2


def test_a_head_picks_from_their_unit_an_admin_picks_anyone():
    org = Org()
    outsider = make_user()
    errors = refused(lambda: name_head(org, org.head, outsider), "substitute")
    assert "operator" in errors["substitute"][0]
    assert name_head(org, org.admin, outsider).named_by == org.admin


def test_an_inactive_substitute_is_refused():
    org = Org()
    org.operator.is_active = False
    org.operator.save()
    refused(lambda: name_head(org, org.admin, org.operator), "substitute")


def test_only_the_units_head_or_an_admin_names_a_plt():
    org = Org()
    other_head = make_user(None, "opd_head")
    Membership.objects.create(unit=make_unit(), user=other_head, position="head")
    for person in (other_head, org.operator, org.mentor, org.observer):
        with pytest.raises(ActionForbidden):
            name_head(org, person, org.operator)
    assert not Substitution.objects.exists()


def test_a_unit_without_a_head_names_the_unit():
    org = Org()
    unit = make_unit()
    errors = refused(lambda: name_head(org, org.admin, org.operator, unit=unit), "unit")
    assert "belum memiliki kepala" in errors["unit"][0]


def test_a_mentors_substitute_must_be_a_mentor_and_the_absent_one_assigned():
    org = Org()
    other_mentor = make_user(None, "mentor")

    def name(**kw):
        return substitutions.name_substitute(
            named_by=kw.pop("by", org.admin),
            kind=Substitution.Kind.MENTOR_LEAVE,
            unit=org.unit,
            year=kw.pop("year", org.year),
            absent=kw.pop("absent", org.mentor),
            substitute=kw.pop("substitute", other_mentor),
            starts=TODAY,
            ends=TODAY + dt.timedelta(days=2),
        )

    errors = refused(lambda: name(substitute=org.operator), "substitute")
    assert errors["substitute"] == ["Pengganti pendamping harus pengguna berperan pendamping."]
    refused(lambda: name(absent=other_mentor, substitute=org.mentor), "absent")
    refused(lambda: name(year=None), "year")
    refused(lambda: name(year=org.year + 1), "absent")
    with pytest.raises(ActionForbidden):
        name(by=org.head)
    made = name()
    assert (made.absent, made.substitute, made.year) == (org.mentor, other_mentor, org.year)


def test_ending_early_and_who_may():
    org = Org()
    made = name_head(org, org.head, org.operator)
    with pytest.raises(ActionForbidden):
        substitutions.end_substitution(user=org.operator, substitution_id=made.pk)
    ended = substitutions.end_substitution(user=org.head, substitution_id=made.pk)
    assert ended.ended_at is not None and ended.ended_by == org.head
    assert not ended.is_in_force(TODAY)
    with pytest.raises(GuardFailed):
        substitutions.end_substitution(user=org.admin, substitution_id=made.pk)
    # Once ended, the same range may be given to someone else.
    assert name_head(org, org.admin, make_user()).pk != made.pk


def test_substitutes_page_names_lists_and_ends(client):
    org = Org()
    client.force_login(org.head)
    url = reverse("portal:substitutions")
    bad = client.post(
        url,
        {
            "form": "head",
            "kepala-kind": "plt",
            "kepala-unit": org.unit.pk,
            "kepala-substitute": org.operator.pk,
            "kepala-starts": "2026-03-12",
            "kepala-ends": "2026-03-11",
        },
    )
    assert bad.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in bad.content.decode()
    assert not Substitution.objects.exists()
    good = client.post(
        url,
        {
            "form": "head",
            "kepala-kind": "plh",
            "kepala-unit": org.unit.pk,
            "kepala-substitute": org.operator.pk,
            "kepala-starts": "2026-03-12",
            "kepala-ends": "2026-03-13",
        },
    )
    assert good.status_code == 302
    made = Substitution.objects.get()
    page = client.get(url).content.decode()
    assert f'id="substitution-{made.pk}"' in page and "Mendatang" in page
    # A head sees no mentor form; the operator (the substitute) sees the row but cannot end it.
    assert "name-mentor-substitute" not in page
    client.force_login(org.operator)
    assert f'id="substitution-end-{made.pk}"' not in client.get(url).content.decode()
    assert client.post(reverse("portal:substitution-end", args=[made.pk])).status_code == 403
    client.force_login(org.head)
    client.post(reverse("portal:substitution-end", args=[made.pk]))
    made.refresh_from_db()
    assert made.ended_at is not None


def test_admin_names_a_mentors_substitute_on_the_page(client):
    org = Org()
    other_mentor = make_user(None, "mentor")
    assignment = MentorAssignment.objects.get(unit=org.unit, mentor=org.mentor)
    client.force_login(org.admin)
    data = {
        "form": "mentor",
        "pendamping-assignment": assignment.pk,
        "pendamping-substitute": org.mentor.pk,
        "pendamping-starts": "2026-03-10",
        "pendamping-ends": "2026-03-20",
    }
    bad = client.post(reverse("portal:substitutions"), data)
    assert "Pengganti tidak boleh orang yang digantikan." in bad.content.decode()
    assert not Substitution.objects.exists()
    data["pendamping-substitute"] = other_mentor.pk
    assert client.post(reverse("portal:substitutions"), data).status_code == 302
    assert Substitution.objects.get().kind == "mentor_leave"


def test_admin_site_checks_like_the_service(client):
    org = Org()
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    url = reverse("admin:mentoring_substitution_add")
    data = {
        "kind": "plt",
        "unit": org.unit.pk,
        "substitute": org.head.pk,
        "starts": "2026-03-10",
        "ends": "2026-03-12",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "Pengganti tidak boleh orang yang digantikan." in (
        bad.content.decode()
    )
    assert not Substitution.objects.exists()
    data["substitute"] = org.operator.pk
    assert client.post(url, data).status_code == 302
    made = Substitution.objects.get()
    assert (made.absent, made.named_by) == (org.head, org.admin)
