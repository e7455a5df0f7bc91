"""National results of a year (hasil pengukuran IID nasional): writes and the import files.

What the ministry publishes months after the submission: for the regency its SPD, final IID,
predicate, rank and the decree (number and date); per innovation its national score, status and
the parameter (1-3) the national verifiers set per indicator. An admin enters them on a page or
imports the per-innovation results from CSV/XLSX (the template lists the year's verified
innovations with what is recorded so far, so an export read back changes nothing).

Rules (every number comes from the year's Ruleset, PredicateThreshold and Indicator rows):
- the year needs its ruleset; the predicate is one of that year's bands (or blank until the
  decree), SPD lies in 0..spd_max, the final IID in 0..100, the rank is 1 or more;
- a result belongs to an innovation of the same programme year;
- a parameter is 1, 2 or 3 for an indicator of the year; blank means the indicator scored
  nothing nationally (no IndicatorResult row);
- the national score lies in 0..3 x (sum of the year's weights); left blank it is computed
  as sum(weight x parameter);
- an import is all or nothing: every row is checked (inside the transaction, before the first
  write) and one bad row writes nothing; the report names each row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import params
from core.errors import GuardFailed
from mentoring.imports import ImportReport, RowError
from mentoring.models import VERIFIED_STAGES, Indicator, Innovation
from mentoring.uploads import inflated_size_error

from .models import (
    IndicatorResult,
    InnovationResult,
    NationalResult,
    NationalStatus,
    PredicateThreshold,
    Ruleset,
)

MAX_PARAMETER = 3
CENT = Decimal("0.01")
IID_PLACES = Decimal("0.0001")
COL_ID = "id_inovasi"
COL_NAME = "nama_inovasi"
COL_UNIT = "unit"
COL_SCORE = "skor_nasional"
COL_STATUS = "status"
INDICATOR_PREFIX = "indikator_"
# Shown in the template for people; not read back.
INFO_COLUMNS = (COL_NAME, COL_UNIT)
BASE_COLUMNS = (COL_ID, COL_NAME, COL_UNIT, COL_SCORE, COL_STATUS)
REQUIRED_COLUMNS = (COL_ID, COL_STATUS)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
DECREE_NUMBER_MAX = 120
# Service field -> import column.
_COLUMN_FOR = {"innovation": COL_ID, "score": COL_SCORE, "status": COL_STATUS}
_INDICATOR_COLUMN = re.compile(r"^indikator_(\d{1,4})$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def indicator_column(number: int) -> str:
    """The import column (and page form field) of indicator `number`'s parameter."""
    return f"{INDICATOR_PREFIX}{number}"


# --- the year's rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRules:
    """What a year's results are checked against."""

    year: int
    ruleset: Ruleset
    indicators: dict[int, Indicator]  # by number
    band_names: tuple[str, ...]

    @property
    def score_max(self) -> Decimal:
        return Decimal(MAX_PARAMETER * sum(i.weight for i in self.indicators.values()))


def year_rules(*, year: int) -> YearRules:
    """The year's ruleset, indicators and predicate names; GuardFailed when there is none."""
    ruleset = Ruleset.objects.filter(year=year).first()
    if ruleset is None:
        raise GuardFailed(
            _("Aturan penilaian tahun %d belum ada.") % year,
            fields={"year": [_("Aturan penilaian IID tahun %d belum ada.") % year]},
        )
    indicators = {i.number: i for i in Indicator.objects.filter(year=year).order_by("number")}
    bands = PredicateThreshold.objects.filter(ruleset=ruleset).order_by("-lower")
    return YearRules(
        year=year,
        ruleset=ruleset,
        indicators=indicators,
        band_names=tuple(bands.values_list("name", flat=True)),
    )


# --- the regency's figures ---------------------------------------------------------------------


