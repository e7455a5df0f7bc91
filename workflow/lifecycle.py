"""The lifecycle as data: who holds a case in each stage, and one record per (stage, action).

Everything else reads these two tables: the policy (who may act), the action service (target,
comment rule, guard, what the history entry carries), the notification rules (who is told
what), the portal's action forms and the API's action list. The viewflow graph in flows.py
draws the same process; tests/workflow/test_lifecycle_table.py fails when the two disagree.

Adding a stage: a `Stage` value (mentoring.models, where the stored fields need it), a row in
STAGES, its rows in TRANSITIONS, its node in flows.py (and, when it has a clock, its column in
SlaPolicy through `makemigrations`).
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import Holder, Innovation, Stage

from . import guards


class Action(models.TextChoices):
    """What a person can do to a case; the value is the API's action name."""

    SUBMIT = "submit", _("Ajukan")
    APPROVE = "approve", _("Setujui")
    RETURN = "return", _("Kembalikan")
    COMPLETE = "complete", _("Selesaikan pendampingan")
    ACCEPT = "accept", _("Terima verifikasi")
    CLOSE = "close", _("Tutup kasus")
    REJECT = "reject", _("Tolak")
    WITHDRAW = "withdraw", _("Tarik usulan")


class EventKind(models.TextChoices):
    """What one history entry records: the case opened, one of the actions (its value and
    label), or a record made on the case without moving it."""

    CREATED = "create", _("Membuat usulan")
    ENTERED_NATIONALLY = "national_entry", _("Mencatat entri portal nasional")
    EVIDENCE_REPLACED = "evidence_replace", _("Mengganti berkas data dukung")
    EVIDENCE_REMOVED = "evidence_remove", _("Menghapus data dukung")
    # An innovation continued into a later year: on the closed case, and on the new one.
    CONTINUED = "continue", _("Melanjutkan ke tahun berikutnya")
    CONTINUED_FROM = "continue_from", _("Lanjutan dari tahun sebelumnya")
    SUBMITTED = Action.SUBMIT.value, Action.SUBMIT.label
    APPROVED = Action.APPROVE.value, Action.APPROVE.label
    RETURNED = Action.RETURN.value, Action.RETURN.label
    COMPLETED = Action.COMPLETE.value, Action.COMPLETE.label
    ACCEPTED = Action.ACCEPT.value, Action.ACCEPT.label
    CLOSED = Action.CLOSE.value, Action.CLOSE.label
    REJECTED = Action.REJECT.value, Action.REJECT.label
    WITHDRAWN = Action.WITHDRAW.value, Action.WITHDRAW.label


class Notice(enum.StrEnum):
    """What a move tells people: a notification kind (notifications.models.Kind has these
    values, with their labels and texts)."""

    TASK_ASSIGNED = "task_assigned"
    APPROVAL_REQUESTED = "approval_requested"
    RETURNED = "returned"
    STAGE_ADVANCED = "stage_advanced"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Audience(enum.Enum):
    """People around a case, as the notification rules pick them."""

    HEADS = "heads"  # the unit's head
    OPERATORS = "operators"  # the unit's operators
    MENTORS = "mentors"  # the unit's mentors for the year, lead and co-mentors
    LEAD_MENTORS = "lead_mentors"
    NEXT_HOLDERS = "next_holders"  # whoever may act in the stage the case moves to


@dataclass(frozen=True)
class Notify:
    notice: Notice
    audiences: tuple[Audience, ...]


@dataclass(frozen=True)
class StageRule:
    stage: Stage
    holder: Holder  # who the case waits for, and who takes the stage's own actions
    days: int  # working days allowed, until the year's SlaPolicy says otherwise
    # Leave the stage this many working days before the national reporting window closes
    # (BRIDA's internal deadline; the year's StageCutoff rows may change it). None: no cutoff.
    before_close: int | None = None


Guard = Callable[[Innovation], dict[str, list[str]]]
Findings = Callable[[Innovation], list[guards.InvalidEvidence]]


@dataclass(frozen=True)
class Transition:
    stage: Stage
    action: Action
    target: Stage
    by: Holder | None = None  # None: the stage's holder
    comment_required: bool = False
    guard: Guard | None = None  # field errors that stop the move; empty when it may go
    findings: Findings | None = None  # what the history entry lists (returned evidence)
    ends_process: bool = False  # cancels the process instead of completing the stage's task
    notify: tuple[Notify, ...] = ()

    @property
    def holder(self) -> Holder:
        """Who may take this action."""
        return self.by or holder_of(self.stage)


