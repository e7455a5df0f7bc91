"""The only code that opens or moves a case."""

import logging
import random
import time
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from mentoring.models import Holder, Innovation, Stage

from . import deadlines, guards, policy
from .errors import ActionConflict, ActionForbidden, GuardFailed, UnknownAction
from .flows import InnovationFlow
from .models import CaseEvent, InnovationProcess
from .prepared import PreparedQuery
from .signals import case_moved

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionResult:
    innovation: Innovation
    event: CaseEvent


def _record(
    *,
    innovation: Innovation,
    actor: AbstractBaseUser,
    action: str,
    from_stage: str,
    comment: str = "",
    data: dict | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        innovation=innovation,
        actor=actor,
        action=action,
        from_stage=from_stage,
        to_stage=innovation.stage,
        comment=comment,
        data=data or {},
    )
    case_moved.send(sender=CaseEvent, event=event, innovation=innovation)
    return event


@transaction.atomic
def open_case(*, user: AbstractBaseUser, innovation: Innovation) -> ActionResult:
    """Save a new innovation (already validated) and start its process in the proposal stage."""
    actor = policy.actor_for(user)
    if not actor.works_in(innovation.unit_id):
        raise ActionForbidden(
            _("Hanya kepala atau operator unit ini yang dapat mengusulkan inovasi.")
        )
    innovation.created_by = user
    innovation.stage = Stage.PROPOSAL
    innovation.awaiting = Holder.OPD
    innovation.save()
    InnovationFlow.start.run(innovation=innovation)
    event = _record(innovation=innovation, actor=user, action="create", from_stage="")
    deadlines.enter_stage(innovation=innovation, at=event.at, first=True)
    return ActionResult(innovation=innovation, event=event)


def _check(actor: policy.Actor, innovation: Innovation, action: str, comment: str) -> None:
    if not policy.can_view(actor, innovation):
        raise ActionForbidden(_("Anda tidak memiliki akses ke inovasi ini."))
    if policy.target_stage(innovation.stage, action) is None:
        raise ActionConflict(
            _("Aksi '%(action)s' tidak dapat dilakukan pada tahap %(stage)s.")
            % {"action": action, "stage": innovation.get_stage_display()}
        )
    holder = policy.required_holder(innovation.stage, action)
    if not policy.may_hold(actor, innovation, holder):
        raise ActionForbidden(
            _("Peran atau unit Anda tidak berwenang melakukan aksi ini (menunggu: %(holder)s).")
            % {"holder": Holder(holder).label}
        )
    if policy.comment_required(innovation.stage, action) and not comment.strip():
        raise GuardFailed(
            _("Komentar wajib diisi."),
            fields={"comment": [_("Komentar wajib diisi untuk aksi ini.")]},
        )
    errors = guards.action_errors(innovation, action)
    if errors:
        raise GuardFailed(_("Inovasi belum memenuhi syarat untuk aksi ini."), fields=errors)


def _open_task_query(node) -> PreparedQuery:
    return PreparedQuery(
        lambda process: InnovationFlow.task_class.objects.filter(
            process_id=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        ).order_by("-id")[:1]
    )


# Each stage's open task, the first read of every move (compiled once: workflow.prepared).
_OPEN_TASK = {
    stage: _open_task_query(getattr(InnovationFlow, stage))
    for stage in Stage.values
    if hasattr(InnovationFlow, stage)
}


def _complete_task(
    process: InnovationProcess, stage: str, user: AbstractBaseUser, action: str, comment: str
) -> None:
    node = getattr(InnovationFlow, stage)
    found = _OPEN_TASK[stage].objects(InnovationFlow.task_class, process=process.pk)
    if not found:
        raise ActionConflict(_("Tugas untuk tahap ini tidak ditemukan; muat ulang halaman."))
    task = found[0]
    # Share our process object (carrying the locked innovation) with every activation.
    task.process = process
    activation = node.activation_class(task)
    # Whoever the policy allowed to act takes the task (an operator for a colleague, say).
    task.owner = user
    task.status = STATUS.ASSIGNED
    activation.start(None)
    task.data = {"action": action, "comment": comment}
    process.decision = action
    activation.execute()


# PostgreSQL errors after which the whole action may simply run again: it was rolled back.
# 40P01 deadlock detected, 55P03 lock not available (a lock_timeout set by the deployment).
RETRY_SQLSTATES = {"40P01", "55P03"}
ATTEMPTS = 5


def _locked_case(innovation_id: int) -> InnovationProcess:
    """The case's process with its innovation, both rows locked, in one statement.

    PostgreSQL: FOR UPDATE on the process row (the row viewflow's own lock takes) and the
    innovation row, waiting for a concurrent action or edit to commit; the loser then finds
    the case moved and gets ActionConflict. SQLite ignores FOR UPDATE: its IMMEDIATE
    transactions already take the database's write lock when they begin.
    """
    try:
        return (
            InnovationProcess.objects.select_related("innovation")
            .select_for_update(of=("self", "innovation"))
            .get(innovation_id=innovation_id)
        )
    except InnovationProcess.DoesNotExist:
        raise Innovation.DoesNotExist from None


def _moved_meanwhile() -> ActionConflict:
    return ActionConflict(_("Kasus ini baru saja diproses orang lain; muat ulang halaman."))


def _retriable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRY_SQLSTATES


def perform_action(
    *, user: AbstractBaseUser, innovation_id: int, action: str, comment: str = ""
) -> ActionResult:
    """Take `action` on the case for `user`: check, move the process, record history.

    One transaction holding the case's rows; a concurrent move that won first makes this one
    fail with ActionConflict, never move twice. A deadlock is retried a few times with back-off.
    """
    if action not in policy.ACTIONS:
        raise UnknownAction(
            _("Aksi tidak dikenal: %(action)s.") % {"action": action},
            fields={"action": [_("Pilih salah satu: %s.") % ", ".join(policy.ACTIONS)]},
        )
    actor = policy.actor_for(user)
    for attempt in range(ATTEMPTS):
        try:
            return _perform_locked(actor, innovation_id, action, comment)
        except OperationalError as exc:
            if not _retriable(exc):
                raise
            log.warning("perform_action: %s on case %s, attempt %d", exc, innovation_id, attempt)
            if attempt < ATTEMPTS - 1:
                time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise _moved_meanwhile()


@transaction.atomic
def _perform_locked(
    actor: policy.Actor, innovation_id: int, action: str, comment: str
) -> ActionResult:
    process = _locked_case(innovation_id)
    innovation = process.innovation
    user = actor.user
    _check(actor, innovation, action, comment)
    from_stage = innovation.stage
    data: dict = {}
    try:
        if action in policy.CANCEL_MOVES:
            InnovationFlow.instance.cancel(process)
        else:
            if action == "return" and from_stage == Stage.VERIFICATION:
                data["invalid_evidence"] = [
                    {"id": item.pk, "indicator": str(item.indicator), "note": item.review_note}
                    for item in guards.invalid_evidence(innovation)
                ]
            _complete_task(process, from_stage, user, action, comment)
    except TransitionNotAllowed as exc:
        raise _moved_meanwhile() from exc
    innovation.stage = policy.target_stage(from_stage, action)
    innovation.awaiting = policy.holder_of(innovation.stage)
    innovation.save(update_fields=["stage", "awaiting", "updated_at"])
    event = _record(
        innovation=innovation,
        actor=user,
        action=action,
        from_stage=from_stage,
        comment=comment.strip(),
        data=data,
    )
    deadlines.enter_stage(innovation=innovation, at=event.at)
    return ActionResult(innovation=innovation, event=event)
