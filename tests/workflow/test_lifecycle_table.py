"""The lifecycle table is the one definition: the viewflow graph and every other reader agree
with it, and these checks fail when one of them drifts."""

import dataclasses

import pytest

from mentoring.models import OPEN_STAGES, Stage
from notifications import texts
from notifications.models import Kind
from workflow import lifecycle
from workflow.flows import CaseTask, Decision, InnovationFlow
from workflow.lifecycle import Action, EventKind, Notice
from workflow.models import SlaPolicy


def _stage_of(node) -> str:
    return node.stage if isinstance(node, CaseTask) else Stage.DONE


def drawn_moves(flow, transitions) -> tuple[set[tuple[str, str, str]], list[str]]:
    """(stage, action, target) for every move the flow graph draws, and what cannot be read.

    A task followed by a Decision draws the decision's action to `Then`; `Else` stands for
    every other move of the stage in the table, so a table row with a different target, or an
    Else with nothing behind it, shows up as a difference.
    """
    moves, problems = set(), []
    own = {(t.stage, t.action) for t in transitions if not t.ends_process}
    for node in flow.nodes():
        if not isinstance(node, CaseTask):
            continue
        (edge,) = node._outgoing()
        following = edge.dst
        if not isinstance(following, Decision):
            actions = [a for s, a in own if s == node.stage]
            if len(actions) != 1:
                problems.append(f"{node.stage}: one next node, table has {actions}")
            moves |= {(node.stage, a, _stage_of(following)) for a in actions}
            continue
        for branch in following._outgoing():
            target = _stage_of(branch.dst)
            if branch.edge_class == "cond_true":
                moves.add((node.stage, following.action, target))
                continue
            others = [a for s, a in own if s == node.stage and a != following.action]
            if not others:
                problems.append(f"{node.stage}: Else leads to {target}, no such move in table")
            moves |= {(node.stage, a, target) for a in others}
    return moves, problems


def table_moves(transitions) -> set[tuple[str, str, str]]:
    return {(t.stage, t.action, t.target) for t in transitions if not t.ends_process}


def test_the_flow_draws_exactly_the_tables_moves():
    drawn, problems = drawn_moves(InnovationFlow.instance, lifecycle.TRANSITIONS)
    assert problems == []
    assert drawn == table_moves(lifecycle.TRANSITIONS)


@pytest.mark.parametrize(
    "drift",
    [
        # approve at the proposal gate leads somewhere the flow does not go
        lambda t: (
            dataclasses.replace(t, target=Stage.PACKAGING)
            if (t.stage, t.action) == (Stage.PROPOSAL_GATE, Action.APPROVE)
            else t
        ),
        # a return the flow has no Else for
        lambda t: (
            dataclasses.replace(t, action=Action.RETURN, target=Stage.PROPOSAL)
            if (t.stage, t.action) == (Stage.MENTORING, Action.COMPLETE)
            else t
        ),
    ],
)
def test_a_table_that_drifts_from_the_flow_is_caught(drift):
    changed = tuple(drift(t) for t in lifecycle.TRANSITIONS)
    drawn, problems = drawn_moves(InnovationFlow.instance, changed)
    assert problems or drawn != table_moves(changed)


def test_every_stage_has_its_task_and_the_flow_starts_in_the_first_stage():
    tasks = [node.stage for node in InnovationFlow.instance.nodes() if isinstance(node, CaseTask)]
    assert sorted(tasks) == sorted(lifecycle.OPEN)
    (first,) = InnovationFlow.start._outgoing()
    assert first.dst.stage == lifecycle.STAGES[0].stage


def test_every_open_stage_can_be_rejected_and_withdrawn_and_only_those_end_the_process():
    for stage in lifecycle.OPEN:
        ending = {t.action for t in lifecycle.transitions_from(stage) if t.ends_process}
        assert ending == {Action.REJECT, Action.WITHDRAW}
    assert all(
        t.target in (Stage.REJECTED, Stage.WITHDRAWN)
        for t in lifecycle.TRANSITIONS
        if t.ends_process
    )


def test_a_stages_own_moves_are_taken_by_its_holder():
    for t in lifecycle.TRANSITIONS:
        if not t.ends_process:
            assert t.by is None and t.holder == lifecycle.holder_of(t.stage), t


def test_the_domains_open_stages_are_the_tables():
    assert list(OPEN_STAGES) == list(lifecycle.OPEN)
    ended = set(Stage.values) - set(lifecycle.OPEN)
    assert ended == {Stage.DONE, Stage.REJECTED, Stage.WITHDRAWN}
    assert all(lifecycle.holder_of(stage) == "none" for stage in ended)


def test_every_action_has_its_history_kind_and_every_notice_its_kind_and_text():
    assert {a.value for a in Action} <= set(EventKind.values)
    for action in Action:
        assert EventKind(action.value).label == action.label
    assert {n.value for n in Notice} <= set(Kind.values)
    assert {n.value for n in Notice} == set(texts.CASE_TEXTS)
    notified = {n.notice for t in lifecycle.TRANSITIONS for n in t.notify}
    assert notified == set(Notice)


def test_each_timed_stage_has_its_sla_column_defaulting_to_the_table():
    for rule in lifecycle.STAGES:
        field = SlaPolicy._meta.get_field(rule.stage)
        assert field.default == rule.days, rule.stage
    stage_columns = {f.name for f in SlaPolicy._meta.fields} & set(Stage.values)
    assert stage_columns == set(lifecycle.OPEN)


def test_the_sla_admin_form_lists_every_stage_of_the_table(admin_client):
    html = admin_client.get("/admin/workflow/slapolicy/add/").content.decode()
    for rule in lifecycle.STAGES:
        assert f'name="{rule.stage}"' in html, rule.stage


def test_the_verified_stages_are_those_after_accepting_verification():
    from mentoring.models import VERIFIED_STAGES

    (accept,) = [t for t in lifecycle.TRANSITIONS if t.action == Action.ACCEPT]
    reached, frontier = set(), [accept.target]
    while frontier:
        stage = frontier.pop()
        if stage in reached:
            continue
        reached.add(stage)
        frontier += [t.target for t in lifecycle.transitions_from(stage) if not t.ends_process]
    # A report returned by the head goes back to reporting, never before verification.
    assert reached == set(VERIFIED_STAGES)
