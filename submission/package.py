"""The national upload package: a ZIP per innovation, per unit or for the whole regency.

For every innovation a folder holding its profile in the national form's field order (XLSX and
a readable PDF), every evidence file renamed `<indicator>-<short name>-p<parameter>.<ext>`, its
links (the video) and a checklist of what is still missing (failing desk checks, and files no
longer found in storage, which never stop the package). A unit's or the regency's package adds
a list of its innovations.

Streamed: everything read from the database is read first (`plan`); the ZIP is then written in
blocks as the response goes out (`stream`), evidence files copied through in 1 MiB chunks, so
memory stays flat whatever the number and size of the files. Entries are stored, not
compressed: evidence is mostly PDF, images and video, compressed already.
"""

import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentoring.models import EvidenceItem, Innovation
from mentoring.profile import PROFILE_FIELDS
from mentoring.uploads import extension_for
from workflow import eligibility

BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One file of the ZIP: its bytes come from `blocks` only when it is written."""

    path: str
    blocks: Callable[[], Iterator[bytes]]
    size: int | None = None  # known ahead for stored files (a large one gets ZIP64 headers)


@dataclass
class CasePackage:
    """What one innovation's folder holds, read from the database ahead of streaming."""

    folder: str
    title: str
    profile: list[tuple[str, str]]
    checklist: list[str]
    files: list[tuple[str, EvidenceItem]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    unit: str = ""
    stage: str = ""
    ready: bool = False


# --- what goes in (database reads) --------------------------------------------------------------


def _value(innovation: Innovation, name: str) -> str:
    """A profile field as a person reads it."""
    if name == "related_urusan":
        return ", ".join(u.name for u in innovation.related_urusan.all())
    if name == "priorities":
        return "; ".join(str(p) for p in innovation.priorities.all())
    if name == "main_urusan":
        return innovation.main_urusan.name
    display = getattr(innovation, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    value = getattr(innovation, name)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def profile_rows(innovation: Innovation) -> list[tuple[str, str]]:
    """The profile in the national form's order, after the unit and year it belongs to."""
    rows = [
        (_("Perangkat daerah"), innovation.unit.name),
        (_("Tahun"), str(innovation.year)),
    ]
    rows += [
        (Innovation.field_label(name).capitalize(), _value(innovation, name))
        for name in PROFILE_FIELDS
    ]
    return rows


def _extension(item: EvidenceItem) -> str:
    return extension_for(item.content_type)


def _evidence_names(items: Iterable[EvidenceItem]) -> list[tuple[str, EvidenceItem]]:
    """`<indicator>-<short name>-p<parameter>.<ext>`, with -2, -3 ... for more of the same."""
    named: list[tuple[str, EvidenceItem]] = []
    seen: defaultdict[str, int] = defaultdict(int)
    for item in sorted(items, key=lambda i: (i.indicator.number, i.pk)):
        indicator = item.indicator
        short = indicator.short_name or slugify(indicator.name)[:30]
        stem = f"{indicator.number}-{short}-p{item.parameter}"
        seen[stem] += 1
        suffix = f"-{seen[stem]}" if seen[stem] > 1 else ""
        named.append((f"{stem}{suffix}.{_extension(item)}", item))
    return named


def case_package(
    innovation: Innovation, basis: eligibility.YearBasis, folder: str, storage: Storage
) -> CasePackage:
    """One innovation's folder (its evidence, urusan and priorities prefetched)."""
    desk = eligibility.desk_check(innovation, basis)
    items = list(innovation.evidence.all())
    files = _evidence_names(item for item in items if item.file)
    links = [
        (f"{item.indicator.number}-{item.indicator.short_name}-p{item.parameter}", item.link)
        for item in items
        if item.link
    ]
    checklist = [
        f"{'[v]' if check.ok else '[ ]'} {check.label}: {check.detail}".rstrip(": ")
        for check in desk.checks
        if check.blocking
    ]
    checklist += [f"[?] {check.label}: {check.detail}" for check in desk.hints]
    gone = [name for name, item in files if not storage.exists(str(item.file.name))]
    if gone:
        checklist += ["", _("Berkas tidak ditemukan di penyimpanan (tidak ikut dalam paket):")]
        checklist += [f"[ ] {name}" for name in gone]
        files = [(name, item) for name, item in files if name not in gone]
    return CasePackage(
        folder=folder,
        title=innovation.name,
        profile=profile_rows(innovation),
        checklist=checklist,
        files=files,
        links=links,
        unit=innovation.unit.name,
        stage=str(innovation.get_stage_display()),
        ready=desk.ready,
    )


def plan(
    innovations: list[Innovation], *, storage: Storage | None = None, by_unit: bool = True
) -> list[CasePackage]:
    """Read everything the package needs (a fixed number of queries, plus one storage check
    per evidence file)."""
    storage = storage or default_storage
    eligibility.with_checked_relations(innovations)
    bases: dict[int, eligibility.YearBasis] = {}
    packages = []
    for number, innovation in enumerate(innovations, 1):
        basis = bases.get(innovation.year) or bases.setdefault(
            innovation.year, eligibility.year_basis(innovation.year)
        )
        name = f"{number:03d}-{slugify(innovation.name)[:60] or innovation.pk}"
        folder = f"{innovation.unit.code}/{name}" if by_unit else name
        packages.append(case_package(innovation, basis, folder, storage))
    return packages


# --- what comes out (no database) ----------------------------------------------------------------


def _xlsx(rows: Sequence[Sequence[str]], headers: Sequence[str], widths: Sequence[int]) -> bytes:
    """A one-sheet workbook: bold headers, wrapped text, text that looks like a formula kept
    as text."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Profil")[:31])
    for letter, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value: str, **style: object) -> Cell:
        text = f"'{value}" if str(value).startswith(("=", "+", "-", "@")) else value
        made = WriteOnlyCell(sheet, value=text)
        for name, setting in style.items():
            setattr(made, name, setting)
        return made

    sheet.append([cell(header, font=bold) for header in headers])
    for row in rows:
        sheet.append([cell(value, alignment=wrap) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf(package: CasePackage) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=package.title, leftMargin=1.8 * cm, rightMargin=1.8 * cm
    )
    rows = [
        [Paragraph(f"<b>{escape(label)}</b>", body), Paragraph(escape(value or "-"), body)]
        for label, value in package.profile
    ]
    table = Table(rows, colWidths=[5 * cm, 12.4 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph(escape(package.title), styles["Title"]), table, Spacer(1, 12)]
    story.append(Paragraph(_("Daftar periksa"), styles["Heading2"]))
    story += [Paragraph(escape(line) or "&nbsp;", body) for line in package.checklist]
    document.build(story)
    return buffer.getvalue()


def _text(lines: Iterable[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _file_blocks(storage: Storage, name: str) -> Callable[[], Iterator[bytes]]:
    def blocks() -> Iterator[bytes]:
        try:
            source = storage.open(name, "rb")
        except OSError:  # gone since the plan checked it: the entry stays empty
            return
        with source:
            while block := source.read(BLOCK):
                yield block

    return blocks


def _made(make: Callable[..., bytes], *args: object) -> Callable[[], Iterator[bytes]]:
    """A generated file, made only when the ZIP reaches it."""
    return lambda: iter([make(*args)])


def members(
    packages: list[CasePackage], *, storage: Storage | None = None, summary: bool = True
) -> Iterator[Member]:
    storage = storage or default_storage
    header, widths = (_("Kolom"), _("Isi")), (34, 100)
    for package in packages:
        base = package.folder
        yield Member(f"{base}/profil.xlsx", _made(_xlsx, package.profile, header, widths))
        yield Member(f"{base}/profil.pdf", _made(_pdf, package))
        yield Member(f"{base}/daftar-periksa.txt", _made(_text, package.checklist))
        if package.links:
            lines = [f"{name}: {url}" for name, url in package.links]
            yield Member(f"{base}/tautan-video.txt", _made(_text, lines))
        for name, item in package.files:
            yield Member(
                f"{base}/data-dukung/{name}",
                _file_blocks(storage, str(item.file.name)),
                size=item.size,
            )
    if summary:
        rows = [
            (p.folder, p.unit, p.title, p.stage, _("siap") if p.ready else _("belum siap"))
            for p in packages
        ]
        headers = (_("Folder"), _("Perangkat daerah"), _("Inovasi"), _("Tahap"), _("Kesiapan"))
        yield Member("daftar-inovasi.xlsx", _made(_xlsx, rows, headers, (40, 40, 50, 24, 14)))


class _Sink:
    """What ZipFile writes into: kept until the stream hands it out. No seek(): ZipFile then
    writes each entry's sizes after its data, as a streamed ZIP must."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0
        self.pending = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._written += len(data)
        self.pending += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.pending = 0
        return data


def stream(entries: Iterable[Member]) -> Iterator[bytes]:
    """The ZIP, in blocks of about 1 MiB, written as it is read."""
    sink = _Sink()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.path, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED
            large = entry.size is not None and entry.size > 2**31
            with archive.open(info, "w", force_zip64=large) as target:
                for block in entry.blocks():
                    target.write(block)
                    if sink.pending >= BLOCK:
                        yield sink.take()
            if sink.pending >= BLOCK:
                yield sink.take()
    yield sink.take()
