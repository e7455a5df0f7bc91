"""The regent's yearly report as a PDF (reportlab: pure Python, charts drawn by reportlab itself,
only the PDF standard fonts, so nothing is fetched from the internet)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .calibration_pdf import calibration_section
from .selectors import YearlyReport

PRIMARY = colors.HexColor("#0d47a1")
ACCENT = colors.HexColor("#f9a825")
MET = colors.HexColor("#2e7d32")
MISSING = colors.HexColor("#c62828")
WARNING_BG = colors.HexColor("#fff3e0")
GRID = colors.HexColor("#b0bec5")
HEADER_BG = colors.HexColor("#e3f2fd")
WIDTH = A4[0] - 3 * cm


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], textColor=PRIMARY, fontSize=18),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base["Normal"], alignment=TA_CENTER, textColor=colors.grey
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], textColor=PRIMARY, spaceBefore=10, spaceAfter=4
        ),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=9.5, leading=13),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
        "warning": ParagraphStyle(
            "warning",
            parent=base["Normal"],
            fontSize=8.5,
            leading=11,
            backColor=WARNING_BG,
            borderPadding=4,
            textColor=colors.HexColor("#8a4b00"),
        ),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=8, leading=10),
    }


def _num(value, places: int = 2) -> str:
    return number_format(value, places, use_l10n=True, force_grouping=True)


def _top_band_rows(estimate) -> list[list[str]]:
    """The distance to the year's highest band (when it is not the next one) and every band's
    thresholds, as the ruleset of the year gives them."""
    rows = []
    top = max(estimate.bands, key=lambda band: band.lower) if estimate.bands else None
    if top and estimate.iid_exact < top.lower and top.name != estimate.next_predicate:
        rows.append(
            [
                _("Selisih ke %(predicate)s") % {"predicate": top.name},
                _("%(points)s poin") % {"points": _num(top.lower - estimate.iid_exact)},
            ]
        )
    for band in estimate.bands:
        rows.append(
            [
                _("Ambang %(predicate)s") % {"predicate": band.name},
                f"{_num(band.lower)} – {_num(band.upper)}",
            ]
        )
    return rows


def _table(rows: list[list], widths: list[float], *, numeric_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#fafafa")]),
            ]
        )
    )
    return table


def compliance_chart(report: YearlyReport) -> Drawing:
    """Pie of units with / without an innovation this year, with a legend."""
    summary = report.compliance
    drawing = Drawing(WIDTH / 2, 5 * cm)
    met, missing = summary.met_count, summary.unit_count - summary.met_count
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 10, 10, round(3.8 * cm), round(3.8 * cm)
    pie.data = [met, missing] if summary.unit_count else [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices[0].fillColor = MET if summary.unit_count else GRID
    if summary.unit_count:
        pie.slices[1].fillColor = MISSING
    drawing.add(pie)
    left = pie.x + pie.width + 16
    for row, (color, text) in enumerate(
        [
            (MET, _("Sudah berinovasi: %(n)d") % {"n": met}),
            (MISSING, _("Belum berinovasi: %(n)d") % {"n": missing}),
        ]
    ):
        y = pie.y + pie.height - 20 - row * 18
        drawing.add(String(left + 14, y, text, fontName="Helvetica", fontSize=9))
        # types-reportlab types Rect's keywords as one TypedDict argument.
        drawing.add(Rect(left, y - 1, 9, 9, fillColor=color, strokeColor=None))  # type: ignore[arg-type]
    return drawing


def pipeline_chart(report: YearlyReport) -> Drawing:
    """Horizontal bars: innovations per stage (labels stay readable at any count)."""
    rows = report.pipeline
    bar_height = 13
    height = len(rows) * bar_height + 30
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = round(4.2 * cm), 18
    chart.width, chart.height = round(WIDTH - 5.2 * cm), len(rows) * bar_height
    # reportlab draws the first category at the bottom: reverse so the flow reads top-down.
    ordered = list(reversed(rows))
    chart.data = [[row.count for row in ordered]]
    chart.categoryAxis.categoryNames = [row.label for row in ordered]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    top = max([row.count for row in rows] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 10)
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.forceZero = True
    chart.bars[0].fillColor = PRIMARY
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _estimate_section(report: YearlyReport, styles) -> list:
    parts: list = [Paragraph(_("Perkiraan Indeks Inovasi Daerah (IID)"), styles["h2"])]
    estimate = report.estimate
    if estimate is None:
        parts.append(Paragraph(escape(report.estimate_error), styles["warning"]))
        return parts
    parts.append(
        Paragraph(
            _(
                "Angka di bawah adalah <b>perkiraan</b> dari inovasi yang sudah terverifikasi "
                "(%(n)d inovasi, %(continued)d di antaranya lanjutan), bukan nilai resmi."
            )
            % {"n": estimate.innovation_count, "continued": estimate.continued_count},
            styles["body"],
        )
    )
    parts.append(Spacer(1, 4))
    gap = (
        _("%(points)s poin menuju %(predicate)s")
        % {"points": _num(estimate.gap_to_next), "predicate": estimate.next_predicate}
        if estimate.next_predicate
        else _("Sudah predikat tertinggi")
    )
    rows = [
        [_("Komponen"), _("Nilai")],
        [_("SPD (aspek daerah)"), f"{_num(estimate.spd)} / {_num(estimate.spd_max)}"],
        [
            _("SID indikator 16-35"),
            f"{_num(estimate.sid_indicators)} / {_num(estimate.sid_indicator_max)}",
        ],
        [
            _("Skor jumlah inovasi"),
            f"{_num(estimate.jumlah_score)} / {_num(estimate.jumlah_max)}",
        ],
        [_("SID (aspek inovasi)"), _num(estimate.sid)],
        [_("Perkiraan IID"), _num(estimate.iid)],
        [_("Predikat (perkiraan)"), estimate.predicate or "-"],
        [_("Selisih ke predikat berikutnya"), gap],
        *_top_band_rows(estimate),
        [
            _("Urusan pelayanan dasar tercakup"),
            f"{len(estimate.yandas_covered)} / 6 ({_('minimal')} {estimate.yandas_required})",
        ],
    ]
    table = _table(rows, [WIDTH * 0.55, WIDTH * 0.45])
    table.setStyle(TableStyle([("FONT", (0, 5), (-1, 6), "Helvetica-Bold", 9)]))
    parts.append(table)
    for warning in estimate.warnings:
        parts += [
            Spacer(1, 4),
            Paragraph(f"<b>{escape(_('Perhatian:'))}</b> {escape(warning)}", styles["warning"]),
        ]
    if report.steps:
        heading = Paragraph(_("Langkah terbaik berikutnya"), styles["h2"])
        step_rows: list[list[str | Paragraph]] = [["#", _("Langkah"), _("Tambahan IID")]]
        for number, step in enumerate(report.steps, 1):
            step_rows.append(
                [
                    str(number),
                    Paragraph(escape(step.title), styles["cell"]),
                    "+" + _num(step.iid_delta),
                ]
            )
        steps = _table(step_rows, [1 * cm, WIDTH - 4 * cm, 3 * cm], numeric_from=2)
        parts.append(KeepTogether([heading, steps]))
    return parts


def _unit_table(report: YearlyReport, styles) -> Table:
    yes, no = _("Ya"), _("Belum")
    headers = [
        _("Unit"),
        _("Pendamping"),
        _("Inovasi"),
        _("Baru"),
        _("Lanjutan"),
        _("Lolos tahap usulan"),
        _("Terverifikasi"),
        _("Selesai"),
        _("Target"),
    ]
    rows: list[list] = [[Paragraph(f"<b>{escape(text)}</b>", styles["cell"]) for text in headers]]
    for unit in report.compliance.units:
        rows.append(
            [
                Paragraph(escape(unit.name), styles["cell"]),
                Paragraph(escape(unit.lead_mentor or "-"), styles["cell"]),
                unit.total,
                unit.active,
                unit.continued,
                unit.past_proposal,
                unit.verified,
                unit.done,
                yes if unit.target_met else no,
            ]
        )
    widths = [WIDTH * share for share in (0.24, 0.14, 0.08, 0.06, 0.09, 0.1, 0.12, 0.09, 0.08)]
    table = _table(rows, widths, numeric_from=2)
    commands = [
        ("TEXTCOLOR", (8, index), (8, index), MET if unit.target_met else MISSING)
        for index, unit in enumerate(report.compliance.units, 1)
    ]
    table.setStyle(TableStyle(commands))
    return table


def _footer(canvas, doc, *, text: str) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(colors.grey)
    canvas.drawString(1.5 * cm, 1 * cm, text)
    canvas.drawRightString(A4[0] - 1.5 * cm, 1 * cm, _("Halaman %d") % doc.page)
    canvas.restoreState()


def yearly_report_pdf(report: YearlyReport) -> bytes:
    styles = _styles()
    summary = report.compliance
    buffer = io.BytesIO()
    title = _("Laporan Tahunan Inovasi Daerah %(year)d") % {"year": report.year}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.7 * cm,
        title=title,
        author="Pandu Inovasi",
    )
    printed = report.generated_at.strftime("%d-%m-%Y %H:%M")
    story: list = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            escape(_("Pandu Inovasi · dicetak %(when)s WITA") % {"when": printed}),
            styles["subtitle"],
        ),
        Spacer(1, 8),
        Paragraph(_("Kepatuhan target: satu inovasi per unit per tahun"), styles["h2"]),
        Paragraph(
            _(
                "<b>%(met)d dari %(units)d unit</b> (%(percent)s%%) sudah memiliki inovasi tahun "
                "%(year)d yang tidak ditolak atau ditarik; <b>%(missing)d unit belum</b>."
            )
            % {
                "met": summary.met_count,
                "units": summary.unit_count,
                "percent": _num(round(summary.met_percent), 0),
                "year": report.year,
                "missing": summary.unit_count - summary.met_count,
            },
            styles["body"],
        ),
        Paragraph(
            _(
                "Inovasi unit tahun %(year)d yang tidak ditolak atau ditarik: "
                "<b>%(new)d baru</b> dan <b>%(continued)d lanjutan</b> dari tahun sebelumnya "
                "(hanya inovasi baru yang memenuhi target)."
            )
            % {
                "year": report.year,
                "new": summary.total("active"),
                "continued": summary.total("continued"),
            },
            styles["body"],
        ),
    ]
    missing = summary.missing
    chart_cell = compliance_chart(report)
    names = ", ".join(escape(unit.name) for unit in missing[:40])
    if len(missing) > 40:
        names += " " + escape(_("dan %(n)d unit lainnya") % {"n": len(missing) - 40})
    missing_text = Paragraph(
        f"<b>{escape(_('Unit yang belum berinovasi:'))}</b><br/>{names or escape(_('Tidak ada.'))}",
        styles["small"],
    )
    side = Table([[chart_cell, missing_text]], colWidths=[WIDTH / 2, WIDTH / 2])
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 4), side]
    total = sum(row.count for row in report.pipeline)
    story += [
        KeepTogether(
            [
                Paragraph(_("Alur inovasi per tahap"), styles["h2"]),
                Paragraph(
                    _("%(n)d inovasi tahun %(year)d menurut tahap saat ini.")
                    % {"n": total, "year": report.year},
                    styles["body"],
                ),
                pipeline_chart(report),
            ]
        )
    ]
    story += _estimate_section(report, styles)
    story += calibration_section(report.year, styles)
    story += [
        Paragraph(_("Rincian per unit"), styles["h2"]),
        _unit_table(report, styles),
    ]
    footer = _("Laporan tahunan %(year)d · Pandu Inovasi") % {"year": report.year}

    def on_page(canvas, doc):
        _footer(canvas, doc, text=footer)

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
