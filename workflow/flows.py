"""The InnovationFlow: the lifecycle table (lifecycle.py) drawn as one viewflow process.

Every stage and head gate is a human task, assigned to the stage's holder from the table; a
gate's decision is stored on the process and read by the `Decision` node that follows it.
Tasks are completed only by `workflow.services.perform_action`; viewflow's own execute URL
sends the user to the case page, where the action forms are. tests/workflow/
test_lifecycle_table.py checks that this graph and the table describe the same moves.
"""

from django.contrib.auth import get_user_model
from django.db import connection
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.if_gate import IfActivation

from mentoring.models import Holder, Innovation, Stage
from mentoring.people import actor_for

from . import lifecycle, policy
from .lifecycle import Action
from .models import InnovationProcess
from .selectors import people_of


def open_case_page(request, **kwargs):
    """A task's execute view: the actions live on the innovation page."""
    return redirect("portal:innovation-detail", pk=request.activation.process.innovation_id)


def _owner(user_ids: set[int]):
    # The task row only needs the id; no user row is read for it.
    return get_user_model()(pk=min(user_ids)) if user_ids else None


def _opd_owner(activation):
    """OPD-side tasks go to whoever drafted the case while they still work in the unit."""
    innovation = activation.process.innovation
    people = people_of(innovation)
    unit = innovation.unit_id
    if innovation.created_by_id in people.heads(unit) | people.operators(unit):
        return _owner({innovation.created_by_id})
    return _owner(people.heads(unit))


def _head_owner(activation):
    innovation = activation.process.innovation
    return _owner(people_of(innovation).heads(innovation.unit_id))


def _mentor_owner(activation):
    innovation = activation.process.innovation
    return _owner(people_of(innovation).lead_mentors(innovation.unit_id, innovation.year))


def case_lock(flow_class, process_pk):
    """The process lock, opening the action's transaction.

    PostgreSQL: `SELECT ... FOR UPDATE NOWAIT` on the process row, retried (viewflow's lock).
    SQLite ignores FOR UPDATE; its IMMEDIATE transactions already take the database's write lock
    when they begin, so a plain transaction serialises moves there.
    """
    if connection.vendor == "sqlite":
        return lock.no_lock(flow_class, process_pk)
    return lock.select_for_update_lock(flow_class, process_pk)


# Who a stage's task is given to, by the stage's holder in the lifecycle table: a person for
# the unit's and the mentor's stages; a queue that the permission opens for the others.
_OWNERS = {Holder.OPD: _opd_owner, Holder.HEAD: _head_owner, Holder.MENTOR: _mentor_owner}
_QUEUES = {Holder.VERIFIER: "workflow.verify_case", Holder.ADMIN: "workflow.close_case"}


class CaseTask(flow.View):
    """A stage's human task: assigned, and executable, as the lifecycle and policy say."""

    def __init__(self, stage: Stage, **kwargs) -> None:
        super().__init__(open_case_page, **kwargs)
        self.stage = stage
        self.Annotation(title=stage.label)
        holder = lifecycle.holder_of(stage)
        if holder in _OWNERS:
            self.Assign(_OWNERS[holder])
        # Unowned tasks show in viewflow's queue only to admins unless the holder's permission
        # opens it.
        self.Permission(_QUEUES.get(holder, "workflow.manage_innovationprocess"))

    def _allowed(self, user, task) -> bool:
        if not user.is_authenticated:
            return False
        innovation = task.process.coerced.innovation
        if innovation.stage != self.stage:
            return False
        return policy.may_hold(actor_for(user), innovation, lifecycle.holder_of(self.stage))

    def can_assign(self, user, task) -> bool:
        return task.owner_id is None and self._allowed(user, task)

    def can_execute(self, user, task) -> bool:
        return self._allowed(user, task)


class DecisionActivation(IfActivation):
    @Activation.status.super()
    def activate(self):
        # viewflow guards an If condition with a savepoint (two statements per gate); this
        # one reads the decision carried on the process object and touches no database.
        self._condition_result = self.flow_task._condition(self)


class Decision(flow.If):
    """The If after a gate: `Then` when the gate's decision was `action`, else `Else`."""

    activation_class = DecisionActivation

    def __init__(self, action: Action, **kwargs) -> None:
        super().__init__(self._decided, **kwargs)
        self.action = action

    def _decided(self, activation) -> bool:
        # perform_action hands the decision over on the process object (and keeps it in the
        # gate task's data).
        return getattr(activation.process, "decision", None) == self.action


class InnovationFlow(flow.Flow):
    process_class = InnovationProcess
    lock_impl = case_lock
    process_title = _("Kasus inovasi")
    process_description = _("Usulan, pendampingan, pengemasan, verifikasi dan pelaporan inovasi.")

    start = (
        flow.StartHandle(this.start_case).Annotation(title=_("Usulan dibuat")).Next(this.proposal)
    )

    proposal = CaseTask(Stage.PROPOSAL).Next(this.proposal_gate)
    proposal_gate = CaseTask(Stage.PROPOSAL_GATE).Next(this.proposal_decided)
    proposal_decided = Decision(Action.APPROVE).Then(this.mentoring).Else(this.proposal)

    mentoring = CaseTask(Stage.MENTORING).Next(this.packaging)

    packaging = CaseTask(Stage.PACKAGING).Next(this.packaging_gate)
    packaging_gate = CaseTask(Stage.PACKAGING_GATE).Next(this.packaging_decided)
    packaging_decided = Decision(Action.APPROVE).Then(this.verification).Else(this.packaging)

    verification = CaseTask(Stage.VERIFICATION).Next(this.verification_decided)
    verification_decided = Decision(Action.ACCEPT).Then(this.reporting).Else(this.packaging)

    reporting = CaseTask(Stage.REPORTING).Next(this.report_gate)
    report_gate = CaseTask(Stage.REPORT_GATE).Next(this.report_decided)
    report_decided = Decision(Action.APPROVE).Then(this.close).Else(this.reporting)

    close = CaseTask(Stage.CLOSE).Next(this.end)
    end = flow.End()

    def has_view_permission(self, user, obj=None) -> bool:
        # viewflow's own pages (process, task detail) check this with the process as `obj`:
        # the model permission alone would open every unit's case to every role.
        if not super().has_view_permission(user, obj):
            return False
        if obj is None:
            return True
        innovation = getattr(obj, "innovation", None)
        return innovation is not None and policy.can_view(actor_for(user), innovation)

    def has_manage_permission(self, user, obj=None) -> bool:
        # viewflow's manage actions (cancel, undo, revive) would move a case behind the action
        # service's back; rejecting and withdrawing go through perform_action instead.
        return False

    def start_case(self, activation, innovation: Innovation):
        activation.process.innovation = innovation
        activation.process.data = {}
        return activation.process
