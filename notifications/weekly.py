"""The weekly deadline digest: one e-mail per OPD head and per mentor listing the open cases of
their scope that are overdue or due within the next working week (design section 6, issue 4.6).

Scope: a head gets their unit's open cases; a mentor the cases of the units assigned to them for
the case's programme year. The preference is the notification kind `weekly_digest` (default on;
"off" stops it, any other mode sends it once a week), so the existing preferences page and API
carry it without a new setting.

Scheduling reads a fixed number of rows sets, whatever the number of people: the open visits due
by the horizon (one query on the partial index `stagevisit_open_due`), the heads and mentors of
their units (two), the week's existing digests, addresses and opt-outs, then one bulk INSERT.
Each digest is a `Delivery` (channel "weekly", `digest_date` = the Monday of its ISO week, unique
per person and week), sent by the same task as every e-mail: retried with back-off, every attempt
recorded. Its rows are stored on the delivery, so a retry sends what was scheduled.
"""

import datetime as dt
import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import Holder, Stage
from workflow import deadlines
from workflow.models import StageVisit
from workflow.selectors import CasePeople

from . import delivery as deliveries
from .models import Channel, Delivery, DeliveryStatus, EmailMode, Kind, NotificationPreference

# "Due soon": the visit's due date (its last working day to act) is the digest's day or one of
# this many working days after it.
DUE_SOON_WORKING_DAYS = 5
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(value: str) -> dt.date:
    """The Monday of an ISO week written `YYYY-Www` (ValueError on anything else)."""
    match = WEEK_RE.match(value or "")
    if not match:
        raise ValueError(f"not an ISO week (YYYY-Www): {value!r}")
    year, week = int(match[1]), int(match[2])
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ValueError(f"no such ISO week: {value!r}") from exc


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def due_cases(*, today: dt.date, horizon: dt.date) -> list[dict]:
    """Open visits due on or before `horizon`, soonest (most overdue) first: one query."""
    rows = (
        StageVisit.objects.filter(left_at__isnull=True, due_date__lte=horizon)
        .order_by("due_date", "innovation_id")
        .values_list(
            "innovation_id",
            "innovation__name",
            "innovation__unit_id",
            "innovation__unit__name",
            "innovation__year",
            "stage",
            "holder",
            "due_date",
        )
    )
    from .services import innovation_url  # services imports delivery, which this module uses

    return [
        {
            "id": pk,
            "name": name,
            "unit_id": unit_id,
            "unit": unit,
            "year": year,
            "stage": stage,
            "holder": holder,
            "due": due.isoformat(),
            "overdue_days": deadlines.days_overdue(due, today=today),
            "url": innovation_url(pk),
        }
        for pk, name, unit_id, unit, year, stage, holder, due in rows
        if due is not None  # the filter above keeps only visits with a clock
    ]


def recipients_of(cases: list[dict]) -> dict[int, list[dict]]:
    """Cases per head and per mentor (two queries for any number of cases)."""
    people = CasePeople((case["unit_id"], case["year"]) for case in cases)
    by_user: dict[int, dict[int, dict]] = defaultdict(dict)
    for case in cases:
        for user_id in people.heads(case["unit_id"]) | people.mentors(
            case["unit_id"], case["year"]
        ):
            by_user[user_id][case["id"]] = case  # a head who also mentors: listed once
    return {user_id: list(rows.values()) for user_id, rows in by_user.items()}


