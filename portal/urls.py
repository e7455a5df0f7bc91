from django.urls import include, path

from . import files, notification_views, substitution_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("innovations/", views.innovation_list, name="innovation-list"),
    path("innovations/new/", views.innovation_create, name="innovation-create"),
    path("innovations/<id:pk>/", views.innovation_detail, name="innovation-detail"),
    path("innovations/<id:pk>/edit/", views.innovation_edit, name="innovation-edit"),
    path("innovations/<id:pk>/continue/", views.innovation_continue, name="innovation-continue"),
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
    path("evidence/<id:pk>/replace/", views.evidence_replace, name="evidence-replace"),
    path("evidence/<id:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path(
        "innovations/<id:pk>/evidence/mark-rest-valid/",
        views.evidence_mark_rest_valid,
        name="evidence-mark-rest-valid",
    ),
    path("files/evidence/<id:pk>/", files.evidence_file, name="evidence-file"),
    path("files/attachments/<id:pk>/", files.attachment_file, name="attachment-file"),
    path("files/sessions/<id:pk>/", files.session_file, name="session-file"),
    path("follow-ups/<id:pk>/done/", views.follow_up_done, name="follow-up-done"),
    path("substitutes/", substitution_views.substitution_list, name="substitutions"),
    path("substitutes/<id:pk>/end/", substitution_views.substitution_end, name="substitution-end"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_read, name="notifications-read"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification-preferences",
    ),
    path("reports/", include("reports.urls")),
    path("national/", include("submission.urls")),
    path("national-results/", include("portal.result_urls")),
    path("", include("portal.recognition_urls")),
]