STAGES: tuple[StageRule, ...] = (
    StageRule(Stage.PROPOSAL, Holder.OPD, days=10),
    StageRule(Stage.PROPOSAL_GATE, Holder.HEAD, days=3),
    StageRule(Stage.MENTORING, Holder.MENTOR, days=20, before_close=30),
    StageRule(Stage.PACKAGING, Holder.OPD, days=15, before_close=18),
    StageRule(Stage.PACKAGING_GATE, Holder.HEAD, days=3, before_close=15),
    StageRule(Stage.VERIFICATION, Holder.VERIFIER, days=10, before_close=5),
    StageRule(Stage.REPORTING, Holder.OPD, days=10, before_close=0),
    StageRule(Stage.REPORT_GATE, Holder.HEAD, days=3),
    StageRule(Stage.CLOSE, Holder.ADMIN, days=5),
)

OPEN = tuple(rule.stage for rule in STAGES)

# Who is told what, by kind of move.
ASK_APPROVAL = (Notify(Notice.APPROVAL_REQUESTED, (Audience.HEADS,)),)
ADVANCED = Notify(Notice.STAGE_ADVANCED, (Audience.HEADS, Audience.LEAD_MENTORS))
FORWARD = (Notify(Notice.TASK_ASSIGNED, (Audience.NEXT_HOLDERS,)), ADVANCED)
BACK = (Notify(Notice.RETURNED, (Audience.NEXT_HOLDERS,)),)
EVERYONE = (Audience.HEADS, Audience.OPERATORS, Audience.MENTORS)


def _gate(stage: Stage, approved: Stage, returned: Stage) -> tuple[Transition, ...]:
    """A head gate: approve moves on, return (with what to fix) goes back."""
    return (
        Transition(stage, Action.APPROVE, approved, notify=FORWARD),
        Transition(stage, Action.RETURN, returned, comment_required=True, notify=BACK),
    )


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Stage.PROPOSAL, Action.SUBMIT, Stage.PROPOSAL_GATE, notify=ASK_APPROVAL),
    *_gate(Stage.PROPOSAL_GATE, approved=Stage.MENTORING, returned=Stage.PROPOSAL),
    Transition(
        Stage.MENTORING,
        Action.COMPLETE,
        Stage.PACKAGING,
        guard=guards.has_session,
        notify=FORWARD,
    ),
    Transition(
        Stage.PACKAGING,
        Action.SUBMIT,
        Stage.PACKAGING_GATE,
        guard=guards.package_complete,
        notify=ASK_APPROVAL,
    ),
    *_gate(Stage.PACKAGING_GATE, approved=Stage.VERIFICATION, returned=Stage.PACKAGING),
    Transition(
        Stage.VERIFICATION,
        Action.ACCEPT,
        Stage.REPORTING,
        guard=guards.mandatory_evidence_valid,
        notify=FORWARD,
    ),
    # The invalid evidence items say what to fix: no comment needed.
    Transition(
        Stage.VERIFICATION,
        Action.RETURN,
        Stage.PACKAGING,
        guard=guards.some_evidence_invalid,
        findings=guards.invalid_evidence_findings,
        notify=BACK,
    ),
    Transition(
        Stage.REPORTING,
        Action.SUBMIT,
        Stage.REPORT_GATE,
        guard=guards.report_complete,
        notify=ASK_APPROVAL,
    ),
    *_gate(Stage.REPORT_GATE, approved=Stage.CLOSE, returned=Stage.REPORTING),
    Transition(Stage.CLOSE, Action.CLOSE, Stage.DONE, notify=(ADVANCED,)),
    # In every open stage: the admin rejects, the head withdraws, each with a reason.
    *(
        Transition(
            stage,
            Action.REJECT,
            Stage.REJECTED,
            by=Holder.ADMIN,
            comment_required=True,
            ends_process=True,
            notify=(Notify(Notice.REJECTED, EVERYONE),),
        )
        for stage in OPEN
    ),
    *(
        Transition(
            stage,
            Action.WITHDRAW,
            Stage.WITHDRAWN,
            by=Holder.HEAD,
            comment_required=True,
            ends_process=True,
            notify=(Notify(Notice.WITHDRAWN, EVERYONE),),
        )
        for stage in OPEN
    ),
)

_HOLDERS: dict[str, Holder] = {rule.stage: rule.holder for rule in STAGES}
_BY_KEY: dict[tuple[str, str], Transition] = {(t.stage, t.action): t for t in TRANSITIONS}
DEFAULT_SLA_DAYS: dict[str, int] = {rule.stage: rule.days for rule in STAGES}
DEFAULT_CUTOFFS: dict[str, int] = {
    rule.stage: rule.before_close for rule in STAGES if rule.before_close is not None
}


def holder_of(stage: str) -> Holder:
    """Who the case waits for in `stage` (nobody once it has ended)."""
    return _HOLDERS.get(stage, Holder.NONE)


def transition(stage: str, action: str) -> Transition | None:
    """The record for `action` in `stage`; None when the action does not exist there."""
    return _BY_KEY.get((stage, action))


def transitions_from(stage: str) -> list[Transition]:
    """The stage's actions in table order (its own moves first, then reject and withdraw)."""
    return [t for t in TRANSITIONS if t.stage == stage]
