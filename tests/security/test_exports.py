"""Findings 4 and 6: a name like `Inovasi;=cmd|' /C calc'!A0;x` was written unquoted, so a
spreadsheet splitting on ";" (the Indonesian locale's separator) ran the middle as a formula;
and a streamed export that failed part-way never completed its response."""

import csv
import io

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import Innovation
from reports import selectors
from tests.factories import new_innovation
from tests.reports.helpers import body

CSV = reverse("portal:report-innovations", args=["csv"])
XLSX = reverse("portal:report-innovations", args=["xlsx"])
ATTACK = "Inovasi;=cmd|' /C calc'!A0;x"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

pytestmark = pytest.mark.django_db


def download(user, url: str, language: str | None = None) -> str:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return body(response).decode("utf-8").removeprefix("\ufeff")


@pytest.mark.parametrize(("language", "separator"), [(None, ";"), ("en", ",")])
def test_no_cell_can_start_a_formula_in_any_spreadsheet_locale(org, language, separator):
    new_innovation(org, name=ATTACK)
    new_innovation(org, name="-1+1", tujuan='@SUM(A1)\n=HYPERLINK("x")')
    text = download(org.admin, CSV, language)
    assert text.partition("\n")[0].startswith('"ID"' + separator)
    # Read with every separator a spreadsheet might use: no cell starts a formula, and
    # with the file's own separator the name is one cell.
    for reader_separator in (";", ",", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=reader_separator):
            for cell in row:
                assert not cell.startswith(FORMULA_START), (reader_separator, cell)
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    names = {row[1] for row in rows[1:]}
    assert "Inovasi;'=cmd|' /C calc'!A0;x" in names and "'-1+1" in names


def test_the_workbook_keeps_formulas_as_text(org):
    new_innovation(org, name="=1+1")
    client = Client()
    client.force_login(org.admin)
    workbook = load_workbook(io.BytesIO(body(client.get(XLSX))))
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["'=1+1"]


@pytest.fixture
def failing_export(monkeypatch, org):
    new_innovation(org)
    real = selectors.innovation_export

    def export(**kwargs):
        table = real(**kwargs)

        def rows():
            yield from table.rows
            raise ConnectionError("the database went away mid-export")

        return selectors.Table(title=table.title, headers=table.headers, rows=rows())

    monkeypatch.setattr("reports.views.selectors.innovation_export", export)
    return org


def test_a_failed_csv_ends_its_response_and_says_so_wsgi(failing_export):
    text = download(failing_export.admin, CSV)
    lines = text.strip().splitlines()
    assert len(lines) == 3  # header, the row, the failure line
    assert "EKSPOR TIDAK LENGKAP" in lines[-1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_csv_ends_its_response_and_says_so_asgi(failing_export):
    client = AsyncClient()
    client.force_login = async_to_sync(client.aforce_login)
    client.force_login(failing_export.admin)

    async def fetch():
        response = await client.get(CSV)
        assert response.status_code == 200
        return b"".join([part async for part in response.streaming_content])

    text = async_to_sync(fetch)().decode("utf-8")
    assert "EKSPOR TIDAK LENGKAP" in text.strip().splitlines()[-1]
    assert Innovation.objects.count() == 1
