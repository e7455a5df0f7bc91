"""Who may see a case and who may take which action in which stage: the lifecycle table as data."""

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.models import (
    Holder,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Role,
    Stage,
)

from .prepared import PreparedQuery

ACTION_LABELS = {
    "submit": _("Ajukan"),
    "approve": _("Setujui"),
    "return": _("Kembalikan"),
    "complete": _("Selesaikan pendampingan"),
    "accept": _("Terima verifikasi"),
    "close": _("Tutup kasus"),
    "reject": _("Tolak"),
    "withdraw": _("Tarik usulan"),
}
ACTIONS = tuple(ACTION_LABELS)
# Actions that must carry a comment (a return explains what to fix; reject/withdraw give a reason).
COMMENT_REQUIRED = {"return", "reject", "withdraw"}


@dataclass(frozen=True)
class StageRule:
    holder: str
    moves: dict[str, str]


LIFECYCLE: dict[str, StageRule] = {
    Stage.PROPOSAL: StageRule(Holder.OPD, {"submit": Stage.PROPOSAL_GATE}),
    Stage.PROPOSAL_GATE: StageRule(
        Holder.HEAD, {"approve": Stage.MENTORING, "return": Stage.PROPOSAL}
    ),
    Stage.MENTORING: StageRule(Holder.MENTOR, {"complete": Stage.PACKAGING}),
    Stage.PACKAGING: StageRule(Holder.OPD, {"submit": Stage.PACKAGING_GATE}),
    Stage.PACKAGING_GATE: StageRule(
        Holder.HEAD, {"approve": Stage.VERIFICATION, "return": Stage.PACKAGING}
    ),
    Stage.VERIFICATION: StageRule(
        Holder.VERIFIER, {"accept": Stage.REPORTING, "return": Stage.PACKAGING}
    ),
    Stage.REPORTING: StageRule(Holder.OPD, {"submit": Stage.REPORT_GATE}),
    Stage.REPORT_GATE: StageRule(Holder.HEAD, {"approve": Stage.CLOSE, "return": Stage.REPORTING}),
    Stage.CLOSE: StageRule(Holder.ADMIN, {"close": Stage.DONE}),
}
# Allowed in every open stage, outside the stage's own holder.
CANCEL_MOVES = {
    "reject": (Holder.ADMIN, Stage.REJECTED),
    "withdraw": (Holder.HEAD, Stage.WITHDRAWN),
}


def comment_required(stage: str, action: str) -> bool:
    """Whether `action` in `stage` must carry a comment (a verification return lists the
    invalid evidence items itself, so it needs none)."""
    if action == "return":
        return stage != Stage.VERIFICATION
    return action in COMMENT_REQUIRED


def holder_of(stage: str) -> str:
    rule = LIFECYCLE.get(stage)
    return rule.holder if rule else Holder.NONE


@dataclass
class Actor:
    """What the policy needs to know about a user, loaded once per request."""

    user: AbstractBaseUser | AnonymousUser
    roles: frozenset[str] = frozenset()
    head_of: frozenset[int] = frozenset()
    operator_of: frozenset[int] = frozenset()
    mentor_of: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def sees_everything(self) -> bool:
        return bool(self.roles & {Role.ADMIN, Role.VERIFIER, Role.OBSERVER})

    def mentors(self, innovation: Innovation) -> bool:
        return Role.MENTOR in self.roles and (innovation.unit_id, innovation.year) in self.mentor_of

    def is_head_of(self, unit_id: int) -> bool:
        return Role.OPD_HEAD in self.roles and unit_id in self.head_of

    def works_in(self, unit_id: int) -> bool:
        return self.is_head_of(unit_id) or (
            Role.OPD_OPERATOR in self.roles and unit_id in self.operator_of
        )


@cache
def _actor_sql() -> str:
    """One UNION ALL over the user's groups, memberships and mentor assignments.

    Raw SQL because this runs on every request and every action: the same query built with the
    ORM (three annotated querysets) cost ~2 ms of query compilation against ~0.05 ms here.
    """
    groups = Group._meta.db_table
    user_groups = Group.user_set.through._meta.db_table
    members = Membership._meta.db_table
    mentors = MentorAssignment._meta.db_table
    return (
        f"SELECT 'role', g.name, 0, 0 FROM {groups} g"
        f" JOIN {user_groups} ug ON ug.group_id = g.id WHERE ug.user_id = %s"
        f" UNION ALL SELECT position, '', unit_id, 0 FROM {members} WHERE user_id = %s"
        f" UNION ALL SELECT 'mentor', '', unit_id, year FROM {mentors} WHERE mentor_id = %s"
    )