@transaction.atomic
def save_regency_result(
    *,
    user: User,
    year: int,
    spd: Decimal | None,
    final_iid: Decimal | None,
    predicate: str,
    rank: int | None,
    decree_number: str,
    decree_date: dt.date | None,
) -> NationalResult:
    """Enter (or correct) the regency's national result of `year`."""
    rules = year_rules(year=year)
    errors: dict[str, list[str]] = {}
    predicate = predicate.strip()
    decree_number = decree_number.strip()
    if spd is not None and not (spd.is_finite() and 0 <= spd <= rules.ruleset.spd_max):
        errors["spd"] = [_("Skor SPD harus angka antara 0 dan %s.") % rules.ruleset.spd_max]
    if final_iid is not None and not (final_iid.is_finite() and 0 <= final_iid <= 100):
        errors["final_iid"] = [_("IID final harus angka antara 0 dan 100.")]
    if predicate and predicate not in rules.band_names:
        errors["predicate"] = [
            _("Predikat tidak dikenal untuk tahun %(year)d; pilih salah satu: %(names)s.")
            % {"year": year, "names": ", ".join(rules.band_names) or "-"}
        ]
    if rank is not None and rank < 1:
        errors["rank"] = [_("Peringkat harus bilangan bulat 1 atau lebih.")]
    if len(decree_number) > DECREE_NUMBER_MAX:
        errors["decree_number"] = [
            _("Nomor keputusan paling banyak %d karakter.") % DECREE_NUMBER_MAX
        ]
    if errors:
        raise GuardFailed(_("Hasil nasional tidak disimpan; periksa isian."), fields=errors)
    result, _created = NationalResult.objects.select_for_update().get_or_create(year=year)
    result.spd = spd.quantize(CENT) if spd is not None else None
    result.final_iid = final_iid.quantize(IID_PLACES) if final_iid is not None else None
    result.predicate = predicate
    result.rank = rank
    result.decree_number = decree_number
    result.decree_date = decree_date
    result.entered_by = user
    result.save()
    return result


# --- one innovation's result -------------------------------------------------------------------


@dataclass(frozen=True)
class InnovationInput:
    """One innovation's national result as typed values (from the page or a file's row)."""

    innovation_id: int
    score: Decimal | None  # None: computed from the parameters and weights
    status: str
    parameters: Mapping[int, int | None]  # indicator number -> 1..3 (None: not scored)


def _input_errors(
    entry: InnovationInput, *, rules: YearRules, innovations: Mapping[int, Innovation]
) -> dict[str, list[str]]:
    """The domain rules of one innovation's result; field names as the page form's (the import
    maps them to its columns)."""
    errors: dict[str, list[str]] = {}
    innovation = innovations.get(entry.innovation_id)
    if innovation is None:
        errors["innovation"] = [_("Inovasi dengan id %d tidak ada.") % entry.innovation_id]
    elif innovation.year != rules.year:
        errors["innovation"] = [
            _("Inovasi %(id)d (%(name)s) adalah inovasi tahun %(other)d, bukan %(year)d.")
            % {
                "id": innovation.pk,
                "name": innovation.name,
                "other": innovation.year,
                "year": rules.year,
            }
        ]
    if entry.status not in NationalStatus.values:
        errors["status"] = [
            _("Status tidak dikenal; pilih salah satu: %s.")
            % ", ".join(str(label) for label in NationalStatus.labels)
        ]
    for number, parameter in entry.parameters.items():
        field = indicator_column(number)
        if number not in rules.indicators:
            errors[field] = [
                _("Indikator %(number)d tidak ada pada tahun %(year)d.")
                % {"number": number, "year": rules.year}
            ]
        elif parameter is not None and parameter not in (1, 2, MAX_PARAMETER):
            errors[field] = [
                _("Parameter indikator %(number)d harus 1, 2 atau 3 (kosong: tidak dinilai).")
                % {"number": number}
            ]
    if entry.score is not None and not (
        entry.score.is_finite() and 0 <= entry.score <= rules.score_max
    ):
        errors["score"] = [_("Skor nasional harus angka antara 0 dan %s.") % rules.score_max]
    return errors


def _computed_score(entry: InnovationInput, rules: YearRules) -> Decimal:
    if entry.score is not None:
        return entry.score.quantize(CENT)
    return Decimal(
        sum(rules.indicators[n].weight * p for n, p in entry.parameters.items() if p is not None)
    ).quantize(CENT)


def _write(
    entry: InnovationInput, *, result: NationalResult, rules: YearRules, user: User
) -> tuple[InnovationResult, bool]:
    """Write one checked entry: the innovation's result, and True when it was created."""
    row, created = InnovationResult.objects.update_or_create(
        national_result=result,
        innovation_id=entry.innovation_id,
        defaults={
            "score": _computed_score(entry, rules),
            "status": entry.status,
            "entered_by": user,
        },
    )
    if not created:
        row.indicators.all().delete()
    IndicatorResult.objects.bulk_create(
        IndicatorResult(innovation_result=row, indicator=rules.indicators[n], parameter=p)
        for n, p in sorted(entry.parameters.items())
        if p is not None
    )
    return row, created


