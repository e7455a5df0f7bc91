"""The yearly PDF's calibration section: the estimate against the national result, and the
indicators where BRIDA's verification was more generous than the ministry's (so next year's
verifiers see where they erred). Absent until the year's national result is entered."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from scoring.calibration import Calibration, calibration

TOP_INDICATORS = 10


def _value(value, places: int = 2) -> str:
    from . import pdf  # pdf.py calls this module: imported when used, not at load

    return "-" if value is None else pdf._num(value, places)


def _overall_rows(found: Calibration) -> list[list[str]]:
    e, r = found.estimate, found.result
    if found.predicate_matches is None:
        same = "-"
    else:
        same = _("sama") if found.predicate_matches else _("berbeda")
    return [
        [_("Ukuran"), _("Perkiraan BRIDA"), _("Hasil nasional"), _("Selisih")],
        [
            _("IID"),
            _value(e.iid if e else None),
            _value(r.final_iid),
            _value(found.iid_difference),
        ],
        [_("Predikat"), (e.predicate if e else "") or "-", r.predicate or "-", same],
        [
            _("SPD"),
            _value(e.spd if e and e.spd_entered else None),
            _value(r.spd),
            _value(found.spd_difference),
        ],
        [
            _("Jumlah skor inovasi yang dibandingkan (%(n)d)") % {"n": len(found.compared)},
            _value(found.brida_score_sum),
            _value(found.national_score_sum),
            _value(found.score_difference),
        ],
    ]


def calibration_section(year: int, styles: dict) -> list:
    """Flowables of the section; an empty list when the year has no national result."""
    from . import pdf  # pdf.py calls this module: imported when used, not at load

    found = calibration(year=year)
    if found is None:
        return []
    width = pdf.WIDTH
    story: list = [
        Paragraph(_("Kalibrasi: perkiraan terhadap hasil nasional"), styles["h2"]),
        pdf._table(_overall_rows(found), [width - 9 * cm, 3 * cm, 3 * cm, 3 * cm]),
        Spacer(1, 4),
        Paragraph(
            escape(
                _(
                    "Pada %(n)d inovasi yang dibandingkan, BRIDA memberi %(over)d poin parameter "
                    "lebih tinggi dan %(under)d poin lebih rendah daripada verifikator nasional."
                )
                % {"n": len(found.compared), "over": found.over_points, "under": found.under_points}
            ),
            styles["body"],
        ),
    ]
    generous = found.too_generous[:TOP_INDICATORS]
    if generous:
        rows: list[list] = [
            [
                _("Indikator"),
                _("Bobot"),
                _("Inovasi lebih tinggi"),
                _("Poin parameter"),
                _("Poin skor"),
            ]
        ]
        for item in generous:
            rows.append(
                [
                    Paragraph(escape(f"{item.number}. {item.name}"), styles["cell"]),
                    str(item.weight),
                    f"{item.over_count} / {item.compared}",
                    str(item.over_points),
                    str(item.over_score),
                ]
            )
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        escape(_("Indikator yang dinilai BRIDA lebih longgar dari kementerian")),
                        styles["body"],
                    ),
                    pdf._table(rows, [width - 11 * cm, 2 * cm, 3 * cm, 3 * cm, 3 * cm]),
                ]
            )
        )
    for warning in found.warnings:
        story.append(Paragraph(escape(warning), styles["warning"]))
    return story
