"""The OPD operator's home: the unit's cases by stage, what the operator must do next in each,
and the deadlines (a fixed number of queries: the cases with their clocks, and the notes of the
latest returns)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import CANCELLED_STAGES, Holder, Innovation, Stage
from workflow import deadlines, lifecycle
from workflow.models import CaseEvent

from .selectors import CaseRow, _case_rows, _with_clock


def next_step(stage: str) -> str:
    """What happens next in `stage`, said to the unit's operator."""
    steps = {
        Stage.PROPOSAL: _("Lengkapi usulan, lalu ajukan ke kepala unit."),
        Stage.PROPOSAL_GATE: _("Menunggu persetujuan kepala unit."),
        Stage.MENTORING: _("Ikuti sesi pendampingan; pendamping menutup tahap ini."),
        Stage.PACKAGING: _(
            "Lengkapi profil IID dan data dukung setiap indikator wajib, lalu ajukan."
        ),
        Stage.PACKAGING_GATE: _("Menunggu persetujuan kepala unit atas paket."),
        Stage.VERIFICATION: _("Verifikator BRIDA memeriksa data dukung."),
        Stage.REPORTING: _(
            "Isi laporan akhir (hasil, penerima manfaat, rujukan sistem nasional), lalu ajukan."
        ),
        Stage.REPORT_GATE: _("Menunggu persetujuan kepala unit atas laporan."),
        Stage.CLOSE: _("Menunggu penutupan oleh admin BRIDA."),
    }
    return steps.get(Stage(stage), _("Kasus sudah berakhir."))


@dataclass(frozen=True)
class OperatorCase:
    row: CaseRow
    next_step: str
    my_turn: bool  # the case waits for the unit's own people
    returned_note: str  # the reason of the return that sent it back here, if any


@dataclass(frozen=True)
class StageGroup:
    stage: str
    label: str
    cases: tuple[OperatorCase, ...]


@dataclass(frozen=True)
class OperatorDashboard:
    year: int
    my_turn: tuple[OperatorCase, ...]  # what the operator must do, most urgent first
    groups: tuple[StageGroup, ...]  # the year's cases (and older open ones) by stage
    overdue: int
    due_soon: int


def operator_dashboard(
    *, unit_ids: Iterable[int], year: int, today: dt.date | None = None
) -> OperatorDashboard:
    """The cases of the units the person operates: this year's, and open ones of other years."""
    today = today or timezone.localdate()
    unit_ids = sorted(unit_ids)
    qs = _with_clock(
        Innovation.objects.filter(unit_id__in=unit_ids).filter(
            Q(year=year) | Q(stage__in=lifecycle.OPEN)
        )
    ).order_by("entered_at", "pk")
    rows = _case_rows(qs, today=today, days=deadlines.calendar())
    returned = _return_notes([row.pk for row in rows if row.holder == Holder.OPD])
    cases = [
        OperatorCase(
            row=row,
            next_step=next_step(row.stage),
            my_turn=row.holder == Holder.OPD,
            returned_note=returned.get(row.pk, ""),
        )
        for row in rows
    ]
    far = dt.date.max

    def urgency(case: OperatorCase) -> tuple:
        return (-case.row.days_overdue, not case.row.due_soon, case.row.due_date or far)

    order = [*lifecycle.OPEN, Stage.DONE, *CANCELLED_STAGES]
    groups = []
    for stage in order:
        in_stage = tuple(case for case in cases if case.row.stage == stage)
        if in_stage:
            groups.append(StageGroup(stage=stage, label=str(Stage(stage).label), cases=in_stage))
    return OperatorDashboard(
        year=year,
        my_turn=tuple(sorted((c for c in cases if c.my_turn), key=urgency)),
        groups=tuple(groups),
        overdue=sum(1 for case in cases if case.row.days_overdue),
        due_soon=sum(1 for case in cases if case.row.due_soon),
    )


def _return_notes(pks: list[int]) -> dict[int, str]:
    """For the cases given whose latest move was a return: what the return asked for (one
    query)."""
    if not pks:
        return {}
    seen: set[int] = set()
    notes: dict[int, str] = {}
    events = (
        CaseEvent.objects.filter(innovation_id__in=pks, action__in=lifecycle.Action.values)
        .order_by("innovation_id", "-at", "-pk")
        .values_list("innovation_id", "action", "comment", "data")
    )
    for pk, action, comment, data in events:
        if pk in seen:
            continue
        seen.add(pk)
        if action != lifecycle.Action.RETURN:
            continue
        invalid = (data or {}).get("invalid_evidence") or []
        listed = "; ".join(f"{bad.get('indicator')}: {bad.get('note')}" for bad in invalid)
        notes[pk] = comment or listed
    return notes
