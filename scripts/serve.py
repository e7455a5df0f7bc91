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

COMMANDS = {
    "web": [PY, "-m", "daphne", "-b", HOST, "-p", PORT, "config.asgi:application"],
    "worker": [PY, "manage.py", "db_worker", "--no-reload"],
    "timers": [PY, "-m", "config.timers"],
}


def main() -> int:
    commands = dict(COMMANDS)
    envs = {name: dict(os.environ) for name in commands}
    if not os.environ.get("REDIS_URL"):
        # The in-memory channel layer pushes only to the process that raises a notification:
        # the timers (deadline alerts) run inside the web process then.
        del commands["timers"]
        envs["web"]["PANDU_TIMERS_IN_WEB"] = "1"
    children = {name: subprocess.Popen(cmd, env=envs[name]) for name, cmd in commands.items()}
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
