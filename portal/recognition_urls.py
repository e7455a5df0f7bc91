"""Mounted inside the portal (portal/urls.py), so the names below live in `portal:`."""

from django.urls import path

from . import recognition_views as views

urlpatterns = [
    path("recognition/", views.recognition_report, name="recognition"),
    path("recognition/featured/<id:pk>/remove/", views.featured_remove, name="featured-remove"),
    path(
        "innovations/<id:pk>/replications/new/",
        views.replication_create,
        name="replication-create",
    ),
    path("innovations/<id:pk>/awards/new/", views.award_create, name="award-create"),
    path("innovations/<id:pk>/hki/new/", views.hki_create, name="hki-create"),
    path("recognition/<slug:kind>/<id:pk>/remove/", views.record_remove, name="recognition-remove"),
    path("files/recognition/<slug:kind>/<id:pk>/", views.record_file, name="recognition-file"),
]
