"""Which of the project's own files one API approve runs (a reader's map of an action).

Prints the project files (tests, benchmarks and migrations aside) whose code runs while
`POST /api/v1/innovations/<id>/actions/approve/` is served for a case at the proposal gate,
after one warm-up approve so that start-up imports are not counted. SQLite only: the files a
request touches do not depend on the database.
"""

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

SKIP = ("tests/", "bench/", "/migrations/")


def child() -> None:
    _setup.django_setup()
    from rest_framework.test import APIClient

    from mentoring.models import Stage
    from tests import factories

    org = factories.Org()
    client = APIClient()
    client.force_authenticate(org.head)

    def approve() -> int:
        case = factories.advance(org, factories.new_innovation(org), Stage.PROPOSAL_GATE)
        url = f"/api/v1/innovations/{case.pk}/actions/approve/"
        return client.post(url, {"comment": ""}, format="json").status_code

    assert approve() == 200  # warm-up: imports and caches
    case = factories.advance(org, factories.new_innovation(org), Stage.PROPOSAL_GATE)
    root = str(_setup.ROOT) + "/"
    seen: set[str] = set()

    def tracer(frame, event, arg):
        name = frame.f_code.co_filename
        if name.startswith(root):
            relative = name[len(root) :]
            if not relative.startswith(".venv") and not any(s in relative for s in SKIP):
                seen.add(relative)
        return None

    threading.setprofile(tracer)
    sys.setprofile(tracer)
    try:
        status = client.post(
            f"/api/v1/innovations/{case.pk}/actions/approve/", {"comment": ""}, format="json"
        ).status_code
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    assert status == 200, status
    print(f"\nproject files one API approve runs: {len(seen)}")
    for name in sorted(seen):
        print(f"  {name}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        import os
        import subprocess
        import tempfile

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url, "BENCH_BACKEND": "sqlite"}
        subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=_setup.ROOT, check=True)
