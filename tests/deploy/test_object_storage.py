"""Issue 14: uploads in S3-compatible object storage (django-storages), against a real S3 API
over HTTP (moto's server), so that every web process on every machine serves the same files."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from mentoring.models import EvidenceItem, Stage
from tests.factories import PDF_BYTES, advance, new_innovation

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "pandu-evidence"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "pandu-test", "AWS_SECRET_ACCESS_KEY": "pandu-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The app's storage pointed at a fresh bucket, configured as config.settings does."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_keys())
    client.create_bucket(Bucket=BUCKET)
    env = {
        "PANDU_S3_BUCKET": BUCKET,
        "PANDU_S3_ENDPOINT_URL": s3_endpoint,
        "PANDU_S3_REGION": "us-east-1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": settings_in_process(env)}
    yield client, env
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def run_in_fresh_process(env: dict[str, str], code: str) -> str:
    """`code` in another process configured only by the environment, as a second web
    process on another machine would be."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PANDU_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={
            **keep,
            **CREDENTIALS,
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "storage-test",
            "DJANGO_MEDIA_ROOT": "/nonexistent-media",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def settings_in_process(env: dict[str, str]) -> dict:
    """config.settings' default storage for this environment (read in a fresh process)."""
    import ast

    return ast.literal_eval(
        run_in_fresh_process(
            env, "from django.conf import settings\nprint(repr(settings.STORAGES['default']))"
        )
    )


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_and_every_process_serves_it(org, bucket, client, settings):
    s3, env = bucket
    case = advance(org, new_innovation(org, name="Posyandu Digital"), Stage.REPORTING)
    stored = EvidenceItem.objects.filter(innovation=case).exclude(file="")
    names = sorted(item.file.name for item in stored)
    assert names
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == names
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this machine's disk
    body = s3.get_object(Bucket=BUCKET, Key=names[0])["Body"].read()
    assert body == PDF_BYTES

    # Served by the permission-checked view, read through the storage.
    client.force_login(org.operator)
    item = stored.get(file=names[0])
    response = client.get(reverse("portal:evidence-file", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The national package streams the files from the bucket too.
    package = client.get(reverse("portal:national-case-package", args=[case.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content)))
    evidence = [n for n in archive.namelist() if "/data-dukung/" in n and n.endswith(".pdf")]
    assert len(evidence) == len(names)
    assert all(archive.read(name) == PDF_BYTES for name in evidence)

    # Another process with the same environment reads the same file.
    read = "from django.core.files.storage import default_storage\n"
    read += f"print(default_storage.open({names[0]!r}).read().hex())"
    assert bytes.fromhex(run_in_fresh_process(env, read)) == PDF_BYTES


@pytest.mark.django_db
def test_readiness_checks_the_bucket(bucket, client, settings, s3_endpoint):
    assert client.get("/health/ready").json()["checks"]["storage"]["ok"]
    missing = {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": missing},
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"ok": False}


def test_without_a_bucket_files_stay_on_disk():
    read = "from django.conf import settings\nprint(settings.STORAGES['default']['BACKEND'])"
    backend = run_in_fresh_process({}, read)
    assert backend == "django.core.files.storage.FileSystemStorage"
