"""Send due-soon reminders, overdue alerts and escalations (run every minute by `make run`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from workflow.scans import BATCH_SIZE, scan_deadlines


class Command(BaseCommand):
    help = "Send the deadline alerts due today (idempotent; safe with several runners)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Scan as of this day (YYYY-MM-DD); default today.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, date=None, batch_size=BATCH_SIZE, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {date!r}") from exc
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        result = scan_deadlines(today=today, batch_size=batch_size)
        self.stdout.write(result.summary())
