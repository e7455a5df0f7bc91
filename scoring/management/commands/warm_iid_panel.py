"""Recompute the home pages' IID panel of this programme year after its inputs changed, in
every language, so the next visitor does not wait for it (the timers run this every minute; a
panel still fresh is a cache hit and costs nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from scoring.selectors import PANEL_STEPS, RulesetMissing, cached_estimate_and_steps


class Command(BaseCommand):
    help = "Keep the home pages' IID estimate panel of this year computed."

    def handle(self, *args, **options) -> None:
        year = timezone.localdate().year
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                try:
                    cached_estimate_and_steps(year=year, limit=PANEL_STEPS)
                except RulesetMissing:
                    return  # the panel says so itself; nothing to keep
