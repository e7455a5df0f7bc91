"""Horizontal bar charts as inline SVG, drawn on the server (no script, no external asset).

Each row puts its label on its own line above the bar, so long Indonesian stage and unit names
never squeeze the bars on a 390 px phone; the SVG scales to the card's width through its viewBox
(CSS caps the width on wide screens so the text stays at body size). The chart carries a
<title>/<desc> pair and role="img" with aria-labelledby, and each bar its own <title>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import selectors

# viewBox units: about 1:1 with CSS pixels in a card on a 390 px phone (CSS caps the width on
# desktops at 430 px, i.e. 13 px text becomes ~17 px).
WIDTH = 330
ROW = 42  # label line + bar
BAR = 14
LABEL_SIZE = 13
CHAR = 0.6 * LABEL_SIZE  # average glyph width, to keep room for the figure after the bar
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    """One row: `value` is drawn dark; `back` (optional, >= value) as a light bar behind it,
    e.g. the 90th percentile behind the median or the units total behind those that met."""

    label: str
    value: float
    text: str
    back: float | None = None
    tone: str = "primary"  # primary | warn | ok


_FILL = {"primary": "#1565c0", "warn": "#c62828", "ok": "#2e7d32"}
_BACK = {"primary": "#bbdefb", "warn": "#ffcdd2", "ok": "#c8e6c9"}


def bar_chart(*, title: str, bars: Sequence[Bar], description: str = "") -> SafeString:
    """An accessible horizontal bar chart; an empty text when there is nothing to draw."""
    if not bars:
        return mark_safe("")  # noqa: S308 - constant
    uid = f"pi-chart-{next(_ids)}"
    top = max(max(bar.value, bar.back or 0) for bar in bars) or 1
    text_room = max(len(bar.text) for bar in bars) * CHAR + 10
    span = WIDTH - text_room
    height = ROW * len(bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pi-bars" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description or _summary(bars))}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW
        label = escape(bar.label)
        parts.append(f"<g><title>{label}: {escape(bar.text)}</title>")
        parts.append(
            f'<text x="0" y="{y + LABEL_SIZE + 2}" font-size="{LABEL_SIZE}" fill="#37474f">'
            f"{label}</text>"
        )
        bar_y = y + LABEL_SIZE + 8
        if bar.back:
            width = max(span * bar.back / top, 2)
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{width:.1f}" height="{BAR}" rx="2" '
                f'fill="{_BACK[bar.tone]}"/>'
            )
        width = span * bar.value / top if bar.value else 0
        if width:
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{max(width, 2):.1f}" height="{BAR}" rx="2" '
                f'fill="{_FILL[bar.tone]}"/>'
            )
        end = max(width, span * (bar.back or 0) / top)
        parts.append(
            f'<text x="{end + 6:.1f}" y="{bar_y + BAR - 3}" font-size="{LABEL_SIZE}" '
            f'fill="#263238" font-weight="500">{escape(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    # Every text above went through escape(); the markup around it is ours.
    return mark_safe("".join(parts))  # noqa: S308


def _summary(bars: Sequence[Bar]) -> str:
    return "; ".join(f"{bar.label}: {bar.text}" for bar in bars)


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def summary_charts(board: selectors.Summary) -> dict[str, SafeString]:
    """The pipeline, compliance-by-unit-kind and cycle-time charts of the summary."""
    pipeline = bar_chart(
        title=_("Jumlah inovasi per tahap, tahun %(year)d") % {"year": board.year},
        bars=[
            Bar(
                label=row.label,
                value=row.count,
                text=str(row.count),
                tone="warn" if row.stage in selectors.CANCELLED_STAGES else "primary",
            )
            for row in board.pipeline
        ],
    )
    compliance = bar_chart(
        title=_("Unit yang sudah memiliki inovasi, per jenis unit, tahun %(year)d")
        % {"year": board.year},
        bars=[
            Bar(
                label=row.label,
                value=row.met,
                back=row.total,
                text=f"{row.met}/{row.total}",
                tone="ok" if row.met == row.total else "primary",
            )
            for row in board.by_kind
        ],
    )
    cycle = bar_chart(
        title=_("Waktu siklus per tahap (hari kerja): median dan persentil ke-90"),
        bars=[
            Bar(
                label=f"{row.label} ({row.visits})",
                value=row.median or 0,
                back=row.p90,
                text=_("med %(median)s · p90 %(p90)s")
                % {"median": _days(row.median), "p90": _days(row.p90)},
            )
            for row in board.cycle
            if row.visits
        ],
    )
    return {"pipeline": pipeline, "compliance": compliance, "cycle": cycle}
