"""The innovation list paged by position (`after=<year>.<id>`, issue 14): a walk along the `next`
links sees every row once while rows are added, keeps the filters and the caller's scope, counts
nothing, costs the same at any depth, and a bad position is a 400 naming `after`."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.pagination import InnovationPagination
from mentoring.models import Innovation, MentoringSession, Stage
from tests.factories import Org, new_innovation
from workflow import selectors
from workflow.models import StageVisit

API = "/api/v1"
LIST = f"{API}/innovations/"
SIZE = 4


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(InnovationPagination, "page_size", SIZE)


@pytest.fixture
def earlier(org):
    """A second unit whose cases are of the year before (the list's second block)."""
    return Org(year=org.year - 1)


def list_order(ids) -> list[int]:
    """`ids` in the list's order: newest year first, then newest case."""
    rows = Innovation.objects.filter(pk__in=ids).values_list("year", "pk")
    return [pk for _year, pk in sorted(rows, reverse=True)]


def walk(client, params=None, *, between=None) -> list[int]:
    """Every id along the `next` links from the first keyset page; `between(page)` runs after
    each page (e.g. adds rows)."""
    response = client.get(LIST, {**(params or {}), "after": ""})
    seen: list[int] = []
    while True:
        assert response.status_code == 200, response.data
        body = response.data
        assert body["count"] is None and body["previous"] is None
        assert len(body["results"]) <= SIZE
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return seen
        assert "page=" not in body["next"]
        if between is not None:
            between(body)
        response = client.get(body["next"])


@pytest.mark.django_db
def test_walk_sees_every_row_once_while_rows_are_added(org, earlier, as_user):
    for _ in range(7):
        new_innovation(org)
        new_innovation(earlier)
    before = list(Innovation.objects.values_list("pk", flat=True))
    added: list[tuple[Innovation, str]] = []

    def add_rows(page):
        # A row of this year sorts above the position; one of the year before may still be
        # ahead of it (then the walk must reach it).
        cursor = page["next"].rsplit("after=", 1)[1]
        added.append((new_innovation(org), cursor))
        added.append((new_innovation(earlier), cursor))

    seen = walk(as_user(org.admin), between=add_rows)

    assert len(seen) == len(set(seen)), "a row came twice"
    assert set(before) <= set(seen), "a row that was there all along was missed"
    assert seen == list_order(seen)
    for row, cursor in added:
        year, pk = (int(part) for part in cursor.split("."))
        ahead = (row.year, row.pk) < (year, pk)
        assert (row.pk in seen) == ahead, (row.year, row.pk, cursor)
    assert any(row.pk in seen for row, _cursor in added)  # the walk did meet added rows


@pytest.mark.django_db
def test_walk_equals_the_page_numbered_list(org, earlier, as_user):
    for _ in range(5):
        new_innovation(org)
        new_innovation(earlier)
    client = as_user(org.admin)
    numbered, url = [], LIST
    while url:
        body = client.get(url).data
        assert body["count"] == 10
        numbered += [row["id"] for row in body["results"]]
        url = body["next"]
    assert walk(client) == numbered == list_order(numbered)


@pytest.mark.django_db
def test_walk_keeps_filters_and_the_callers_scope(org, earlier, as_user):
    own = [new_innovation(org, name=f"Layanan Desa {n}") for n in range(6)]
    others = [new_innovation(earlier, name=f"Layanan Desa Lain {n}") for n in range(5)]
    # An OPD operator sees their own unit only; the admin sees every unit.
    assert walk(as_user(org.operator)) == list_order(i.pk for i in own)
    assert walk(as_user(earlier.operator)) == list_order(i.pk for i in others)
    assert walk(as_user(org.admin)) == list_order(i.pk for i in own + others)

    Innovation.objects.filter(pk__in=[own[1].pk, own[4].pk, others[2].pk]).update(
        stage=Stage.MENTORING
    )
    admin = as_user(org.admin)
    assert walk(admin, {"stage": "mentoring"}) == list_order([own[1].pk, own[4].pk, others[2].pk])
    assert walk(admin, {"unit": earlier.unit.code}) == list_order(i.pk for i in others)
    assert walk(admin, {"year": org.year}) == list_order(i.pk for i in own)
    overdue = [own[0], own[3], others[1], others[4]]
    StageVisit.objects.filter(innovation__in=overdue, left_at__isnull=True).update(
        due_date=dt.date(2000, 1, 3)
    )
    assert walk(admin, {"overdue": "true"}) == list_order(i.pk for i in overdue)
    assert walk(as_user(org.operator), {"overdue": "true"}) == list_order([own[0].pk, own[3].pk])
    not_overdue = set(list_order(i.pk for i in own + others)) - {i.pk for i in overdue}
    assert walk(admin, {"overdue": "false"}) == list_order(not_overdue)


@pytest.mark.django_db
def test_text_search_pages_by_position_unless_ranked(org, earlier, as_user):
    """SQLite's substring search keeps the list's order, so it walks by position; PostgreSQL
    ranks the matches (an order no index has), so it keeps page numbers, as the web list does."""
    found = [new_innovation(earlier, name=f"Layanan Desa Lain {n}") for n in range(5)]
    new_innovation(org, name="Arsip Digital")
    admin = as_user(org.admin)
    if connection.vendor != "postgresql":
        assert walk(admin, {"q": "Lain"}) == list_order(i.pk for i in found)
        return
    response = admin.get(LIST, {"q": "Lain", "after": ""})
    assert response.status_code == 400, response.data
    assert list(response.data["errors"]) == ["after"]
    assert "gunakan nomor halaman (page)" in response.data["errors"]["after"][0]
    ranked = admin.get(LIST, {"q": "Lain"}).data
    assert ranked["count"] == 5 and ranked["next"].endswith("?page=2&q=Lain")


@pytest.mark.django_db
def test_next_link_carries_the_filters_and_drops_the_page_number(org, as_user):
    for _ in range(SIZE + 1):
        new_innovation(org)
    response = as_user(org.admin).get(LIST, {"after": "", "page": 2, "year": org.year})
    assert response.status_code == 200
    first = list_order(Innovation.objects.values_list("pk", flat=True))[:SIZE]
    assert [row["id"] for row in response.data["results"]] == first
    next_link = response.data["next"]
    assert next_link.endswith(f"?after={org.year}.{first[-1]}&year={org.year}"), next_link
    # A position after every row: an empty last page.
    end = f"{org.year}.{min(Innovation.objects.values_list('pk', flat=True))}"
    last = as_user(org.admin).get(LIST, {"after": end}).data
    assert last == {"count": None, "next": None, "previous": None, "results": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "²",
        "2026.²",
        "٢٠٢٦.1",
        "-1",
        "2026.-5",
        "12345",
        "2026",
        "2026.",
        ".5",
        "2026.1.2",
        "20260.5",
        "2026." + "9" * 19,
        "9" * 40,
        " ",
    ],
)
def test_bad_position_is_a_400_naming_after(org, as_user, raw):
    new_innovation(org)
    response = as_user(org.admin).get(LIST, {"after": raw})
    assert response.status_code == 400, response.data
    assert response.data["detail"] == "Data yang dikirim tidak valid."
    assert list(response.data["errors"]) == ["after"]
    assert "Posisi harus berbentuk <tahun>.<id>" in response.data["errors"]["after"][0]


