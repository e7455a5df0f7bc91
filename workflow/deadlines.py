"""Deadlines (design section 6): the working-day calendar, SLA policies and stage visits.

Every stay of a case in a stage is a `StageVisit` with its own due date, computed once when the
case enters the stage from that year's `SlaPolicy` and the calendar of the day: a later policy or
holiday change applies to new visits only and never rewrites history.

The due date is the LAST working day to act, as people read it. A stage of N working days entered
on day D (at any hour, on any day) counts its days from the first working day after D: the N-th
of them is the due date. On that day the case is due today (0 days overdue); it is overdue from
the next working day on, and "N working days overdue" counts the working days after the due date
up to today. A case whose due date falls before a weekend is therefore not overdue on the
weekend, but on Monday (1 working day).

Policies and the holiday set are cached in the process for `CACHE_SECONDS` (and dropped at once
when this process saves one), so a case action pays two writes here, not extra reads.
"""

import bisect
import datetime as dt
import time
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from mentoring.models import Innovation, Milestone

from . import lifecycle
from .models import DeadlineAlert, Holiday, SlaPolicy, StageCutoff, StageVisit

CACHE_SECONDS = 60
COUNTRY = "ID"
# Alerts in the order they fall due; StageVisit.alerts_sent counts how many are done.
ALERT_KINDS = (
    DeadlineAlert.Kind.DUE_SOON,
    DeadlineAlert.Kind.OVERDUE,
    DeadlineAlert.Kind.ESCALATED,
)


# --- calendar ---------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[dt.date]:
    """Indonesian national holidays of `year` as the `holidays` package knows them."""
    return frozenset(holidays.country_holidays(COUNTRY, years=year).keys())


