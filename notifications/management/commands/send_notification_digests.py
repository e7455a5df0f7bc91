"""Send yesterday's daily e-mail digests and re-enqueue deliveries whose task was lost.

Run by the timer loop of `make run` (scripts/serve.py); idempotent per person per day, so
running it again (or on two machines) sends nothing twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.delivery import requeue_stale, schedule_digests


class Command(BaseCommand):
    help = "Send the daily notification digests (default: for yesterday, local time)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Digest of this day (YYYY-MM-DD); default yesterday.")
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="Only re-enqueue deliveries whose task was lost (cheap; run every minute).",
        )

    def handle(self, *args, date=None, stale_only=False, **options):
        if stale_only:
            self.stdout.write(f"{requeue_stale()} stale deliveries re-enqueued")
            return
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {date!r}") from exc
        else:
            day = timezone.localdate() - dt.timedelta(days=1)
        result = schedule_digests(day=day)
        requeued = requeue_stale()
        self.stdout.write(
            f"digests {day}: {result['digests']} queued ({result['skipped']} without e-mail); "
            f"{requeued} stale deliveries re-enqueued"
        )
