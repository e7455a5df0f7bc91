"""Reads: which innovations a person may see, and the list filters."""

import datetime as dt
import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import BooleanField, F, Func, Max, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import deadlines, policy
from workflow.errors import GuardFailed
from workflow.models import CaseEvent

from .models import EvidenceItem, Holder, Innovation, MentorAssignment, MentoringSession, Unit

LIST_FILTERS = ("stage", "unit", "year", "mentor", "q", "awaiting", "overdue", "due_before")


def visible_innovations(*, user: AbstractBaseUser) -> QuerySet[Innovation]:
    actor = policy.actor_for(user)
    qs = Innovation.objects.all()
    if actor.sees_everything:
        return qs
    scope = Q(pk__in=[])
    units = set()
    if actor.has("opd_head"):
        units |= actor.head_of
    if actor.has("opd_operator"):
        units |= actor.operator_of
    if units:
        scope |= Q(unit_id__in=units)
    if actor.has("mentor"):
        for unit_id, year in actor.mentor_of:
            scope |= Q(unit_id=unit_id, year=year)
    return qs.filter(scope)


def filter_innovations(qs: QuerySet[Innovation], *, params) -> QuerySet[Innovation]:
    """Apply the list filters (stage, unit code, year, mentor username, free text)."""
    if stage := params.get("stage"):
        qs = qs.filter(stage__in=stage.split(","))
    if awaiting := params.get("awaiting"):
        qs = qs.filter(awaiting=awaiting)
    if unit := params.get("unit"):
        qs = qs.filter(unit__code=unit)
    if (year := params.get("year")) and str(year).isdigit():
        qs = qs.filter(year=int(year))
    if mentor := params.get("mentor"):
        pairs = MentorAssignment.objects.filter(mentor__username=mentor).values_list(
            "unit_id", "year"
        )
        scope = Q(pk__in=[])
        for unit_id, year in pairs:
            scope |= Q(unit_id=unit_id, year=year)
        qs = qs.filter(scope)
    if q := (params.get("q") or "").strip():
        qs = search_innovations(qs, q=q)
    return _filter_deadlines(qs, params=params)


# Full-text search (list page, API `q`, exports). PostgreSQL: every word is matched as a word
# beginning both as typed (config 'simple': "kependuduk" finds "kependudukan") and by its
# Indonesian stem ("layanan" finds "pelayanan"), results ranked; the vector below is exactly the
# expression of the GIN index in migration mentoring 0004, so keep the two in step.
SEARCH_CONFIGS = ("indonesian", "simple")
SEARCH_TEXT_FIELDS = ("name", "tujuan", "manfaat", "hasil", "rancang_bangun")
_SEARCH_MAX_WORDS = 10


def search_words(q: str) -> list[str]:
    """The words of a search text (letters and digits only, so they are safe in a tsquery)."""
    return re.findall(r"[^\W_]+", q.lower())[:_SEARCH_MAX_WORDS]


class _StoredSearchVector(Expression):
    """The `search_vector` column (PostgreSQL only; migration 0005's trigger keeps it) of the
    query's base table, an innovation queryset's, under whatever alias the query gives it
    (`U0` when the search runs as a subquery)."""

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.search_vector", []


def _innovation_search_vector():
    from django.contrib.postgres.search import SearchVectorField

    return _StoredSearchVector(output_field=SearchVectorField())


def _search_query(words: list[str]):
    from django.contrib.postgres.search import SearchQuery

    raw = " & ".join(f"{word}:*" for word in words)
    stemmed, typed = (SearchQuery(raw, search_type="raw", config=c) for c in SEARCH_CONFIGS)
    return stemmed | typed


class _UnitAmong(Func):
    """`unit_id = ANY(ARRAY(subquery))`: the subquery runs once (an InitPlan), so PostgreSQL
    can OR the GIN index scan with the unit index; `IN (subquery)` would scan every row."""

    template = "%(expressions)s))"
    arg_joiner = " = ANY(ARRAY("
    output_field = BooleanField()

    def __init__(self, units: QuerySet[Unit]) -> None:
        super().__init__(F("unit_id"), Subquery(units))


