"""StageVisit.due_date becomes the last working day to act (it was the first day overdue).

A stage's own days already gave the N-th working day after entry, which is the last day under
the new rule: those due dates stay, and such a visit becomes overdue one working day later than
before. The national cutoff stored the working day after the last allowed day: it moves back to
that day, so its overdue moment (and its reminder and escalation days) do not change. The
overdue alert now comes on the working day after the due date, so open visits waiting for it
(reminder sent) get that date as their next alert. The calendar is frozen here (weekends, the
`holidays` package's ID days, the admins' Holiday rows) so that later code changes do not change
this migration.
"""

import datetime as dt

import holidays
from django.db import migrations

BATCH = 1000


def _calendar(apps):
    extra = set(apps.get_model("workflow", "Holiday").objects.values_list("date", flat=True))
    national: dict[int, holidays.HolidayBase] = {}

    def is_working(day: dt.date) -> bool:
        if day.year not in national:
            national[day.year] = holidays.country_holidays("ID", years=day.year)
        return day.weekday() < 5 and day not in extra and day not in national[day.year]

    def step(day: dt.date, direction: int) -> dt.date:
        day += dt.timedelta(days=direction)
        while not is_working(day):
            day += dt.timedelta(days=direction)
        return day

    return step


def _move(apps, *, direction: int) -> None:
    StageVisit = apps.get_model("workflow", "StageVisit")
    step = _calendar(apps)
    # National due dates: one working day back (forward when undone).
    national = StageVisit.objects.filter(national=True, due_date__isnull=False)
    changed = []
    for visit in national.only("pk", "due_date").iterator(chunk_size=BATCH):
        visit.due_date = step(visit.due_date, direction)
        changed.append(visit)
    StageVisit.objects.bulk_update(changed, ["due_date"], batch_size=BATCH)
    # Open visits whose next alert is the overdue alert: the working day after the due date
    # (the due date itself when undone).
    waiting = StageVisit.objects.filter(
        left_at__isnull=True, alerts_sent=1, due_date__isnull=False, next_alert_on__isnull=False
    )
    changed = []
    for visit in waiting.only("pk", "due_date", "next_alert_on").iterator(chunk_size=BATCH):
        old, new = (
            (visit.due_date, step(visit.due_date, 1))
            if direction < 0
            else (step(visit.due_date, 1), visit.due_date)
        )
        if visit.next_alert_on == old:
            visit.next_alert_on = new
            changed.append(visit)
    StageVisit.objects.bulk_update(changed, ["next_alert_on"], batch_size=BATCH)


def forwards(apps, schema_editor):
    _move(apps, direction=-1)


def backwards(apps, schema_editor):
    _move(apps, direction=1)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0008_caseevent_evidence_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
