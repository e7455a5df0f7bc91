"""The deadline scan: due-soon reminders, overdue alerts and escalations, each sent once.

Reads only the open visits whose next alert date has come (a partial index on
`next_alert_on`), in batches locked with `SELECT ... FOR UPDATE SKIP LOCKED`: several runners
share the work and never take the same visit. Each batch is one transaction: the alert rows
(unique per visit and kind), the visits' next alert dates and the receivers' notification rows
commit together or not at all.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import deadlines
from .models import DeadlineAlert, StageVisit
from .selectors import CasePeople
from .signals import deadline_alerts

BATCH_SIZE = 500
Kind = DeadlineAlert.Kind


@dataclass(frozen=True)
class DeadlineNotice:
    """One alert to deliver: what the `deadline_alerts` signal carries."""

    visit: StageVisit
    kind: str
    recipients: frozenset[int]
    # Recipients with a substitute in force (an absent head or mentor): told in the inbox
    # only, no e-mail; their substitute is among the recipients.
    inbox_only: frozenset[int] = frozenset()


@dataclass
class ScanResult:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Kind.values, 0))

    def summary(self) -> str:
        return (
            f"scan_deadlines: {self.counts[Kind.DUE_SOON]} due soon, "
            f"{self.counts[Kind.OVERDUE]} overdue, {self.counts[Kind.ESCALATED]} escalated"
        )


def recipients_for(people: CasePeople, visit: StageVisit, kind: str) -> set[int]:
    """due soon: the holders; overdue: the holders and the unit's head; escalated: admins."""
    innovation = visit.innovation
    if kind == Kind.ESCALATED:
        return people.holders("admin", innovation.unit_id, innovation.year)
    holders = people.holders(visit.holder, innovation.unit_id, innovation.year)
    if kind == Kind.OVERDUE:
        holders |= people.heads(innovation.unit_id)
    return holders


def _scan_batch(*, today: dt.date, batch_size: int, result: ScanResult) -> int:
    """Alert one locked batch; returns how many visits it took (0: nothing left for us)."""
    with transaction.atomic():
        visits = list(
            StageVisit.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("innovation")
            .filter(left_at__isnull=True, next_alert_on__lte=today)
            .order_by("next_alert_on", "id")[:batch_size]
        )
        if not visits:
            return 0
        # Belt and braces: a visit whose alert exists already (restored backup, hand edit)
        # is moved on without sending it again.
        sent = set(DeadlineAlert.objects.filter(visit__in=visits).values_list("visit_id", "kind"))
        people = CasePeople(
            ((v.innovation.unit_id, v.innovation.year) for v in visits), today=today
        )
        now = timezone.now()
        notices, alerts = [], []
        for visit in visits:
            kinds = deadlines.pending_alerts(visit, today=today)
            deadlines.mark_sent(visit, kinds)
            if not kinds:
                # Only a hand-edited row gets here; move it to its next real date so that
                # the scan can never loop on it.
                visit.next_alert_on = deadlines.next_alert_after(visit, today=today)
            for kind in kinds:
                if (visit.pk, kind) in sent:
                    continue
                recipients = frozenset(recipients_for(people, visit, kind))
                alerts.append(
                    DeadlineAlert(visit=visit, kind=kind, sent_at=now, recipients=len(recipients))
                )
                absent = people.absent(visit.innovation.unit_id, visit.innovation.year)
                notices.append(
                    DeadlineNotice(
                        visit=visit,
                        kind=kind,
                        recipients=recipients,
                        inbox_only=recipients & absent,
                    )
                )
                result.counts[kind] += 1
        DeadlineAlert.objects.bulk_create(alerts, ignore_conflicts=True)
        StageVisit.objects.bulk_update(visits, ["alerts_sent", "next_alert_on"])
        if notices:
            deadline_alerts.send(sender=StageVisit, alerts=notices)
    return len(visits)


def scan_deadlines(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> ScanResult:
    """Send every deadline alert due by `today` (WITA) that was not sent yet."""
    today = today or timezone.localdate()
    result = ScanResult()
    while _scan_batch(today=today, batch_size=batch_size, result=result) == batch_size:
        pass
    return result
