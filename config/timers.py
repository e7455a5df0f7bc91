"""The timer runner: one long-lived loop instead of a new Python per command.

`make run` runs it in the web process with the embedded (in-memory) channel layer, whose pushes
reach only that process's sockets, so overdue alerts arrive live; with Redis it is a process of
its own (`python -m config.timers`). Every minute: viewflow's `workflow_timers`,
`scan_deadlines`, `warm_iid_panel` and `warm_dashboards` (the home pages' IID estimate and
summary recomputed after a change, before someone opens a home page) and the re-enqueueing of
stale deliveries. Once a day the daily notification digests, once per ISO week the deadline
digests (at start-up too; both commands are idempotent per person and period, so a restart
sends nothing twice). Any number of runners may run at once: the scans lock the rows they take.
"""

import datetime as dt
import logging
import os
import threading
import time

from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("timers")
INTERVAL = int(os.environ.get("TIMER_INTERVAL_SECONDS", "60"))


def run(*args: str) -> bool:
    """One command; a failure is logged and the loop goes on."""
    try:
        call_command(*args)
        return True
    except Exception:
        log.exception("timers: %s failed", " ".join(args))
        return False
    finally:
        close_old_connections()


def loop_forever() -> None:
    digest_day: dt.date | None = None
    digest_week: tuple[int, int] | None = None
    while True:
        today = timezone.localdate()  # WITA days, not the server's
        run("workflow_timers", "-v", "0")
        run("scan_deadlines")
        run("warm_iid_panel")
        run("warm_dashboards")
        if digest_day != today:
            if run("send_notification_digests"):
                digest_day = today
        else:
            run("send_notification_digests", "--stale-only")
        iso = today.isocalendar()
        week = (iso.year, iso.week)
        if digest_week != week and run("send_deadline_digests"):
            digest_week = week
        time.sleep(INTERVAL)


def start_thread() -> threading.Thread:
    """Run the loop beside the web server, in this process."""
    thread = threading.Thread(target=loop_forever, name="timers", daemon=True)
    thread.start()
    return thread


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    loop_forever()
