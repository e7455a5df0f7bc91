"""The innovation list pages by position (issue 14): the "next" link carries the last row's
(year, id), a page deep in the list reads an index range, and the count stops at a cap."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import Innovation
from tests.factories import new_innovation
from workflow import selectors

pytestmark = pytest.mark.django_db


def _next_link(html: str) -> str:
    found = re.search(r'href="\?([^"]*after=[0-9.]+)"', html)
    assert found, "no next link by position"
    return found.group(1).replace("&amp;", "&")


def test_next_pages_follow_the_position_across_years(client, org):
    for n in range(20):
        new_innovation(org, name=f"Inovasi Nomor {n:02d}", year=2026)
    for n in range(20, 32):
        new_innovation(org, name=f"Inovasi Nomor {n:02d}", year=2025)
    client.force_login(org.admin)
    first = client.get("/innovations/").content.decode()
    assert "Halaman 1 dari 2" in first and "Inovasi Nomor 19" in first
    second = client.get("/innovations/?" + _next_link(first)).content.decode()
    # Newest year first, newest case first: page 2 is the last 7 of 2025's.
    names = re.findall(r">Inovasi Nomor (\d\d)</a>", second)
    assert names == ["26", "25", "24", "23", "22", "21", "20"]
    assert "Halaman pertama" in second and "after=" not in second.split("Halaman pertama")[1]


def test_a_filter_is_kept_on_the_next_page(client, org):
    for n in range(27):
        new_innovation(org, name=f"Inovasi Nomor {n:02d}")
    client.force_login(org.admin)
    first = client.get("/innovations/", {"stage": "proposal"}).content.decode()
    link = _next_link(first)
    assert "stage=proposal" in link
    second = client.get("/innovations/?" + link).content.decode()
    assert re.findall(r">Inovasi Nomor (\d\d)</a>", second) == ["01", "00"]


def test_a_deep_page_costs_the_queries_of_the_first(client, org):
    for n in range(60):
        new_innovation(org, name=f"Inovasi Nomor {n:02d}")
    client.force_login(org.admin)
    client.get("/innovations/")
    with CaptureQueriesContext(connection) as first:
        html = client.get("/innovations/").content.decode()
    with CaptureQueriesContext(connection) as deep:
        client.get("/innovations/?" + _next_link(html))
    # At most one more: the position's year runs out and the years before are read.
    assert len(deep.captured_queries) <= len(first.captured_queries) + 1


def test_a_malformed_position_shows_the_first_page(client, org):
    new_innovation(org, name="Inovasi Satu")
    client.force_login(org.admin)
    for raw in ("x", "2026.", ".5", "2026.5.5", "99999.1", "-1.3"):
        assert selectors.parse_cursor(raw) is None
        response = client.get("/innovations/", {"after": raw})
        assert response.status_code == 200 and "Inovasi Satu" in response.content.decode()


def test_the_count_stops_at_the_cap(org):
    for _ in range(7):
        new_innovation(org)
    assert selectors.list_count(Innovation.objects.all(), cap=5) == 6
    assert selectors.list_count(Innovation.objects.all(), cap=50) == 7


def test_more_than_the_cap_is_said_so(client, org, monkeypatch):
    for _ in range(4):
        new_innovation(org)
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(selectors.list_count, "__kwdefaults__", {"cap": 3})
    client.force_login(org.admin)
    html = client.get("/innovations/").content.decode()
    assert "lebih dari 3 inovasi" in html