def _year_result(year: int) -> NationalResult:
    return NationalResult.objects.select_for_update().get_or_create(year=year)[0]


@transaction.atomic
def save_innovation_result(
    *,
    user: User,
    year: int,
    innovation_id: int,
    score: Decimal | None,
    status: str,
    parameters: Mapping[int, int | None],
) -> InnovationResult:
    """Enter (or replace) one innovation's national result of `year`."""
    rules = year_rules(year=year)
    entry = InnovationInput(innovation_id, score, status, dict(parameters))
    innovations = Innovation.objects.in_bulk([innovation_id])
    errors = _input_errors(entry, rules=rules, innovations=innovations)
    if errors:
        raise GuardFailed(_("Hasil nasional inovasi tidak disimpan; periksa isian."), fields=errors)
    row, _created = _write(entry, result=_year_result(year), rules=rules, user=user)
    return row


# --- the import file ---------------------------------------------------------------------------


@dataclass
class Sheet:
    """A file's header and rows (line number, column -> text), or why it cannot be read."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[RowError]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _known_column(name: str) -> bool:
    return name in BASE_COLUMNS or bool(_INDICATOR_COLUMN.match(name))


def _csv_lines(data: bytes) -> tuple[Iterator[tuple[int, list[str]]] | None, list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            RowError(
                0,
                "",
                _("Berkas bukan teks UTF-8 (byte ke-%d). Simpan ulang sebagai 'CSV UTF-8'.")
                % (exc.start + 1),
            )
        ]
    first = text.splitlines()[0] if text.strip() else ""

    def known(delimiter: str) -> int:
        names = next(csv.reader([first], delimiter=delimiter), [])
        return sum(1 for name in names if _known_column(name.strip().lower()))

    delimiter = max((";", ","), key=known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def lines() -> Iterator[tuple[int, list[str]]]:
        for values in reader:
            yield reader.line_num, [value.strip() for value in values]

    return lines(), []


def _xlsx_lines(upload: UploadedFile) -> tuple[Iterator[tuple[int, list[str]]] | None, list]:
    from openpyxl import load_workbook

    if error := inflated_size_error(upload):
        return None, [RowError(0, "", error)]
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        return None, [RowError(0, "", _("Berkas XLSX rusak: isinya tidak dapat dibaca."))]
    sheet = workbook.worksheets[0]

    def lines() -> Iterator[tuple[int, list[str]]]:
        for line, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield line, [_cell_text(value) for value in values]

    return lines(), []


def read_results_file(*, upload: UploadedFile) -> Sheet:
    """Read an uploaded CSV (UTF-8, ';' or ',') or XLSX (first sheet) into a Sheet."""
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        return Sheet(
            [], [], [RowError(0, "", _("Berkas melebihi %d MB.") % (MAX_IMPORT_BYTES // 2**20))]
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"PK"):
        lines, errors = _xlsx_lines(upload)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        lines, errors = (
            None,
            [RowError(0, "", _("Format .xls lama tidak didukung; simpan sebagai .xlsx atau CSV."))],
        )
    else:
        lines, errors = _csv_lines(upload.read())
    if lines is None:
        return Sheet([], [], errors)
    first = next(lines, None)
    if first is None or not any(first[1]):
        return Sheet([], [], [RowError(1, "", _("Baris pertama harus berisi judul kolom."))])
    header = [name.strip().lower() for name in first[1]]
    while header and not header[-1]:
        header.pop()  # spreadsheets keep empty trailing columns
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in lines:
        if not any(values):
            continue  # blank lines (a trailing one is common in spreadsheets)
        if len(rows) >= MAX_IMPORT_ROWS:
            errors.append(
                RowError(line, "", _("Berkas lebih dari %d baris data.") % MAX_IMPORT_ROWS)
            )
            break
        if any(values[len(header) :]):
            errors.append(
                RowError(
                    line,
                    "",
                    _("Baris berisi nilai di luar kolom yang berjudul (%d kolom).") % len(header),
                )
            )
            continue
        values = values + [""] * (len(header) - len(values))
        rows.append((line, {name: values[i] for i, name in enumerate(header) if name}))
    return Sheet(header, rows, errors)


def _header_errors(header: list[str], rules: YearRules) -> tuple[list[RowError], dict[str, int]]:
    """Problems with the title row, and the indicator columns it has (column -> number)."""
    errors: list[RowError] = []
    indicator_columns: dict[str, int] = {}
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            errors.append(RowError(1, name, _("Kolom muncul lebih dari sekali.")))
        seen.add(name)
        match = _INDICATOR_COLUMN.match(name)
        if match:
            number = int(match.group(1))
            if number in rules.indicators:
                indicator_columns[name] = number
            else:
                errors.append(
                    RowError(
                        1,
                        name,
                        _("Indikator %(number)d tidak ada pada tahun %(year)d (ada: %(range)s).")
                        % {
                            "number": number,
                            "year": rules.year,
                            "range": _numbers(rules.indicators),
                        },
                    )
                )
        elif name not in BASE_COLUMNS:
            errors.append(
                RowError(
                    1,
                    name,
                    _("Kolom tidak dikenal. Kolom yang dikenal: %(base)s, indikator_<nomor>.")
                    % {"base": ", ".join(BASE_COLUMNS)},
                )
            )
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(1, name, _("Kolom wajib tidak ada di baris judul.")))
    return errors, indicator_columns


def _numbers(indicators: Mapping[int, Indicator]) -> str:
    numbers = sorted(indicators)
    return f"{numbers[0]}-{numbers[-1]}" if numbers else "-"


_STATUS_BY_TEXT = {
    **{str(value): str(value) for value in NationalStatus.values},
    "tidak dinilai": NationalStatus.NOT_ASSESSED,
}


def _parse_status(text: str) -> str:
    """The status value from its code or its (Indonesian) label, any case."""
    key = text.strip().lower()
    if key in _STATUS_BY_TEXT:
        return _STATUS_BY_TEXT[key]
    for value, label in NationalStatus.choices:
        if key == str(label).lower():
            return value
    return text.strip()


def parse_decimal(text: str) -> Decimal | None:
    """A decimal number written with '.' or ',' (Indonesian); None when blank. ValueError when
    it is not a number."""
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _parse_row(
    line: int, row: dict[str, str], indicator_columns: Mapping[str, int]
) -> tuple[InnovationInput | None, list[RowError]]:
    errors: list[RowError] = []
    if not any(row.get(column) for column in (COL_SCORE, COL_STATUS, *indicator_columns)):
        return None, []  # listed in the template, no national result yet: skipped
    raw_id = row.get(COL_ID, "")
    innovation_id = params.whole_number(raw_id) if len(raw_id) <= 12 else None
    if innovation_id is None:
        errors.append(
            RowError(
                line,
                COL_ID,
                _("Id inovasi wajib diisi dengan bilangan bulat (tertulis: '%s').") % raw_id[:40],
            )
        )
    score = None
    try:
        score = parse_decimal(row.get(COL_SCORE, ""))
    except ValueError:
        errors.append(
            RowError(line, COL_SCORE, _("Skor nasional bukan angka: '%s'.") % row[COL_SCORE][:40])
        )
    status = _parse_status(row.get(COL_STATUS, ""))
    if not status:
        errors.append(RowError(line, COL_STATUS, _("Status wajib diisi.")))
    parameters: dict[int, int | None] = {}
    for column, number in indicator_columns.items():
        text = row.get(column, "")
        if not text:
            parameters[number] = None
        elif text in ("1", "2", "3"):
            parameters[number] = int(text)
        else:
            errors.append(
                RowError(
                    line,
                    column,
                    _(
                        "Parameter indikator %(number)d harus 1, 2 atau 3 "
                        "(kosong: tidak dinilai); tertulis '%(text)s'."
                    )
                    % {"number": number, "text": text[:40]},
                )
            )
    if errors or innovation_id is None:
        return None, errors
    return InnovationInput(innovation_id, score, status, parameters), []


def import_innovation_results(*, user: User, year: int, upload: UploadedFile) -> ImportReport:
    """Import per-innovation national results of `year` from CSV/XLSX: all rows or none.

    Rows replace the results of the innovations they name (their parameters included); other
    innovations keep theirs. The report counts what was created and updated, or lists every
    problem (row and column) when nothing was written.
    """
    report = ImportReport()
    try:
        rules = year_rules(year=year)
    except GuardFailed as missing:
        report.errors.append(RowError(0, "", missing.message))
        return report
    sheet = read_results_file(upload=upload)
    report.errors += sheet.errors
    if sheet.errors or not sheet.header:
        return report
    header_errors, indicator_columns = _header_errors(sheet.header, rules)
    if header_errors:
        report.errors += header_errors
        return report
    if not sheet.rows:
        report.errors.append(RowError(2, "", _("Berkas tidak berisi baris data.")))
        return report
    with transaction.atomic():
        # Checked inside the transaction, so what was checked is what gets written.
        entries: list[tuple[int, InnovationInput]] = []
        first_line: dict[str, int] = {}
        for line, row in sheet.rows:
            entry, errors = _parse_row(line, row, indicator_columns)
            raw_id = row.get(COL_ID, "")
            if raw_id and (entry is not None or errors):
                if raw_id in first_line:
                    report.errors.append(
                        RowError(
                            line,
                            COL_ID,
                            _("Inovasi %(id)s sudah ada di baris %(line)d.")
                            % {"id": raw_id[:40], "line": first_line[raw_id]},
                        )
                    )
                    continue
                first_line[raw_id] = line
            report.errors += errors
            if entry is not None:
                entries.append((line, entry))
        if not entries and not report.errors:
            report.errors.append(
                RowError(2, "", _("Berkas tidak berisi hasil nasional satu inovasi pun."))
            )
        innovations = Innovation.objects.in_bulk([entry.innovation_id for _l, entry in entries])
        for line, entry in entries:
            for field, messages in _input_errors(
                entry, rules=rules, innovations=innovations
            ).items():
                column = _COLUMN_FOR.get(field, field)
                report.errors += [RowError(line, column, message) for message in messages]
        if report.errors:
            return report
        result = _year_result(year)
        for _line, entry in entries:
            if _write(entry, result=result, rules=rules, user=user)[1]:
                report.created += 1
            else:
                report.updated += 1
    return report


# --- the template (and export) -----------------------------------------------------------------


def _safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets an apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


@dataclass(frozen=True)
class TemplateTable:
    header: list[str]
    rows: list[list[str]]


def template_table(*, year: int) -> TemplateTable:
    """The import template: the year's verified innovations (the ones sent to the national
    system) and any with a recorded result, with what is recorded so far."""
    return _template_table(year_rules(year=year))


def _template_table(rules: YearRules) -> TemplateTable:
    year = rules.year
    numbers = sorted(rules.indicators)
    header = [*BASE_COLUMNS, *(indicator_column(n) for n in numbers)]
    results = {
        row.innovation_id: row
        for row in InnovationResult.objects.filter(national_result__year=year)
    }
    parameters: dict[int, dict[int, int]] = {}
    for innovation_id, number, parameter in IndicatorResult.objects.filter(
        innovation_result__national_result__year=year
    ).values_list("innovation_result__innovation_id", "indicator__number", "parameter"):
        parameters.setdefault(innovation_id, {})[number] = parameter
    ordered = Innovation.objects.filter(
        Q(year=year, stage__in=VERIFIED_STAGES) | Q(pk__in=list(results))
    ).select_related("unit")
    rows = []
    for innovation in ordered.order_by("unit__name", "name", "pk"):
        result = results.get(innovation.pk)
        given = parameters.get(innovation.pk, {})
        rows.append(
            [
                str(innovation.pk),
                _safe_text(innovation.name),
                _safe_text(innovation.unit.name),
                str(result.score) if result else "",
                result.status if result else "",
                *(str(given[n]) if n in given else "" for n in numbers),
            ]
        )
    return TemplateTable(header, rows)


def template_csv(*, year: int) -> bytes:
    """The template as CSV (UTF-8 with BOM, ';' as Indonesian spreadsheets expect)."""
    table = template_table(year=year)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(*, year: int) -> bytes:
    """The template as XLSX: the results sheet first (the one read back), then a guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rules = year_rules(year=year)
    table = _template_table(rules)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Hasil nasional")[:31]
    sheet.append(table.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # never a formula
    guide = workbook.create_sheet(_("Petunjuk")[:31])
    guide.append([_("Kolom"), _("Isi")])
    guide.append([COL_ID, _("Id inovasi di Pandu Inovasi (jangan diubah).")])
    guide.append([COL_NAME + ", " + COL_UNIT, _("Untuk dibaca; tidak diimpor.")])
    guide.append([COL_SCORE, _("Skor nasional inovasi; kosong: dihitung dari bobot x parameter.")])
    guide.append(
        [
            COL_STATUS,
            ", ".join(f"{value} ({label})" for value, label in NationalStatus.choices),
        ]
    )
    for number, indicator in sorted(rules.indicators.items()):
        guide.append(
            [
                indicator_column(number),
                _("%(name)s (bobot %(weight)d): parameter 1, 2 atau 3; kosong: tidak dinilai.")
                % {"name": indicator.name, "weight": indicator.weight},
            ]
        )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
