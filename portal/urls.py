from django.urls import include, path

from . import files, notification_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("innovations/", views.innovation_list, name="innovation-list"),
    path("innovations/new/", views.innovation_create, name="innovation-create"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation-detail"),
    path("innovations/<int:pk>/edit/", views.innovation_edit, name="innovation-edit"),
    path(
        "innovations/<int:pk>/actions/<slug:action>/",
        views.innovation_action,
        name="innovation-action",
    ),
    path("innovations/<int:pk>/sessions/new/", views.session_create, name="session-create"),
    path("innovations/<int:pk>/evidence/new/", views.evidence_create, name="evidence-create"),
    path(
        "innovations/<int:pk>/attachments/new/",
        views.attachment_create,
        name="attachment-create",
    ),
    path("evidence/<int:pk>/review/", views.evidence_review, name="evidence-review"),
    path("files/evidence/<int:pk>/", files.evidence_file, name="evidence-file"),
    path("files/attachments/<int:pk>/", files.attachment_file, name="attachment-file"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_read, name="notifications-read"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification-preferences",
    ),
    path("reports/", include("reports.urls")),
    path("national/", include("submission.urls")),
]
