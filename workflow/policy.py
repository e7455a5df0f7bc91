"""Who may see a case, and who may do what to it now: the lifecycle table read for one person.

`mentoring.people.Actor` says who the person is (roles, units, mentor assignments); this module
combines that with the case's stage.
"""

from collections import defaultdict

from django.db.models import Q

from mentoring.models import Holder, Innovation, MentoringSession, Role, Stage
from mentoring.people import Actor
from mentoring.profile import PROFILE_FIELDS, REPORT_FIELDS

from . import lifecycle
from .lifecycle import Action


def can_view(actor: Actor, innovation: Innovation) -> bool:
    return actor.sees_everything or actor.works_in(innovation.unit_id) or actor.mentors(innovation)


def can_view_unit(actor: Actor, unit_id: int, year: int) -> bool:
    """The person may see the unit's cases of the year (can_view, for a whole unit)."""
    return actor.sees_everything or actor.works_in(unit_id) or (unit_id, year) in actor.mentored


def _mentored_scope(actor: Actor) -> Q:
    """The cases of the (unit, year) pairs the person mentors: one clause per year, not per
    pair (a mentor of a national team has a hundred units, and clauses cost time to build)."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for unit_id, year in sorted(actor.mentored):
        by_year[year].append(unit_id)
    scope = Q(pk__in=[])
    for year, unit_ids in by_year.items():
        scope |= Q(year=year, unit_id__in=unit_ids)
    return scope


def visible_scope(actor: Actor) -> Q:
    """can_view as a filter on innovations."""
    if actor.sees_everything:
        return Q()
    # Substitutes (Plt./Plh., a mentor on leave) see what the person they stand in for sees.
    return Q(unit_id__in=actor.headed_units | actor.operated_units) | _mentored_scope(actor)


def held_scope(actor: Actor) -> Q:
    """holds as a filter on innovations (the cases waiting for this person): a case waits for
    the holder of its stage's own moves (`awaiting`). tests/workflow/test_task_scope.py holds
    the two equal."""
    scope = Q(pk__in=[])
    if actor.headed_units:
        scope |= Q(awaiting=Holder.HEAD, unit_id__in=actor.headed_units)
    if units := actor.headed_units | actor.operated_units:
        scope |= Q(awaiting=Holder.OPD, unit_id__in=units)
    mentored = _mentored_scope(actor)
    scope |= Q(mentored, awaiting=Holder.MENTOR)
    if actor.has(Role.VERIFIER):
        # Never the verifier of a case they mentored (assigned, or logged a session on it).
        own_sessions = MentoringSession.objects.filter(mentor_id=actor.user.pk)
        scope |= (
            Q(awaiting=Holder.VERIFIER)
            & ~mentored
            & ~Q(pk__in=own_sessions.values("innovation_id"))
        )
    if actor.is_admin:
        scope |= Q(awaiting=Holder.ADMIN)
    return scope


def has_mentored(actor: Actor, innovation: Innovation) -> bool:
    """Assigned as mentor for the case's unit and year, or logged a session on it."""
    if actor.mentors(innovation):
        return True
    # The person's own sessions are read once per request, not once per case: a verifier's
    # task list asks this of every case waiting for verification.
    return innovation.pk in actor.cases_with_own_sessions


def may_hold(actor: Actor, innovation: Innovation, holder: str) -> bool:
    """Whether the actor is the kind of person the case waits for."""
    if holder == Holder.OPD:
        return actor.works_in(innovation.unit_id)
    if holder == Holder.HEAD:
        return actor.is_head_of(innovation.unit_id)
    if holder == Holder.MENTOR:
        return actor.mentors(innovation)
    if holder == Holder.VERIFIER:
        return actor.has(Role.VERIFIER) and not has_mentored(actor, innovation)
    if holder == Holder.ADMIN:
        return actor.is_admin
    return False


def allowed_transitions(actor: Actor, innovation: Innovation) -> list[lifecycle.Transition]:
    """The moves this actor may take on the case now (guards aside), in table order."""
    if not can_view(actor, innovation):
        return []
    return [
        t
        for t in lifecycle.transitions_from(innovation.stage)
        if may_hold(actor, innovation, t.holder)
    ]


def allowed_actions(actor: Actor, innovation: Innovation) -> list[Action]:
    return [t.action for t in allowed_transitions(actor, innovation)]


def holds(actor: Actor, innovation: Innovation) -> bool:
    """The case waits for this actor: they may take one of its stage's own moves (a reject or
    withdraw alone does not make a case wait for someone)."""
    return any(not t.ends_process for t in allowed_transitions(actor, innovation))


EDITABLE_BY_STAGE: dict[str, frozenset[str]] = {
    Stage.PROPOSAL: frozenset(PROFILE_FIELDS),
    Stage.PACKAGING: frozenset(PROFILE_FIELDS),
    Stage.REPORTING: frozenset(REPORT_FIELDS) | {"hasil"},
}


def editable_fields(actor: Actor, innovation: Innovation) -> frozenset[str]:
    """Profile fields the unit's own people may change while the case is in their hands."""
    if not actor.works_in(innovation.unit_id):
        return frozenset()
    return EDITABLE_BY_STAGE.get(innovation.stage, frozenset())


def can_log_session(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage in (Stage.MENTORING, Stage.PACKAGING) and actor.mentors(innovation)


def can_mark_follow_up(actor: Actor, innovation: Innovation) -> bool:
    """Mark a session's follow-up done or open again: the case's mentor or the unit's people."""
    return actor.mentors(innovation) or actor.works_in(innovation.unit_id)


def can_upload_evidence(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage == Stage.PACKAGING and actor.works_in(innovation.unit_id)


def can_review_evidence(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage == Stage.VERIFICATION and may_hold(actor, innovation, Holder.VERIFIER)


def may_continue(actor: Actor, innovation: Innovation) -> bool:
    """Whether the page offers "continue to the next year": a closed case, not continued yet,
    to the people of its unit (the service checks the year's rules)."""
    return (
        innovation.stage == Stage.DONE
        and actor.works_in(innovation.unit_id)
        and not innovation.continued_by.exists()
    )
