"""Queue the weekly deadline digest (overdue and due-soon cases) for every head and mentor.

Run once a day by the timer loop of `make run` (scripts/serve.py), which calls it on the first
run of each ISO week; idempotent per person per week, so a rerun or a second machine sends
nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from notifications.weekly import parse_week, schedule_weekly_digests


class Command(BaseCommand):
    help = "Send the weekly deadline digests (default: for the current ISO week)."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week YYYY-Www (e.g. 2026-W12); default this week.")

    def handle(self, *args, week=None, **options):
        monday = None
        if week:
            try:
                monday = parse_week(week)
            except ValueError as exc:
                raise CommandError(f"--week: {exc}") from exc
        result = schedule_weekly_digests(week=monday)
        self.stdout.write(
            f"weekly deadline digests {result['week']}: {result['digests']} queued "
            f"({result['skipped']} without e-mail, {result['opted_out']} opted out); "
            f"{result['cases']} cases due or overdue"
        )
