"""Bulk import of organisation units and people from CSV files (validate everything, then write).

The file formats are described in docs/import-format.md. Every row is checked before anything is
written; one bad row aborts the whole import, so a file is either taken whole or not at all.
"""

import contextlib
import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from core import params

from .models import (
    COMMUNITY_KINDS,
    Membership,
    MentorAssignment,
    PekanCategory,
    Region,
    Role,
    Unit,
    UnitKind,
)

UNIT_COLUMNS = ("code", "name", "kind", "category")
UNIT_REQUIRED = ("code", "name", "kind")
PEOPLE_COLUMNS = (
    "username",
    "full_name",
    "email",
    "roles",
    "unit",
    "position",
    "mentor_units",
    "year",
    "lead",
    "password",
)
PEOPLE_REQUIRED = ("username", "full_name", "roles")
YES = {"yes", "ya", "y", "true", "1"}
NO = {"no", "tidak", "t", "n", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the line number (header = 1), the column and what is wrong."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Baris {self.row}"
        if self.column:
            where += f", kolom '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """The outcome: counts when written, errors when refused (then nothing was written)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Table:
    rows: list[tuple[int, dict[str, str]]]
    errors: list[RowError]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _pick_delimiter(text: str, expected: tuple[str, ...]) -> str:
    """';' or ',': ask csv.Sniffer, then check the header really splits into known columns."""
    sample = text[:4096]
    candidates = []
    with contextlib.suppress(csv.Error):
        candidates.append(csv.Sniffer().sniff(sample, delimiters=";,").delimiter)
    candidates += [d for d in (";", ",") if d not in candidates]
    header = text.splitlines()[0] if text else ""

    def known(delimiter: str) -> int:
        names = next(csv.reader([header], delimiter=delimiter), [])
        return sum(1 for name in names if name.strip().lower() in expected)

    # The sniffer guesses from the whole sample; commas inside names can fool it.
    return max(candidates, key=lambda d: (known(d), -candidates.index(d)))


def read_table(*, data: bytes | str, columns: tuple[str, ...], required: tuple[str, ...]) -> _Table:
    """Decode (UTF-8, with or without BOM), sniff the delimiter and read rows as dicts."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return _Table(
                [],
                [
                    RowError(
                        0,
                        "",
                        f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1}). "
                        "Simpan ulang sebagai 'CSV UTF-8'.",
                    )
                ],
            )
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        return _Table(
            [], [RowError(1, "", "Berkas kosong; baris pertama harus berisi judul kolom.")]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_pick_delimiter(text, columns))
    header = [name.strip().lower() for name in next(reader)]
    errors: list[RowError] = []
    for name in header:
        if name and name not in columns:
            errors.append(
                RowError(1, name, f"Kolom tidak dikenal. Kolom yang dikenal: {', '.join(columns)}.")
            )
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "Kolom muncul lebih dari sekali."))
        seen.add(name)
    for name in required:
        if name not in header:
            errors.append(RowError(1, name, "Kolom wajib tidak ada di baris judul."))
    if errors:
        return _Table([], errors)
    rows: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue  # blank lines (a trailing one is common in spreadsheets)
        if len(values) > len(header):
            errors.append(
                RowError(
                    line,
                    "",
                    f"Baris berisi {len(values)} nilai, sedangkan judul hanya {len(header)} kolom.",
                )
            )
            continue
        values += [""] * (len(header) - len(values))
        row = {name: value.strip() for name, value in zip(header, values, strict=True) if name}
        rows.append((line, {name: row.get(name, "") for name in columns}))
    if not rows and not errors:
        errors.append(RowError(2, "", "Berkas tidak berisi baris data."))
    return _Table(rows, errors)


# --- units -------------------------------------------------------------------------------------


def _unit_row_errors(line: int, row: dict[str, str], codes_seen: dict[str, int]) -> list[RowError]:
    errors = []
    code = row["code"]
    if not code:
        errors.append(RowError(line, "code", "Kode wajib diisi."))
    else:
        try:
            validate_slug(code)
        except ValidationError:
            errors.append(
                RowError(
                    line, "code", f"Kode '{code}' hanya boleh berisi huruf, angka, '-' dan '_'."
                )
            )
        if len(code) > 40:
            errors.append(RowError(line, "code", "Kode paling panjang 40 karakter."))
        if code in codes_seen:
            errors.append(
                RowError(line, "code", f"Kode '{code}' sudah dipakai di baris {codes_seen[code]}.")
            )
        else:
            codes_seen[code] = line
    if not row["name"]:
        errors.append(RowError(line, "name", "Nama unit wajib diisi."))
    elif len(row["name"]) > 200:
        errors.append(RowError(line, "name", "Nama unit paling panjang 200 karakter."))
    kind = row["kind"].lower()
    if kind not in UnitKind.values:
        errors.append(
            RowError(
                line,
                "kind",
                f"Jenis unit '{row['kind']}' tidak dikenal. Pilih: {', '.join(UnitKind.values)}.",
            )
        )
    category = row["category"].lower()
    if kind in COMMUNITY_KINDS and category not in PekanCategory.values:
        errors.append(
            RowError(
                line,
                "category",
                f"Kategori Pekan Inovasi '{row['category']}' tidak dikenal. "
                f"Pilih: {', '.join(PekanCategory.values)}.",
            )
        )
    elif kind in UnitKind.values and kind not in COMMUNITY_KINDS and category:
        errors.append(
            RowError(
                line,
                "category",
                "Kategori Pekan Inovasi hanya untuk sekolah, BUMDes dan kelompok masyarakat.",
            )
        )
    return errors


def import_units(*, data: bytes | str, dry_run: bool = False) -> ImportReport:
    """Validate every row of a units CSV, then create or update units by code in one transaction."""
    table = read_table(data=data, columns=UNIT_COLUMNS, required=UNIT_REQUIRED)
    report = ImportReport(errors=list(table.errors))
    codes_seen: dict[str, int] = {}
    for line, row in table.rows:
        report.errors += _unit_row_errors(line, row, codes_seen)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        existing = {unit.code: unit for unit in Unit.objects.select_for_update()}
        region = Region.sole()  # new units belong to the installation's region
        for _line, row in table.rows:
            unit = existing.get(row["code"])
            kind, category = row["kind"].lower(), row["category"].lower()
            if unit is None:
                Unit.objects.create(
                    code=row["code"], name=row["name"], kind=kind, category=category, region=region
                )
                report.created += 1
            else:
                if (unit.name, unit.kind, unit.category) != (row["name"], kind, category):
                    unit.name, unit.kind, unit.category = row["name"], kind, category
                    unit.save(update_fields=["name", "kind", "category"])
                report.updated += 1
    return report


# --- people ------------------------------------------------------------------------------------


@dataclass
class _Person:
    line: int
    username: str
    full_name: str
    email: str
    roles: list[str]
    unit: str
    position: str
    mentor_units: list[str]
    year: int | None
    leads: set[str]
    password: str


def _parse_lead(line: int, raw: str, mentor_units: list[str]) -> tuple[set[str], list[RowError]]:
    """'yes'/'no', or a ';' list of the mentor_units this mentor leads."""
    value = raw.strip().lower()
    if value in YES:
        return set(mentor_units), []
    if value in NO:
        return set(), []
    codes = _split(raw)
    stray = [code for code in codes if code not in mentor_units]
    if stray:
        return set(), [
            RowError(
                line,
                "lead",
                "Isi 'yes', 'no', atau kode unit dari mentor_units; "
                f"tidak ada di mentor_units: {', '.join(stray)}.",
            )
        ]
    return set(codes), []


def _person_row(
    line: int, row: dict[str, str], units: dict[str, Unit]
) -> tuple[_Person, list[RowError]]:
    errors: list[RowError] = []
    username = row["username"]
    if not username:
        errors.append(RowError(line, "username", "Nama pengguna wajib diisi."))
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.append(
                RowError(
                    line,
                    "username",
                    f"Nama pengguna '{username}' hanya boleh berisi huruf, angka dan @ . + - _.",
                )
            )
        if len(username) > 150:
            errors.append(RowError(line, "username", "Nama pengguna paling panjang 150 karakter."))
    full_name = row["full_name"]
    if not full_name:
        errors.append(RowError(line, "full_name", "Nama lengkap wajib diisi."))
    elif len(full_name) > 150:
        errors.append(RowError(line, "full_name", "Nama lengkap paling panjang 150 karakter."))
    email = row["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "email", f"Alamat e-mail '{email}' tidak valid."))
    roles = [role.lower() for role in _split(row["roles"])]
    if not roles:
        errors.append(RowError(line, "roles", "Isi minimal satu peran."))
    for role in roles:
        if role not in Role.values:
            errors.append(
                RowError(
                    line,
                    "roles",
                    f"Peran '{role}' tidak dikenal. Pilih: {', '.join(Role.values)}.",
                )
            )
    if len(set(roles)) != len(roles):
        errors.append(RowError(line, "roles", "Peran yang sama ditulis lebih dari sekali."))

    unit, position = row["unit"], row["position"].lower()
    if unit and unit not in units:
        errors.append(RowError(line, "unit", f"Unit dengan kode '{unit}' tidak ada."))
    if unit and not position:
        errors.append(RowError(line, "position", "Isi jabatan di unit: head atau operator."))
    if position and position not in Membership.Position.values:
        errors.append(
            RowError(line, "position", f"Jabatan '{row['position']}' tidak dikenal: head/operator.")
        )
    if position and not unit:
        errors.append(RowError(line, "unit", "Kode unit wajib diisi bila jabatan diisi."))
    for pos, role in (("head", Role.OPD_HEAD), ("operator", Role.OPD_OPERATOR)):
        if position == pos and role not in roles:
            errors.append(RowError(line, "roles", f"Jabatan '{pos}' memerlukan peran '{role}'."))
        if role in roles and position != pos:
            errors.append(
                RowError(
                    line, "position", f"Peran '{role}' memerlukan unit dengan jabatan '{pos}'."
                )
            )

    mentor_units = _split(row["mentor_units"])
    for code in mentor_units:
        if code not in units:
            errors.append(RowError(line, "mentor_units", f"Unit dengan kode '{code}' tidak ada."))
    if len(set(mentor_units)) != len(mentor_units):
        errors.append(RowError(line, "mentor_units", "Kode unit yang sama ditulis dua kali."))
    if mentor_units and Role.MENTOR not in roles:
        errors.append(RowError(line, "roles", "mentor_units hanya untuk orang berperan 'mentor'."))
    year: int | None = None
    if row["year"]:
        year = params.year(row["year"])
        if year is None:
            errors.append(
                RowError(line, "year", f"Tahun program '{row['year']}' tidak valid (contoh: 2026).")
            )
    elif mentor_units:
        errors.append(RowError(line, "year", "Tahun program wajib diisi bila mentor_units diisi."))
    leads, lead_errors = _parse_lead(line, row["lead"], mentor_units)
    errors += lead_errors
    if leads and not mentor_units:
        errors.append(RowError(line, "lead", "Pendamping utama memerlukan mentor_units."))

    password = row["password"]
    if password and username:
        try:
            validate_password(
                password, user=User(username=username, first_name=full_name, email=email)
            )
        except ValidationError as exc:
            errors.append(RowError(line, "password", " ".join(exc.messages)))
    person = _Person(
        line=line,
        username=username,
        full_name=full_name,
        email=email,
        roles=roles,
        unit=unit,
        position=position,
        mentor_units=mentor_units,
        year=year,
        leads=leads,
        password=password,
    )
    return person, errors


def _conflict_errors(people: list[_Person], units: dict[str, Unit]) -> list[RowError]:
    """Cross-row checks against the file and the database: one head per unit, one lead per year.

    A person listed in the file has their unit membership and that year's mentor assignments
    replaced by the file's, so only database rows of people *not* in the file can conflict.
    """
    errors: list[RowError] = []
    in_file = {p.username for p in people}
    head_rows: dict[str, _Person] = {}
    for person in people:
        if person.position != Membership.Position.HEAD or person.unit not in units:
            continue
        if person.unit in head_rows:
            errors.append(
                RowError(
                    person.line,
                    "unit",
                    f"Unit '{person.unit}' sudah punya kepala di baris "
                    f"{head_rows[person.unit].line}; satu unit hanya satu kepala.",
                )
            )
        else:
            head_rows[person.unit] = person
    db_heads = {
        code: username
        for code, username in Membership.objects.filter(
            position=Membership.Position.HEAD, unit__code__in=head_rows
        ).values_list("unit__code", "user__username")
        if username not in in_file
    }
    for code, person in head_rows.items():
        if code in db_heads:
            errors.append(
                RowError(
                    person.line,
                    "unit",
                    f"Unit '{code}' sudah punya kepala '{db_heads[code]}'; "
                    "ubah dulu jabatan orang itu (sertakan dia di berkas ini).",
                )
            )

    lead_rows: dict[tuple[str, int], _Person] = {}
    for person in people:
        for code in sorted(person.leads):
            if code not in units or person.year is None:
                continue
            key = (code, person.year)
            if key in lead_rows:
                errors.append(
                    RowError(
                        person.line,
                        "lead",
                        f"Unit '{code}' tahun {person.year} sudah punya pendamping utama "
                        f"di baris {lead_rows[key].line}.",
                    )
                )
            else:
                lead_rows[key] = person
    replaced = {(p.username, p.year) for p in people if p.year is not None}
    for (code, year), person in lead_rows.items():
        other = (
            MentorAssignment.objects.filter(unit__code=code, year=year, is_lead=True)
            .exclude(mentor__username=person.username)
            .values_list("mentor__username", flat=True)
            .first()
        )
        if other and (other, year) not in replaced:
            errors.append(
                RowError(
                    person.line,
                    "lead",
                    f"Unit '{code}' tahun {year} sudah punya pendamping utama '{other}'.",
                )
            )
    return errors


def _write_person(person: _Person, units: dict[str, Unit], groups: dict[str, Group]) -> bool:
    """Create or update one person; True when created."""
    found = User.objects.filter(username=person.username).first()
    created = found is None
    user = found or User(username=person.username)
    user.first_name = person.full_name
    user.last_name = ""
    user.email = person.email
    if person.password:
        user.set_password(person.password)
    elif created:
        user.set_unusable_password()
    user.save()
    user.groups.set([groups[role] for role in person.roles])

    # The file is the truth for the person's unit and for their assignments of that year.
    Membership.objects.filter(user=user).exclude(unit__code=person.unit).delete()
    if person.unit:
        Membership.objects.update_or_create(
            user=user, unit=units[person.unit], defaults={"position": person.position}
        )
    if person.year is not None:
        MentorAssignment.objects.filter(mentor=user, year=person.year).delete()
        # Row by row: a save tells the cached home figures (dashboards.freshness); a person
        # mentors a handful of units.
        for code in person.mentor_units:
            MentorAssignment.objects.create(
                unit=units[code], mentor=user, year=person.year, is_lead=code in person.leads
            )
    return created


def import_people(*, data: bytes | str, dry_run: bool = False) -> ImportReport:
    """Validate every row of a people CSV, then create or update people by username at once."""
    table = read_table(data=data, columns=PEOPLE_COLUMNS, required=PEOPLE_REQUIRED)
    report = ImportReport(errors=list(table.errors))
    units = {unit.code: unit for unit in Unit.objects.all()}
    people: list[_Person] = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        person, errors = _person_row(line, row, units)
        report.errors += errors
        if person.username in seen:
            report.errors.append(
                RowError(
                    line,
                    "username",
                    f"Nama pengguna '{person.username}' sudah ada di baris "
                    f"{seen[person.username]}.",
                )
            )
        elif person.username:
            seen[person.username] = line
        people.append(person)
    if not report.errors:
        report.errors += _conflict_errors(people, units)
    report.errors.sort(key=lambda e: e.row)
    if report.errors or dry_run:
        return report
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    with transaction.atomic():
        # Free the heads' and leads' seats first so swaps inside one file do not collide.
        usernames = [p.username for p in people]
        Membership.objects.filter(
            user__username__in=usernames, position=Membership.Position.HEAD
        ).delete()
        for person in people:
            if person.year is not None:
                MentorAssignment.objects.filter(
                    mentor__username=person.username, year=person.year
                ).delete()
        for person in people:
            if _write_person(person, units, groups):
                report.created += 1
            else:
                report.updated += 1
    return report
