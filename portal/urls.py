from django.urls import include, path

from . import files, notification_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("innovations/", views.innovation_list, name="innovation-list"),
    path("innovations/new/", views.innovation_create, name="innovation-create"),
    path("innovations/<id:pk>/", views.innovation_detail, name="innovation-detail"),
    path("innovations/<id:pk>/edit/", views.innovation_edit, name="innovation-edit"),
    path(
        "innovations/<id:pk>/actions/<slug:action>/",
        views.innovation_action,
        name="innovation-action",
    ),
    path("innovations/<id:pk>/sessions/new/", views.session_create, name="session-create"),
    path("innovations/<id:pk>/evidence/new/", views.evidence_create, name="evidence-create"),
    path(
        "innovations/<id:pk>/attachments/new/",
        views.attachment_create,
        name="attachment-create",
    ),
    path("evidence/<id:pk>/review/", views.evidence_review, name="evidence-review"),
    path("files/evidence/<id:pk>/", files.evidence_file, name="evidence-file"),
    path("files/attachments/<id:pk>/", files.attachment_file, name="attachment-file"),
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
