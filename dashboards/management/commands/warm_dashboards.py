"""Recompute the admin's and observer's summary of this programme year after its inputs
changed, in every language, so the next visitor of a home page does not wait for it (the timers
run this every minute; a summary still fresh is a cache hit and costs nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from dashboards.selectors import cached_summary


class Command(BaseCommand):
    help = "Keep the home pages' summary of this year computed."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                cached_summary(year=today.year, today=today)