def _actor_rows(user: AbstractBaseUser) -> list[tuple[str, str, int, int]]:
    """(kind, role name, unit id, year) rows for the user, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_actor_sql(), [user.pk] * 3)
        return cursor.fetchall()


def actor_for(user: AbstractBaseUser | AnonymousUser) -> Actor:
    """Build (and cache on the user object) the actor snapshot: one query."""
    cached = getattr(user, "_pandu_actor", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return Actor(user=user)
    roles: set[str] = {Role.ADMIN} if user.is_superuser else set()
    heads: set[int] = set()
    operators: set[int] = set()
    mentor_of: set[tuple[int, int]] = set()
    for kind, name, unit_id, year in _actor_rows(user):
        if kind == "role":
            roles.add(name)
        elif kind == Membership.Position.HEAD:
            heads.add(unit_id)
        elif kind == Membership.Position.OPERATOR:
            operators.add(unit_id)
        else:
            mentor_of.add((unit_id, year))
    actor = Actor(
        user=user,
        roles=frozenset(roles),
        head_of=frozenset(heads),
        operator_of=frozenset(operators),
        mentor_of=frozenset(mentor_of),
    )
    user._pandu_actor = actor
    return actor


# A membership or mentor assignment counts only with its role group (as Actor.works_in and
# Actor.mentors require): filters for the queries that pick people around a case.
ACTIVE_MEMBER = Q(user__is_active=True) & (
    Q(position=Membership.Position.HEAD, user__groups__name=Role.OPD_HEAD)
    | Q(position=Membership.Position.OPERATOR, user__groups__name=Role.OPD_OPERATOR)
)
ACTIVE_MENTOR = Q(mentor__is_active=True, mentor__groups__name=Role.MENTOR)


def can_view(actor: Actor, innovation: Innovation) -> bool:
    return actor.sees_everything or actor.works_in(innovation.unit_id) or actor.mentors(innovation)


# Every verification action asks it (workflow.prepared: compiled once).
_SESSIONS_BY = PreparedQuery(
    lambda innovation, mentor: MentoringSession.objects.filter(
        innovation_id=innovation, mentor_id=mentor
    ).values_list("pk")[:1]
)


def has_mentored(actor: Actor, innovation: Innovation) -> bool:
    """Assigned as mentor for the case's unit and year, or logged a session on it."""
    if actor.mentors(innovation):
        return True
    # Lists prefetch `sessions` so that this costs no query per row.
    prefetched = getattr(innovation, "_prefetched_objects_cache", {}).get("sessions")
    if prefetched is not None:
        return any(session.mentor_id == actor.user.pk for session in prefetched)
    return bool(_SESSIONS_BY.rows(innovation=innovation.pk, mentor=actor.user.pk))


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


def target_stage(stage: str, action: str) -> str | None:
    rule = LIFECYCLE.get(stage)
    if rule is None:
        return None
    if action in rule.moves:
        return rule.moves[action]
    if action in CANCEL_MOVES:
        return CANCEL_MOVES[action][1]
    return None


def required_holder(stage: str, action: str) -> str:
    if action in CANCEL_MOVES:
        return CANCEL_MOVES[action][0]
    return holder_of(stage)


def allowed_actions(actor: Actor, innovation: Innovation) -> list[str]:
    """The actions this actor may take on the case now (guards aside)."""
    rule = LIFECYCLE.get(innovation.stage)
    if rule is None or not can_view(actor, innovation):
        return []
    candidates = [*rule.moves, *CANCEL_MOVES]
    return [
        action
        for action in candidates
        if may_hold(actor, innovation, required_holder(innovation.stage, action))
    ]


PROFILE_FIELDS = frozenset(
    {
        "name",
        "bentuk",
        "jenis",
        "inisiator",
        "inisiator_name",
        "main_urusan",
        "related_urusan",
        "trial_date",
        "implementation_date",
        "maturity",
        "rancang_bangun",
        "tujuan",
        "manfaat",
        "hasil",
        "budget",
    }
)
REPORT_FIELDS = frozenset({"report_results", "report_beneficiaries", "report_national_ref"})
EDITABLE_BY_STAGE = {
    Stage.PROPOSAL: PROFILE_FIELDS,
    Stage.PACKAGING: PROFILE_FIELDS,
    Stage.REPORTING: REPORT_FIELDS | {"hasil"},
}


def editable_fields(actor: Actor, innovation: Innovation) -> frozenset[str]:
    """Profile fields the unit's own people may change while the case is in their hands."""
    if not actor.works_in(innovation.unit_id):
        return frozenset()
    return EDITABLE_BY_STAGE.get(innovation.stage, frozenset())


def can_log_session(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage in (Stage.MENTORING, Stage.PACKAGING) and actor.mentors(innovation)


def can_upload_evidence(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage == Stage.PACKAGING and actor.works_in(innovation.unit_id)


def can_review_evidence(actor: Actor, innovation: Innovation) -> bool:
    return innovation.stage == Stage.VERIFICATION and may_hold(actor, innovation, Holder.VERIFIER)
