"""Reads on the domain alone: a unit's mentors, and the innovations' text search."""

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery

from .models import RANCANG_BANGUN_SECTIONS, Innovation, MentorAssignment, Unit


def current_mentors(*, unit: Unit, year: int) -> list[MentorAssignment]:
    return list(
        MentorAssignment.objects.filter(unit=unit, year=year)
        .select_related("mentor")
        .order_by("-is_lead", "mentor__username")
    )


# Full-text search (list page, API `q`, exports). PostgreSQL: every word is matched as a word
# beginning both as typed (config 'simple': "kependuduk" finds "kependudukan") and by its
# Indonesian stem ("layanan" finds "pelayanan"), results ranked. The innovation's vector is
# its `search_vector` column, which a trigger keeps over these fields (migration 0008; the
# name weighs most).
SEARCH_CONFIGS = ("indonesian", "simple")
SEARCH_TEXT_FIELDS = (
    "name",
    "tujuan",
    "manfaat",
    "hasil",
    "perkembangan",
    *RANCANG_BANGUN_SECTIONS,
)
_SEARCH_MAX_WORDS = 10


def search_words(q: str) -> list[str]:
    """The words of a search text (letters and digits only, so they are safe in a tsquery)."""
    return re.findall(r"[^\W_]+", q.lower())[:_SEARCH_MAX_WORDS]


def _search_query(words: list[str]) -> SearchQuery:
    raw = " & ".join(f"{word}:*" for word in words)
    stemmed, typed = (SearchQuery(raw, search_type="raw", config=c) for c in SEARCH_CONFIGS)
    return stemmed | typed


class _UnitAmong(Func):
    """`unit_id = ANY(ARRAY(subquery))`: the subquery runs once (an InitPlan), so PostgreSQL
    can OR the GIN index scan with the unit index; `IN (subquery)` would scan every row."""

    template = "%(expressions)s))"
    arg_joiner = " = ANY(ARRAY("
    output_field = BooleanField()

    def __init__(self, units: QuerySet[Unit, Any]) -> None:
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
    # Like the fallback, each word may sit in the innovation's text or in its unit's name.
    unit_vector = SearchVector("name", config=SEARCH_CONFIGS[0]) + SearchVector(
        "name", config=SEARCH_CONFIGS[1]
    )
    units = Unit.objects.order_by().annotate(search=unit_vector)
    for word in words:
        in_unit = units.filter(search=_search_query([word])).values("pk")
        qs = qs.filter(Q(search_vector=_search_query([word])) | Q(_UnitAmong(in_unit)))
    return qs.annotate(search_rank=SearchRank(F("search_vector"), _search_query(words)))
