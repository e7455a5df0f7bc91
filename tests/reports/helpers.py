"""Readers for downloaded reports: the csv module and openpyxl, as a person's program would."""

import csv
import io

from openpyxl import load_workbook


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, body(response)[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # rows are produced as they are sent
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")  # BOM for Excel
    # The separator follows the language (";" Indonesian, "," English): read it as Excel would.
    separator = ";" if '";"' in text.partition("\n")[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, body(response)[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
