"""Mounted inside the portal (portal/urls.py: path("national/", include("submission.urls"))), so
the names below live in the `portal:` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="national-board"),
    path("package.zip", views.regency_package, name="national-package"),
    path("units/<slug:code>/package.zip", views.unit_package, name="national-unit-package"),
    path("innovations/<id:pk>/package.zip", views.case_package, name="national-case-package"),
    path("innovations/<id:pk>/entry/", views.record_entry, name="national-entry"),
]
