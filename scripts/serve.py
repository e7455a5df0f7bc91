"""Serve the whole app from one command: daphne (HTTP + WebSocket), the task worker and the timers.

Used by `make run`. Each part is a child process; Ctrl-C or the end of any child stops them all.
"""

import os
import signal
import subprocess
import sys
import time

PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
TIMER_INTERVAL = int(os.environ.get("TIMER_INTERVAL_SECONDS", "60"))

# Digests once per day (at start-up and when the date changes; the command is idempotent
# per person per day, so a restart sends nothing twice). The weekly deadline digest on the
# first run of each ISO week (Monday, or the start-up day); idempotent per person per week.
TIMER_LOOP = f"""
import datetime, subprocess, sys, time
digest_day = None
digest_week = None
while True:
    subprocess.run([{PY!r}, "manage.py", "workflow_timers", "-v", "0"])
    subprocess.run([{PY!r}, "manage.py", "scan_deadlines"])
    if digest_day != datetime.date.today():
        if subprocess.run([{PY!r}, "manage.py", "send_notification_digests"]).returncode == 0:
            digest_day = datetime.date.today()
    else:
        subprocess.run([{PY!r}, "manage.py", "send_notification_digests", "--stale-only"])
    week = datetime.date.today().isocalendar()[:2]
    if digest_week != week:
        if subprocess.run([{PY!r}, "manage.py", "send_deadline_digests"]).returncode == 0:
            digest_week = week
    time.sleep({TIMER_INTERVAL})
"""

COMMANDS = {
    "web": [PY, "-m", "daphne", "-b", HOST, "-p", PORT, "config.asgi:application"],
    "worker": [PY, "manage.py", "db_worker", "--no-reload"],
    "timers": [PY, "-c", TIMER_LOOP],
}


def main() -> int:
    children = {name: subprocess.Popen(cmd) for name, cmd in COMMANDS.items()}
    print(f"Pandu Inovasi berjalan di http://{HOST}:{PORT}/ (Ctrl-C untuk berhenti)", flush=True)

    def stop(*_args) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    for child in children.values():
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
