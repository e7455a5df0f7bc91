"""The bell in the app shell and the notifications pages of the portal."""

import re

import pytest
from django.urls import reverse

from notifications.models import EmailMode, Kind, Notification, NotificationPreference
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
READ = "/notifications/read/"
PREFS = "/notifications/preferences/"


def notes(user, n: int, **fields) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user, kind=Kind.RETURNED, title=f"Catatan {i}", **fields
        )
        for i in range(n)
    ]


def test_urls_have_portal_names():
    assert reverse("portal:notifications") == LIST
    assert reverse("portal:notifications-read") == READ
    assert reverse("portal:notification-preferences") == PREFS


@pytest.mark.parametrize(
    "path", ["/", "/innovations/", LIST, PREFS, "/innovation/", "/innovation/tasks/"]
)
def test_one_bell_on_our_pages_and_on_viewflows_pages(client, org, path):
    notes(org.head, 2)
    client.force_login(org.head)
    html = client.get(path, follow=True).content.decode()  # the engine's lists lead to ours
    assert html.count('id="pi-bell"') == 1, path
    assert 'data-count="2"' in html
    assert 'id="menu-notifications"' in html or path.startswith("/innovation/")


def test_login_page_has_no_bell(client):
    assert 'id="pi-bell"' not in client.get("/accounts/login/").content.decode()


def test_list_is_own_newest_first_with_unread_highlighted(client, org):
    mine = notes(org.head, 3)
    Notification.objects.filter(pk=mine[0].pk).update(read_at="2026-01-01T00:00Z")
    notes(org.operator, 1, body="RAHASIA orang lain")
    client.force_login(org.head)
    html = client.get(LIST).content.decode()
    ids = [int(i) for i in re.findall(r'data-id="(\d+)"', html)]
    assert ids == [mine[2].pk, mine[1].pk, mine[0].pk]
    assert html.count("pi-note--unread") == 2
    assert "RAHASIA" not in html
    assert "2 belum dibaca" in html
    assert "Tandai semua dibaca" in html


def test_list_is_paginated(client, org):
    notes(org.head, 25)
    client.force_login(org.head)
    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()
    assert len(re.findall(r'data-id="', first)) == 20
    assert len(re.findall(r'data-id="', second)) == 5
    assert "Halaman 2 dari 2" in second


def test_mark_one_read_and_never_someone_elses(client, org):
    mine = notes(org.head, 2)
    theirs = notes(org.operator, 1)
    client.force_login(org.head)
    response = client.post(READ, {"id": mine[0].pk, "next": LIST + "?page=1"})
    assert response.status_code == 302 and response["Location"] == LIST + "?page=1"
    response = client.post(READ, {"id": theirs[0].pk})
    assert response["Location"] == LIST
    assert Notification.objects.filter(read_at__isnull=False).get() == mine[0]
    # An off-site "next" is not followed.
    assert (
        client.post(READ, {"id": mine[1].pk, "next": "https://evil.example/"})["Location"] == LIST
    )


def test_bad_id_is_an_error_message_not_a_crash(client, org):
    notes(org.head, 1)
    client.force_login(org.head)
    response = client.post(READ, {"id": "abc"}, follow=True)
    assert "Notifikasi tidak dikenal." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_mark_all_read_only_touches_own(client, org):
    notes(org.head, 3)
    notes(org.operator, 2)
    client.force_login(org.head)
    response = client.post(READ, {"all": "1"}, follow=True)
    assert "3 notifikasi ditandai dibaca." in response.content.decode()
    assert Notification.objects.filter(recipient=org.head, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=org.operator, read_at__isnull=True).count() == 2


def test_read_needs_post_and_login(client, org):
    notes(org.head, 1)
    assert client.post(READ, {"all": "1"})["Location"].startswith("/accounts/login/")
    client.force_login(org.head)
    assert client.get(READ).status_code == 405
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_preferences_form_shows_defaults_and_saves(client):
    user = make_user()
    client.force_login(user)
    html = client.get(PREFS).content.decode()
    assert "Persetujuan diminta" in html and "Ringkasan harian" in html and "Segera" in html
    assert 'value="immediate" required id="id_approval_requested_0" checked' in html
    assert "belum memiliki alamat e-mail" in html
    data = {kind: EmailMode.IMMEDIATE for kind in Kind.values}
    data[Kind.STAGE_ADVANCED] = EmailMode.OFF
    data[Kind.DUE_SOON] = EmailMode.DAILY
    response = client.post(PREFS, data, follow=True)
    assert "Preferensi e-mail disimpan." in response.content.decode()
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    assert stored[Kind.STAGE_ADVANCED] == EmailMode.OFF
    assert stored[Kind.DUE_SOON] == EmailMode.DAILY


def test_bad_preference_names_the_field_and_writes_nothing(client):
    user = make_user()
    client.force_login(user)
    data = {kind: EmailMode.IMMEDIATE for kind in Kind.values}
    data[Kind.OVERDUE] = "kadang-kadang"
    response = client.post(PREFS, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Periksa kembali isian Anda." in html
    # The error sits in the "Lewat tenggat" field, before the next field starts.
    # (A radio group is a fieldset named by its legend.)
    field = html.split("Lewat tenggat *</legend>", 1)[1].split('<div class="pi-field', 1)[0]
    assert "kadang-kadang bukan salah satu dari pilihan" in field
    assert not NotificationPreference.objects.exists()
