"""Mounted by api/urls.py at /api/v1/notifications/."""

from django.urls import path

from . import api_views

app_name = "notifications"
urlpatterns = [
    path("", api_views.NotificationListView.as_view(), name="list"),
    path("read", api_views.ReadView.as_view(), name="read"),
    path("preferences", api_views.PreferencesView.as_view(), name="preferences"),
]