class WorkingCalendar:
    """Monday to Friday, minus national holidays and the admins' local days / cuti bersama.

    The one working-day calendar: stage clocks, reminders, dashboards and digests all count
    with it. Counting is arithmetic on weeks minus the holidays in range, so a dashboard can
    count for thousands of date pairs.
    """

    def __init__(self, extra_days: Iterable[dt.date] = ()) -> None:
        self.extra_days = frozenset(extra_days)
        self._off_by_year: dict[int, list[dt.date]] = {}

    def _off(self, year: int) -> list[dt.date]:
        """The weekdays of `year` that are not working days, sorted."""
        found = self._off_by_year.get(year)
        if found is None:
            days = national_holidays(year) | {day for day in self.extra_days if day.year == year}
            found = self._off_by_year[year] = sorted(day for day in days if day.weekday() < 5)
        return found

    def is_working(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.extra_days
            and day not in national_holidays(day.year)
        )

    def add(self, day: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `day` (`day` itself when days is 0)."""
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working(day):
                days -= 1
        return day

    def subtract(self, day: dt.date, days: int) -> dt.date:
        """The `days`-th working day before `day` (`day` itself when days is 0)."""
        while days > 0:
            day -= dt.timedelta(days=1)
            if self.is_working(day):
                days -= 1
        return day

    def count(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included (0 when last < first)."""
        if last < first:
            return 0
        weeks, rest = divmod((last - first).days + 1, 7)
        tail = first + dt.timedelta(days=weeks * 7)
        weekdays = weeks * 5 + sum((tail + dt.timedelta(days=i)).weekday() < 5 for i in range(rest))
        off = 0
        for year in range(first.year, last.year + 1):
            days_off = self._off(year)
            off += bisect.bisect_right(days_off, last) - bisect.bisect_left(days_off, first)
        return weekdays - off

    def days_overdue(self, due_date: dt.date | None, today: dt.date) -> int:
        """Working days after the due date up to `today` (0 on the due date and before it)."""
        if due_date is None or due_date >= today:
            return 0
        return self.count(due_date + dt.timedelta(days=1), today)

    def overdue_from(self, due_date: dt.date) -> dt.date:
        """The first day a case due on `due_date` counts as overdue: the next working day."""
        return self.add(due_date, 1)

    def overdue_cutoff(self, today: dt.date) -> dt.date:
        """Due dates before this day are overdue on `today`: the last working day up to today
        (so that an indexed `due_date < cutoff` agrees with `days_overdue(...) > 0`)."""
        return today if self.is_working(today) else self.subtract(today, 1)


_cache: dict = {}


def clear_cache() -> None:
    _cache.clear()


def _cached(key, load):
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    _cache[key] = (now + CACHE_SECONDS, value)
    return value


def calendar() -> WorkingCalendar:
    """The working-day calendar with the admins' holidays (one query per cache period)."""
    return _cached(
        "calendar", lambda: WorkingCalendar(Holiday.objects.values_list("date", flat=True))
    )


def policy_for(year: int) -> SlaPolicy:
    """The year's SLA policy; an unsaved one with the defaults when the admins set none."""
    return _cached(
        ("policy", year),
        lambda: SlaPolicy.objects.filter(year=year).first() or SlaPolicy(year=year),
    )


def national_close(year: int) -> dt.date | None:
    """The last day of the year's national reporting window (None while it is not known)."""
    return _cached(
        ("close", year),
        lambda: (
            Milestone.objects.filter(year=year, kind=Milestone.Kind.REPORTING)
            .values_list("ends", flat=True)
            .first()
        ),
    )


def cutoffs_for(year: int) -> dict[str, int]:
    """Working days before the national close by which each stage must be left: the year's
    StageCutoff rows over the lifecycle's defaults (a row without days removes the cutoff)."""

    def load() -> dict[str, int]:
        days = dict(lifecycle.DEFAULT_CUTOFFS)
        for stage, before in StageCutoff.objects.filter(year=year).values_list(
            "stage", "days_before_close"
        ):
            if before is None:
                days.pop(stage, None)
            else:
                days[stage] = before
        return days

    return _cached(("cutoffs", year), load)


def last_day_before_close(
    *, year: int, stage: str, cal: WorkingCalendar | None = None
) -> dt.date | None:
    """The last working day on which `stage` may still be left for the national window."""
    close, before = national_close(year), cutoffs_for(year).get(stage)
    if close is None or before is None:
        return None
    cal = cal or calendar()
    last = close if cal.is_working(close) else cal.subtract(close, 1)
    return cal.subtract(last, before)


@receiver(post_save, sender=SlaPolicy, dispatch_uid="deadlines.policy_saved")
@receiver(post_delete, sender=SlaPolicy, dispatch_uid="deadlines.policy_deleted")
@receiver(post_save, sender=StageCutoff, dispatch_uid="deadlines.cutoff_saved")
@receiver(post_delete, sender=StageCutoff, dispatch_uid="deadlines.cutoff_deleted")
@receiver(post_save, sender=Milestone, dispatch_uid="deadlines.milestone_saved")
@receiver(post_delete, sender=Milestone, dispatch_uid="deadlines.milestone_deleted")
@receiver(post_save, sender=Holiday, dispatch_uid="deadlines.holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="deadlines.holiday_deleted")
def _drop_cache(**kwargs) -> None:
    clear_cache()


# --- stage visits -----------------------------------------------------------------------------


def new_visit(
    *,
    innovation_id: int,
    year: int,
    stage: str,
    at: dt.datetime,
    sla: SlaPolicy | None = None,
    cal: WorkingCalendar | None = None,
) -> StageVisit:
    """An unsaved visit of `stage` entered at `at`, its due and alert dates set (no query
    when the policy, the national calendar and the working-day calendar are cached or given).

    The due date is the stage's own working days, or the year's internal deadline before the
    national reporting window closes when that comes first (while the window is still open
    on entry: after the close the national deadline no longer applies)."""
    sla = sla or policy_for(year)
    cal = cal or calendar()
    entered = timezone.localdate(at)
    visit = StageVisit(
        innovation_id=innovation_id,
        stage=stage,
        holder=lifecycle.holder_of(stage),
        entered_at=at,
        year=year,
        entered_on=entered,
    )
    days = sla.days_for(stage)
    if days is None:
        return visit
    # The entry day does not count (a case may arrive late in the day or on a holiday): the
    # due date, the last day to act, is the N-th working day after the day the visit began.
    due = cal.add(entered, days)
    last = last_day_before_close(year=year, stage=stage, cal=cal)
    close = national_close(year)
    if last is not None and close is not None and entered <= close and last < due:
        due, visit.national = last, True
    visit.sla_days = days
    visit.due_date = due
    visit.remind_on = cal.subtract(due, sla.reminder_lead_days)
    # Never before the overdue alert, which comes on the working day after the due date.
    visit.escalate_on = cal.add(due, max(sla.escalation_grace_days, 1))
    visit.next_alert_on = visit.remind_on
    return visit


def enter_stage(
    *, innovation: Innovation, at: dt.datetime | None = None, first: bool = False
) -> StageVisit | None:
    """Close the case's open visit and open one for its current stage (none once it ended).

    Called by workflow.services inside the action's transaction: one UPDATE and one INSERT
    (`first=True` for a new case, which has no visit to close).
    """
    at = at or timezone.now()
    if not first:
        StageVisit.objects.filter(innovation_id=innovation.pk, left_at__isnull=True).update(
            left_at=at, left_on=timezone.localdate(at)
        )
    if innovation.stage not in lifecycle.DEFAULT_SLA_DAYS:
        return None
    visit = new_visit(
        innovation_id=innovation.pk, year=innovation.year, stage=innovation.stage, at=at
    )
    visit.save(force_insert=True)
    return visit


def alert_dates(visit: StageVisit) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The days of the visit's alerts, in ALERT_KINDS order: the reminder, the overdue alert
    (the working day after the due date) and the escalation."""
    overdue_on = calendar().overdue_from(visit.due_date) if visit.due_date else None
    return (visit.remind_on, overdue_on, visit.escalate_on)


def pending_alerts(visit: StageVisit, *, today: dt.date) -> list[str]:
    """Alert kinds of `visit` due by `today` and not sent yet.

    A reminder that would arrive together with the overdue alert (the scan did not run for a
    while) is dropped: it would only say less than the alert beside it.
    """
    dates = alert_dates(visit)
    kinds: list[str] = []
    for index in range(visit.alerts_sent, len(ALERT_KINDS)):
        on = dates[index]
        if on is None or on > today:
            break  # alerts go out in order: never an escalation before the overdue alert
        kinds.append(ALERT_KINDS[index])
    if DeadlineAlert.Kind.OVERDUE in kinds and DeadlineAlert.Kind.DUE_SOON in kinds:
        kinds.remove(DeadlineAlert.Kind.DUE_SOON)
    return kinds


def mark_sent(visit: StageVisit, kinds: list[str]) -> None:
    """Advance the visit past `kinds` and set the date of its next alert (None when done)."""
    if not kinds:
        return
    visit.alerts_sent = max(ALERT_KINDS.index(kind) for kind in kinds) + 1
    dates = alert_dates(visit)
    visit.next_alert_on = dates[visit.alerts_sent] if visit.alerts_sent < len(dates) else None


def next_alert_after(visit: StageVisit, *, today: dt.date) -> dt.date | None:
    """The first unsent alert date after `today` (None when there is none)."""
    dates = alert_dates(visit)
    return next((d for d in dates[visit.alerts_sent :] if d is not None and d > today), None)


# --- reads ------------------------------------------------------------------------------------


def with_deadline(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Annotate `due_date` and `holder` from the open visit (no query per row).

    Correlated subqueries on the one-open-visit index, not a join: they run for the rows of the
    page only, and a list's count() drops them and counts the innovations alone (issue 14)."""
    open_visit = StageVisit.objects.filter(innovation=OuterRef("pk"), left_at__isnull=True)
    return qs.annotate(
        due_date=Subquery(open_visit.values("due_date")[:1]),
        holder=Subquery(open_visit.values("holder")[:1]),
    )


def open_visit_due(*, before: dt.date) -> Exists:
    """An Exists() for cases whose open visit's due date is strictly before `before`.

    Uses the partial index on the open visits' due date.
    """
    return Exists(
        StageVisit.objects.filter(
            innovation=OuterRef("pk"), left_at__isnull=True, due_date__lt=before
        )
    )


def overdue_cutoff(today: dt.date | None = None) -> dt.date:
    """Open visits due before this day are overdue `today` (see WorkingCalendar)."""
    return calendar().overdue_cutoff(today or timezone.localdate())


def days_overdue(due_date: dt.date | None, *, today: dt.date | None = None) -> int:
    """Working days after the due date up to today (0 on the due date and before it).

    Reads the calendar only for overdue rows, so a list of cases on time costs no query.
    """
    today = today or timezone.localdate()
    if due_date is None or due_date >= today:
        return 0
    return calendar().days_overdue(due_date, today)
