"""API v1 routes (mounted at /api/v1/)."""

from django.urls import include, path

from . import views

app_name = "api"
urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<slug:token_key>/", views.TokenDetailView.as_view(), name="token-detail"),
    path("me", views.MeView.as_view(), name="me"),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/<slug:code>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("innovations/", views.InnovationListView.as_view(), name="innovation-list"),
    path("innovations/<id:pk>/", views.InnovationDetailView.as_view(), name="innovation-detail"),
    path("innovations/<id:pk>/continue/", views.ContinueView.as_view(), name="continue"),
    path("innovations/<id:pk>/actions/", views.ActionListView.as_view(), name="action-list"),
    path(
        "innovations/<id:pk>/actions/<str:name>/",
        views.ActionView.as_view(),
        name="action",
    ),
    path("innovations/<id:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("innovations/<id:pk>/sessions/", views.SessionListView.as_view(), name="session-list"),
    path("follow-ups/<id:pk>/", views.FollowUpDetailView.as_view(), name="follow-up-detail"),
    path("innovations/<id:pk>/evidence/", views.EvidenceListView.as_view(), name="evidence-list"),
    path("evidence/<id:pk>/review", views.EvidenceReviewView.as_view(), name="evidence-review"),
    path("notifications/", include("notifications.api_urls")),
    path("", include("api.recognition_urls")),
]