def schedule_weekly_digests(*, week: dt.date | None = None) -> dict:
    """Queue the weekly deadline digest of the ISO week starting `week` (a Monday; default the
    current week) for every head and mentor with something overdue or due soon.

    Counted as of today, or the week's Monday when that is later. Idempotent: a person who
    already has the week's digest gets no second one (also with two runners at once).
    """
    today = timezone.localdate()
    monday = monday_of(week or today)
    as_of = max(today, monday)
    horizon = deadlines.calendar().add(as_of, DUE_SOON_WORKING_DAYS)
    cases = due_cases(today=as_of, horizon=horizon)
    by_user = recipients_of(cases)
    done = set(
        Delivery.objects.filter(
            channel=Channel.WEEKLY, digest_date=monday, recipient_id__in=by_user
        ).values_list("recipient_id", flat=True)
    )
    candidates = set(by_user) - done
    opted_out = set(
        NotificationPreference.objects.filter(
            user_id__in=candidates, kind=Kind.WEEKLY_DIGEST, email=EmailMode.OFF
        ).values_list("user_id", flat=True)
    )
    candidates -= opted_out
    emails = dict(get_user_model().objects.filter(pk__in=candidates).values_list("pk", "email"))
    now = timezone.now()
    rows = []
    for user_id in sorted(candidates):
        listed = by_user[user_id]
        rows.append(
            Delivery(
                recipient_id=user_id,
                channel=Channel.WEEKLY,
                digest_date=monday,
                content={"week": week_label(monday), "as_of": as_of.isoformat(), "cases": listed},
                **deliveries.initial_state(has_address=bool((emails.get(user_id) or "").strip())),
                next_attempt_at=now,
                created_at=now,
            )
        )
    # A concurrent run's rows win on the unique key; ours are then silently dropped.
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    created = Delivery.objects.filter(
        channel=Channel.WEEKLY,
        digest_date=monday,
        recipient_id__in=candidates,
        created_at=now,
    ).values_list("pk", "status")
    pending = [pk for pk, status in created if status == DeliveryStatus.PENDING]
    skipped = sum(1 for _pk, status in created if status == DeliveryStatus.SKIPPED)
    # A task enqueued twice (two runners) still sends once: attempt() claims the row.
    deliveries.enqueue(pending)
    return {
        "week": week_label(monday),
        "digests": len(pending) + skipped,
        "skipped": skipped,
        "opted_out": len(opted_out),
        "cases": len(cases),
    }


# --- the e-mail (inside the delivery task, in the site language) ------------------------------


def _case_lines(case: dict, *, as_of: str) -> list[str]:
    details = [
        _("Tahap: %(stage)s") % {"stage": Stage(case["stage"]).label},
        _("Menunggu: %(holder)s") % {"holder": Holder(case["holder"]).label},
        _("Tenggat: %(date)s") % {"date": date_format(dt.date.fromisoformat(case["due"]), "j F Y")},
    ]
    if case["overdue_days"]:
        details.append(_("lewat %(days)d hari kerja") % {"days": case["overdue_days"]})
    elif case["due"] == as_of:
        details.append(_("hari ini hari terakhir"))
    lines = [f"- {case['name']} ({case['unit']})", "  " + " · ".join(details)]
    if case["url"]:
        lines.append("  " + deliveries.absolute_url(case["url"]))
    return lines


def send_weekly_digest(delivery: Delivery, attempt_number: int) -> None:
    to = deliveries._address(delivery)
    content = delivery.content or {}
    cases = content.get("cases") or []
    if not cases:
        raise deliveries.Skip("empty weekly digest")  # never scheduled so; never sent empty
    overdue = [case for case in cases if case["overdue_days"]]
    soon = [case for case in cases if not case["overdue_days"]]
    as_of = date_format(dt.date.fromisoformat(content["as_of"]), "j F Y")
    lines = [
        _("Inovasi dalam lingkup Anda yang lewat tenggat atau segera jatuh tempo, per %(date)s.")
        % {"date": as_of},
    ]
    for title, group in (
        (_("Lewat tenggat (%(count)d)"), overdue),
        (_("Segera jatuh tempo (%(count)d)"), soon),
    ):
        if group:
            lines += ["", title % {"count": len(group)}]
            for case in group:
                lines += _case_lines(case, as_of=content["as_of"])
    subject = _("Ringkasan tenggat minggu %(week)s: %(overdue)d lewat tenggat, %(soon)d segera") % {
        "week": content["week"],
        "overdue": len(overdue),
        "soon": len(soon),
    }
    EmailMessage(
        subject=f"[Pandu Inovasi] {subject}",
        body="\n".join(lines) + deliveries._footer(),
        to=[to],
    ).send(fail_silently=False)
