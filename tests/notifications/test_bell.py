"""The bell snippet the app shell includes: badge count, resume position, script."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import RequestFactory

from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load notifications_tags %}{% notification_bell %}")


def render(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"request": request, "csrf_token": "tok"}))


def test_bell_shows_unread_count_and_resume_position(org):
    notes = [
        Notification.objects.create(recipient=org.head, kind=Kind.RETURNED, title="x")
        for _ in range(3)
    ]
    Notification.objects.filter(pk=notes[0].pk).update(read_at="2026-01-01T00:00Z")
    Notification.objects.create(recipient=org.operator, kind=Kind.RETURNED, title="y")
    html = render(org.head)
    assert 'data-count="2"' in html
    assert f'data-last-id="{notes[2].pk}"' in html
    assert 'data-ws-path="/ws/notifications/"' in html
    assert 'data-read-url="/api/v1/notifications/read"' in html
    assert "notifications/notifications.js" in html
    assert 'id="pi-toasts"' in html
    assert "Tandai semua dibaca" in html


def test_no_unread_hides_the_badge(org):
    html = render(org.head)
    assert 'data-count="0" hidden' in html


def test_anonymous_gets_no_bell():
    assert render(AnonymousUser()).strip() == ""


def test_static_files_exist():
    assert finders.find("notifications/notifications.js")
    assert finders.find("notifications/notifications.css")
