"""Shared set-up for benchmarks: a fresh database per backend, Django configured from env."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/pandu_bench")


def backends() -> dict[str, str]:
    """Backend name -> DATABASE_URL; PostgreSQL only when reachable. `BENCH_BACKENDS`
    (e.g. "postgresql") keeps only the backends named."""
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    found = {}
    if "sqlite" in wanted:
        sqlite = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        found["sqlite"] = f"sqlite:///{sqlite}"
    if "postgresql" not in wanted:
        return found
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", "select 1"],
        capture_output=True,
    )
    if probe.returncode == 0:
        name = PG_URL.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        found["postgresql"] = PG_URL
    return found


def run_per_backend(script: str) -> None:
    """Re-run `script` once per backend, each in its own process and database."""
    for name, url in backends().items():
        # Production settings (DEBUG off: no query logging outside what a bench captures).
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "BENCH_BACKEND": name,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
        subprocess.run([sys.executable, script, "--child"], env=env, cwd=ROOT, check=True)


def django_setup(*, media_root: str | None = None) -> None:
    """Django on the bench's database; uploads go to `media_root` (a new folder if none)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = media_root or tempfile.mkdtemp()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
