"""Reads of replications, awards, HKI filings and the inovasi unggulan.

The suggested parameter of the replication indicator (31, "Replikasi") comes from the count of
replications recorded and the indicator's own yearly bounds (parameter 1/2/3 = replicated
1x/2x/3x in the catalogue: `Indicator.measure == "replications"`); nothing numeric is in code.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mentoring.models import CANCELLED_STAGES, Indicator, Innovation, Measure, Membership
from mentoring.people import ACTIVE_MEMBER, Actor

from .models import Award, AwardLevel, FeaturedInnovation, HkiFiling, RecognitionYear, Replication
from .services import may_record


@dataclass(frozen=True)
class Suggestion:
    """What the replications recorded suggest for the replication indicator of the year."""

    indicator: Indicator | None
    count: int
    parameter: int | None  # None: no replication yet, or the year has no such indicator

    @property
    def meaning(self) -> str:
        if self.indicator is None or self.parameter is None:
            return ""
        return self.indicator.parameter_meaning(self.parameter)


def replication_indicator(*, year: int) -> Indicator | None:
    return Indicator.objects.filter(year=year, measure=Measure.REPLICATIONS).first()


def suggested_parameter(indicator: Indicator | None, count: int) -> int | None:
    """The parameter whose yearly bounds hold `count` replications (None for none)."""
    if indicator is None or count <= 0:
        return None
    return indicator.parameter_for(count)


def replication_suggestion(*, innovation: Innovation) -> Suggestion:
    indicator = replication_indicator(year=innovation.year)
    count = innovation.replications.count()
    return Suggestion(indicator, count, suggested_parameter(indicator, count))


@dataclass(frozen=True)
class CaseRecognition:
    """The case page's section: everything recorded for the innovation."""

    replications: list[Replication]
    awards: list[Award]
    hki: list[HkiFiling]
    featured: list[FeaturedInnovation]
    suggestion: Suggestion
    can_record: bool


def case_recognition(*, innovation: Innovation, actor: Actor) -> CaseRecognition:
    """One case's records (four queries and the indicator); the caller has checked that the
    person may see the case."""
    replications = list(innovation.replications.select_related("unit"))
    indicator = replication_indicator(year=innovation.year)
    return CaseRecognition(
        replications=replications,
        awards=list(innovation.awards.all()),
        hki=list(innovation.hki_filings.all()),
        featured=list(innovation.featured.all()),
        suggestion=Suggestion(
            indicator, len(replications), suggested_parameter(indicator, len(replications))
        ),
        can_record=may_record(actor, innovation),
    )


# --- award points per unit head, for performance agreements --------------------------------------


@dataclass(frozen=True)
class AwardLine:
    award: Award
    points: int | None  # None when the year's points are not set


@dataclass
class UnitPoints:
    unit_id: int
    unit_name: str
    heads: list[str] = field(default_factory=list)
    lines: list[AwardLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.points or 0 for line in self.lines)


@dataclass(frozen=True)
class PointsReport:
    year: int
    rules: RecognitionYear | None
    units: list[UnitPoints]

    @property
    def total(self) -> int:
        return sum(unit.total for unit in self.units)


def award_points(*, year: int, unit_ids: frozenset[int] | None = None) -> PointsReport:
    """The awards of `year` by the innovation's unit, each with the year's points for its
    level, and the unit's heads (who carry them in their performance agreements); limited to
    `unit_ids` when given (a head sees their own units). Three queries at any size."""
    rules = RecognitionYear.objects.filter(year=year).first()
    awards = Award.objects.filter(year=year).select_related("innovation__unit")
    if unit_ids is not None:
        awards = awards.filter(innovation__unit_id__in=unit_ids)
    by_unit: dict[int, UnitPoints] = {}
    for award in awards.order_by("innovation__unit__name", "level", "pk"):
        unit = award.innovation.unit
        row = by_unit.setdefault(unit.pk, UnitPoints(unit.pk, unit.name))
        points = rules.points_for(award.level) if rules is not None else None
        row.lines.append(AwardLine(award, points))
    heads: dict[int, list[str]] = defaultdict(list)
    members = (
        Membership.objects.filter(ACTIVE_MEMBER, unit_id__in=by_unit, position="head")
        .select_related("user")
        .order_by("user__first_name", "user__username")
        .distinct()
    )
    for member in members:
        heads[member.unit_id].append(member.user.get_full_name() or member.user.get_username())
    for unit_id, row in by_unit.items():
        row.heads = heads.get(unit_id, [])
    units = sorted(by_unit.values(), key=lambda u: (-u.total, u.unit_name))
    return PointsReport(year=year, rules=rules, units=units)


def level_points(rules: RecognitionYear | None) -> list[tuple[str, int | None]]:
    """(level label, points) of the year, for the report's legend."""
    return [
        (str(label), rules.points_for(value) if rules else None)
        for value, label in AwardLevel.choices
    ]


def featured_of_year(*, year: int) -> list[FeaturedInnovation]:
    return list(
        FeaturedInnovation.objects.filter(year=year)
        .select_related("innovation__unit", "picked_by")
        .order_by("presentation_date", "pk")
    )


def featured_candidates(*, year: int) -> QuerySet[Innovation]:
    """Cases of the year an admin may pick (not rejected or withdrawn)."""
    return (
        Innovation.objects.filter(year=year)
        .exclude(stage__in=CANCELLED_STAGES)
        .select_related("unit")
        .order_by("unit__name", "name")
    )


def units_for(actor: Actor, *, year: int) -> frozenset[int] | None:
    """Whose award points the person may read: every unit (None) for admins, verifiers and
    observers; otherwise the units they head or operate, or mentor that year."""
    if actor.sees_everything:
        return None
    return actor.own_units | frozenset(unit for unit, y in actor.mentored if y == year)


def replication_hint(*, innovation: Innovation) -> str:
    """The evidence form's line on the replication indicator: the replications recorded and
    the parameter they suggest (empty when the year has no replication indicator)."""
    suggestion = replication_suggestion(innovation=innovation)
    if suggestion.indicator is None:
        return ""
    if suggestion.parameter is None:
        return _("Indikator %(indicator)s: belum ada replikasi tercatat untuk inovasi ini.") % {
            "indicator": suggestion.indicator
        }
    return _(
        "Indikator %(indicator)s: %(n)d replikasi tercatat, parameter yang disarankan "
        "%(p)d (%(meaning)s)."
    ) % {
        "indicator": suggestion.indicator,
        "n": suggestion.count,
        "p": suggestion.parameter,
        "meaning": suggestion.meaning,
    }
