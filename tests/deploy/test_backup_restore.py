"""Issue 14: the runbook's backup and restore, run as written (deploy/backup.sh, deploy/restore.sh)
against PostgreSQL: a backup restored into an empty database and an empty media directory gives
back every case, file and notification."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from mentoring.models import EvidenceItem
from notifications.models import Notification
from tests.factories import Org, advance, new_innovation

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the runbook backs up PostgreSQL (CI runs it)"
)

# What must come back, read the same way in this process and in the restored one.
INVENTORY = """
import hashlib, json
from django.core.files.storage import default_storage
from mentoring.models import EvidenceItem, Innovation
from notifications.models import Notification
from workflow.models import CaseEvent

def digest(name):
    with default_storage.open(name) as handle:
        return hashlib.sha256(handle.read()).hexdigest()

print(json.dumps({
    "cases": sorted(Innovation.objects.values_list("pk", "stage")),
    "history": CaseEvent.objects.count(),
    "notifications": sorted(Notification.objects.values_list("pk", "recipient_id")),
    "files": {i.file.name: digest(i.file.name) for i in EvidenceItem.objects.exclude(file="")},
}))
"""


def url(database: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{database}"


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def inventory_in(database: str, media: Path) -> dict:
    """The inventory read by a fresh process configured only by the runbook's variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + INVENTORY],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "restore-test",
            "DATABASE_URL": url(database),
            "DJANGO_MEDIA_ROOT": str(media),
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def empty_database():
    name = f"pandu_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # a name made here, never from input
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_has_every_case_file_and_notification(
    tmp_path, empty_database
):
    org = Org()
    for stage in ("proposal_gate", "packaging_gate", "reporting", "close"):
        advance(org, new_innovation(org), stage)
    assert EvidenceItem.objects.exclude(file="").exists() and Notification.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    here = inventory_in(connection.settings_dict["NAME"], media)
    assert here["cases"] and here["files"] and here["notifications"] and here["history"]

    backup = tmp_path / "backup"
    run(
        "backup.sh",
        str(backup),
        env={
            "DATABASE_URL": url(connection.settings_dict["NAME"]),
            "DJANGO_MEDIA_ROOT": str(media),
        },
    )
    assert (backup / "database.dump").stat().st_size > 0
    restored_media = tmp_path / "restored-media"
    run(
        "restore.sh",
        str(backup),
        env={"DATABASE_URL": url(empty_database), "DJANGO_MEDIA_ROOT": str(restored_media)},
    )

    assert inventory_in(empty_database, restored_media) == here
    # The restored files are copies, not the originals read again.
    some = next(iter(here["files"]))
    assert (restored_media / some).is_file() and default_storage.exists(some)
