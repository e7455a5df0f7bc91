"""Mounted inside the portal (portal/urls.py: path("reports/", include("reports.urls"))), so
the names below live in the `portal:` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="reports"),
    path("innovations/<slug:fmt>/", views.innovations_export, name="report-innovations"),
    path(
        "innovations-selected/",
        views.innovations_selected_export,
        name="report-innovations-selected",
    ),
    path("compliance/<slug:fmt>/", views.compliance_export, name="report-compliance"),
    path("yearly.pdf", views.yearly_pdf, name="report-yearly-pdf"),
    path("mentors/reassign/", views.reassign, name="report-reassign"),
]
