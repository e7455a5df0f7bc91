"""The case's history: one typed function per kind of entry, each writing one `CaseEvent` and
announcing it (`signals.case_moved`) inside the caller's transaction.

An entry made by a substitute (a Plt./Plh. for the unit's head, a mentor's substitute) records
on whose behalf (`on_behalf_of`): the holder of the move is asked of the actor's snapshot.
"""

from typing import TypedDict

from django.contrib.auth.models import User

from mentoring.models import Holder, Innovation
from mentoring.people import actor_for

from .guards import InvalidEvidence
from .lifecycle import EventKind, Transition
from .models import CaseEvent
from .signals import case_moved


def _on_behalf_of(actor: User, innovation: Innovation, holder: str) -> int | None:
    """The absent person `actor` stands in for when taking a move held by `holder`."""
    return actor_for(actor).acting_for(innovation, holder)


class MovePayload(TypedDict, total=False):
    """What a move's entry carries besides its comment."""

    invalid_evidence: list[InvalidEvidence]  # a verification return: what to fix


def created(*, innovation: Innovation, actor: User) -> CaseEvent:
    """A new case in its first stage."""
    event = CaseEvent.objects.create(
        innovation=innovation,
        actor=actor,
        on_behalf_of_id=_on_behalf_of(actor, innovation, Holder.OPD),
        action=EventKind.CREATED,
        from_stage="",
        to_stage=innovation.stage,
    )
    case_moved.send(sender=CaseEvent, event=event, innovation=innovation, transition=None)
    return event


def moved(
    *, innovation: Innovation, actor: User, transition: Transition, comment: str
) -> CaseEvent:
    """The case took `transition` (it already stands in the target stage)."""
    payload = MovePayload()
    if transition.findings is not None:
        payload["invalid_evidence"] = transition.findings(innovation)
    event = CaseEvent.objects.create(
        innovation=innovation,
        actor=actor,
        on_behalf_of_id=_on_behalf_of(actor, innovation, transition.holder),
        action=EventKind(transition.action.value),
        from_stage=transition.stage,
        to_stage=innovation.stage,
        comment=comment,
        data=payload,
    )
    case_moved.send(sender=CaseEvent, event=event, innovation=innovation, transition=transition)
    return event


class ContinuationPayload(TypedDict):
    """The other case of a continuation: the earlier one, or the one that continues it."""

    innovation: int
    year: int


def continued(*, previous: Innovation, innovation: Innovation, actor: User) -> list[CaseEvent]:
    """`innovation` opened as the continuation of the closed case `previous` into a later
    year: one entry on each case, naming the other (the new case's entry carries the
    "perkembangan inovasi" as its comment and stands for its creation)."""
    rows = [
        CaseEvent.objects.create(
            innovation=previous,
            actor=actor,
            on_behalf_of_id=_on_behalf_of(actor, previous, Holder.OPD),
            action=EventKind.CONTINUED,
            from_stage=previous.stage,
            to_stage=previous.stage,
            data=ContinuationPayload(innovation=innovation.pk, year=innovation.year),
        ),
        CaseEvent.objects.create(
            innovation=innovation,
            actor=actor,
            on_behalf_of_id=_on_behalf_of(actor, innovation, Holder.OPD),
            action=EventKind.CONTINUED_FROM,
            from_stage="",
            to_stage=innovation.stage,
            comment=innovation.perkembangan,
            data=ContinuationPayload(innovation=previous.pk, year=previous.year),
        ),
    ]
    for event, case in zip(rows, (previous, innovation), strict=True):
        case_moved.send(sender=CaseEvent, event=event, innovation=case, transition=None)
    return rows


class EntryPayload(TypedDict):
    reference: str


def entered_nationally(*, innovation: Innovation, actor: User, reference: str) -> CaseEvent:
    """The case was entered (or its reference corrected) in the ministry's IID portal."""
    event = CaseEvent.objects.create(
        innovation=innovation,
        actor=actor,
        action=EventKind.ENTERED_NATIONALLY,
        from_stage=innovation.stage,
        to_stage=innovation.stage,
        data=EntryPayload(reference=reference),
    )
    case_moved.send(sender=CaseEvent, event=event, innovation=innovation, transition=None)
    return event


class EvidencePayload(TypedDict, total=False):
    """What an evidence change's entry carries: the item, its indicator and the files."""

    evidence: int
    indicator: str
    old_name: str
    new_name: str


def evidence_changed(
    *, innovation: Innovation, actor: User, kind: EventKind, payload: EvidencePayload
) -> CaseEvent:
    """An evidence file was replaced or an item removed (the case does not move)."""
    event = CaseEvent.objects.create(
        innovation=innovation,
        actor=actor,
        on_behalf_of_id=_on_behalf_of(actor, innovation, Holder.OPD),
        action=kind,
        from_stage=innovation.stage,
        to_stage=innovation.stage,
        data=payload,
    )
    case_moved.send(sender=CaseEvent, event=event, innovation=innovation, transition=None)
    return event