def _page_queries(client, after: str) -> tuple[list[int], list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"after": after})
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]], [
        q["sql"] for q in captured.captured_queries
    ]


@pytest.mark.django_db
def test_a_deep_page_costs_what_the_first_does(org, earlier, as_user):
    """Same statements on the first page and deep in the list, none of them a count or an
    OFFSET; a page that crosses from one year into the one before reads one more."""
    for _ in range(3 * SIZE):
        innovation = new_innovation(org)
        MentoringSession.objects.create(
            innovation=innovation, mentor=org.mentor, date="2026-03-01", mode="daring", topic="x"
        )
    for _ in range(SIZE):
        new_innovation(earlier)
    order = list_order(Innovation.objects.values_list("pk", flat=True))
    for user in (org.admin, org.verifier, org.operator):  # the verifier's page reads sessions
        client = as_user(user)
        first_rows, first = _page_queries(client, "")
        deep_rows, deep = _page_queries(client, f"{org.year}.{order[SIZE - 1]}")
        assert (first_rows, deep_rows) == (order[:SIZE], order[SIZE : 2 * SIZE])
        assert len(deep) == len(first)
        for sql in first + deep:
            assert "COUNT(" not in sql.upper() and "OFFSET" not in sql.upper(), sql
        if user == org.admin:
            crossing_rows, crossing = _page_queries(client, f"{org.year}.{order[2 * SIZE + 1]}")
            assert crossing_rows == order[2 * SIZE + 2 : 3 * SIZE + 2]
            assert len(crossing) == len(first) + 1


@pytest.mark.django_db
def test_page_numbers_stop_at_the_counted_rows_and_name_after(org, as_user, monkeypatch):
    """At 500,000 innovations page 10,000 took ~900 ms (OFFSET reads every earlier row): page
    numbers reach the rows the lists count (LIST_COUNT_CAP), deeper reads go by position."""
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 2 * SIZE)
    for _ in range(3 * SIZE):
        new_innovation(org)
    client = as_user(org.admin)
    last = client.get(LIST, {"page": 2})
    assert last.status_code == 200 and len(last.data["results"]) == SIZE
    assert last.data["count"] == 3 * SIZE  # still exact
    deeper = client.get(LIST, {"page": 3})
    assert deeper.status_code == 400
    (problem,) = deeper.data["errors"]["page"]
    assert "sampai 2" in problem and "after" in problem
    # The rows past the numbered pages are one position away.
    rest = client.get(LIST, {"after": f"{org.year}.{last.data['results'][-1]['id']}"})
    assert len(rest.data["results"]) == SIZE