def search_innovations(qs: QuerySet[Innovation], *, q: str) -> QuerySet[Innovation]:
    """Innovations whose name, tujuan, manfaat, hasil, rancang bangun or unit name contain every
    word of `q`. On PostgreSQL ranked (annotation `search_rank`, name weighs most); on other
    databases a case-insensitive substring match per word. Adds no query of its own."""
    words = search_words(q)
    if not words:
        return qs
    if connection.vendor != "postgresql":
        for word in words:
            match = Q(unit__name__icontains=word)
            for name in SEARCH_TEXT_FIELDS:
                match |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(match)
        return qs
    from django.contrib.postgres.search import SearchRank, SearchVector

    # Like the fallback, each word may sit in the innovation's text or in its unit's name.
    qs = qs.alias(search_vector=_innovation_search_vector())
    unit_vector = SearchVector("name", config=SEARCH_CONFIGS[0]) + SearchVector(
        "name", config=SEARCH_CONFIGS[1]
    )
    units = Unit.objects.order_by().annotate(search=unit_vector)
    for word in words:
        in_unit = units.filter(search=_search_query([word])).values("pk")
        qs = qs.filter(Q(search_vector=_search_query([word])) | Q(_UnitAmong(in_unit)))
    return qs.annotate(search_rank=SearchRank(F("search_vector"), _search_query(words)))


TRUE_VALUES, FALSE_VALUES = ("true", "1", "ya"), ("false", "0", "tidak")


def _filter_deadlines(qs: QuerySet[Innovation], *, params) -> QuerySet[Innovation]:
    """`overdue=true|false` and `due_before=YYYY-MM-DD` on the open stage visit (indexed)."""
    overdue = str(params.get("overdue") or "").strip().lower()
    if overdue:
        if overdue not in TRUE_VALUES + FALSE_VALUES:
            raise GuardFailed(
                _("Filter tidak valid."),
                fields={"overdue": [_("Isi dengan true atau false.")]},
            )
        is_overdue = deadlines.open_visit_due(on_or_before=timezone.localdate())
        qs = qs.filter(is_overdue if overdue in TRUE_VALUES else ~is_overdue)
    if raw := str(params.get("due_before") or "").strip():
        try:
            before = dt.date.fromisoformat(raw)
        except ValueError:
            raise GuardFailed(
                _("Filter tidak valid."),
                fields={"due_before": [_("Tanggal harus berformat TTTT-BB-HH.")]},
            ) from None
        qs = qs.filter(deadlines.open_visit_due(before=before))
    return qs


def innovation_list(*, user: AbstractBaseUser, params) -> QuerySet[Innovation]:
    qs = filter_innovations(visible_innovations(user=user), params=params)
    # due_date / holder of the open stage visit, by one LEFT JOIN (no query per row).
    qs = deadlines.with_deadline(qs)
    ordering = ["-year", "-id"]
    if "search_rank" in qs.query.annotations:  # a text search lists the best matches first
        ordering.insert(0, "-search_rank")
    return qs.select_related("unit", "main_urusan").order_by(*ordering)


def current_mentors(*, unit: Unit, year: int) -> list[MentorAssignment]:
    return list(
        MentorAssignment.objects.filter(unit=unit, year=year)
        .select_related("mentor")
        .order_by("-is_lead", "mentor__username")
    )


def waiting_for(*, user: AbstractBaseUser) -> list[Innovation]:
    """Cases waiting for this person ("Tugas saya"), oldest wait first.

    SQL narrows by `awaiting` and the person's units/assignments; the policy then keeps the
    cases where they hold a stage action (cancel moves alone do not make a case wait for them).
    """
    actor = policy.actor_for(user)
    if not actor.user.is_authenticated:
        return []
    scope = Q(pk__in=[])
    opd_units = set()
    if actor.has("opd_head"):
        opd_units |= actor.head_of
        scope |= Q(awaiting=Holder.HEAD, unit_id__in=actor.head_of)
    if actor.has("opd_operator"):
        opd_units |= actor.operator_of
    if opd_units:
        scope |= Q(awaiting=Holder.OPD, unit_id__in=opd_units)
    if actor.has("mentor"):
        for unit_id, year in actor.mentor_of:
            scope |= Q(awaiting=Holder.MENTOR, unit_id=unit_id, year=year)
    if actor.has("verifier"):
        scope |= Q(awaiting=Holder.VERIFIER)
    if actor.is_admin:
        scope |= Q(awaiting=Holder.ADMIN)
    rows = (
        Innovation.objects.filter(scope)
        .select_related("unit")
        .annotate(waiting_since=Max("history__at"))
        .order_by("waiting_since", "id")
    )
    return [
        innovation
        for innovation in rows
        if set(policy.allowed_actions(actor, innovation)) - set(policy.CANCEL_MOVES)
    ]


def innovation_page(*, pk: int) -> Innovation:
    """One innovation with everything its page shows, in a fixed number of queries."""
    return (
        Innovation.objects.select_related("unit", "main_urusan", "created_by", "process")
        .prefetch_related(
            "related_urusan",
            "attachments",
            Prefetch(
                "sessions",
                queryset=MentoringSession.objects.select_related("mentor").prefetch_related(
                    "follow_ups"
                ),
            ),
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.select_related("indicator", "reviewed_by"),
            ),
            Prefetch("history", queryset=CaseEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )
