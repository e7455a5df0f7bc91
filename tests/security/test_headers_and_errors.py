"""Findings 7 and 8: `make run` served with DEBUG on (technical 500 pages, 404s listing every
URL pattern); no CSP or Permissions-Policy, HTML without `Cache-Control: private`, the proxy
header trusted with no proxy, a 100 MB API body answered in HTML, `check --deploy` warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def settings_in_a_fresh_process(env: dict[str, str], code: str) -> str:
    """Run `code` with config.settings loaded from this environment only (no test overrides)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_debug_is_off_unless_asked_for_and_the_local_secret_stays_outside_the_repo(tmp_path):
    key_file = tmp_path / "secret_key"
    code = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)"
    first = settings_in_a_fresh_process({"PANDU_SECRET_KEY_FILE": str(key_file)}, code).split()
    assert first[0] == "False"
    assert key_file.read_text().strip() == first[1] and len(first[1]) >= 50
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    again = settings_in_a_fresh_process({"PANDU_SECRET_KEY_FILE": str(key_file)}, code).split()
    assert again[1] == first[1]  # kept: sessions survive a restart
    asked = settings_in_a_fresh_process(
        {"PANDU_SECRET_KEY_FILE": str(key_file), "DJANGO_DEBUG": "1"}, code
    ).split()
    assert asked[0] == "True"


def test_check_deploy_is_clean_for_an_https_site(tmp_path):
    env = {
        "PANDU_SECRET_KEY_FILE": str(tmp_path / "k"),
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-with-enough-variety-0123456789",
        "SITE_URL": "https://inovasi.kukarkab.go.id",
        "DJANGO_ALLOWED_HOSTS": "inovasi.kukarkab.go.id",
    }
    out = settings_in_a_fresh_process(
        env,
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
    )
    assert "no issues" in out


def test_the_proxy_header_is_not_trusted_without_a_configured_proxy(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    env = {"PANDU_SECRET_KEY_FILE": str(tmp_path / "k")}
    assert settings_in_a_fresh_process(env, code).strip() == "None"
    behind = settings_in_a_fresh_process({**env, "DJANGO_BEHIND_PROXY": "1"}, code)
    assert "HTTP_X_FORWARDED_PROTO" in behind


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.security.urls"
    settings.DEBUG = False


@pytest.mark.django_db
def test_a_404_lists_no_url_patterns(failing_urls):
    page = Client().get("/no-such-page/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "Halaman tidak ditemukan" in text and "URLconf" not in text and "admin/" not in text
    api = Client().get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Halaman tidak ditemukan.", "errors": {}}


@pytest.mark.django_db
def test_a_500_shows_no_technical_detail(failing_urls):
    client = Client(raise_request_exception=False)
    page = client.get("/boom/")
    assert page.status_code == 500
    text = page.content.decode()
    assert "sudah dicatat" in text
    for leak in ("Traceback", "sqlite3", "SECRET_KEY", "RuntimeError", "/srv/app"):
        assert leak not in text
    api = client.get("/api/v1/boom/")
    assert api.status_code == 500
    assert api.json()["detail"] == "Terjadi kesalahan pada server; sudah dicatat."


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(org):
    client = Client()
    client.force_login(org.operator)
    for url in ["/", "/accounts/login/", "/api/v1/me", "/api/docs"]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        # Nothing from other origins: every source is 'self', 'none', data: or a hash.
        sources = {part for directive in csp.split(";") for part in directive.split()[1:]}
        assert all(
            src in {"'self'", "'none'", "data:", "'unsafe-inline'", "'unsafe-hashes'"}
            or src.startswith("'sha256-")
            for src in sources
        ), sources
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        if response["Content-Type"].startswith("text/html"):
            assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_a_100_mb_body_to_the_api_gets_the_json_error(org, settings):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(org.operator)
    body = b'{"name": "' + b"x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = client.post("/api/v1/innovations/", body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
