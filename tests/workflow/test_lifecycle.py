import pytest
from viewflow.workflow.status import PROCESS, STATUS

from mentoring.models import Stage
from tests.factories import act, advance, new_innovation
from workflow.models import CaseEvent


@pytest.mark.django_db
def test_happy_path_reaches_done_with_full_history(org):
    innovation = advance(org, new_innovation(org), Stage.DONE)
    assert innovation.stage == Stage.DONE
    assert innovation.awaiting == "none"
    actions = list(CaseEvent.objects.filter(innovation=innovation).values_list("action", flat=True))
    assert actions == [
        "create",
        "submit",
        "approve",
        "complete",
        "submit",
        "approve",
        "accept",
        "submit",
        "approve",
        "close",
    ]
    process = innovation.process
    assert process.status == PROCESS.DONE
    assert not process.task_set.exclude(status__in=[STATUS.DONE]).exists()


@pytest.mark.django_db
def test_gate_return_loops_back_with_new_task(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    innovation = act(org.head, innovation, "return", "Perjelas masalah yang diselesaikan.")
    assert innovation.stage == Stage.PROPOSAL
    event = CaseEvent.objects.filter(innovation=innovation).last()
    assert (event.from_stage, event.to_stage, event.actor) == (
        "proposal_gate",
        "proposal",
        org.head,
    )
    innovation = act(org.operator, innovation, "submit")
    assert innovation.stage == Stage.PROPOSAL_GATE
    open_tasks = innovation.process.task_set.filter(status=STATUS.ASSIGNED)
    assert [t.flow_task.name for t in open_tasks] == ["proposal_gate"]
    assert open_tasks[0].owner == org.head
