"""Reads: which innovations a person may see, and the list filters."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from workflow import policy

from .models import Innovation, MentorAssignment, Unit

LIST_FILTERS = ("stage", "unit", "year", "mentor", "q", "awaiting")


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
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(tujuan__icontains=q))
    return qs


def innovation_list(*, user: AbstractBaseUser, params) -> QuerySet[Innovation]:
    qs = filter_innovations(visible_innovations(user=user), params=params)
    return qs.select_related("unit", "main_urusan").order_by("-year", "-id")


def current_mentors(*, unit: Unit, year: int) -> list[MentorAssignment]:
    return list(
        MentorAssignment.objects.filter(unit=unit, year=year)
        .select_related("mentor")
        .order_by("-is_lead", "mentor__username")
    )
