"""Replications, awards, HKI and award points (api/recognition.py), in the `api:` namespace."""

from django.urls import path

from . import recognition as views

urlpatterns = [
    path(
        "innovations/<id:pk>/recognition/",
        views.RecognitionView.as_view(),
        name="recognition",
    ),
    path(
        "innovations/<id:pk>/replications/",
        views.ReplicationCreateView.as_view(),
        name="replication-create",
    ),
    path("innovations/<id:pk>/awards/", views.AwardCreateView.as_view(), name="award-create"),
    path("innovations/<id:pk>/hki/", views.HkiCreateView.as_view(), name="hki-create"),
    path("award-points/", views.AwardPointsView.as_view(), name="award-points"),
]
