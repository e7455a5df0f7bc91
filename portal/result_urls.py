"""Mounted inside the portal (portal/urls.py: path("national-results/", include(...))), so the
names below live in the `portal:` namespace."""

from django.urls import path

from . import result_views

urlpatterns = [
    path("", result_views.national_results, name="national-results"),
    path(
        "template.<slug:fmt>",
        result_views.national_results_template,
        name="national-results-template",
    ),
    path("calibration/", result_views.calibration, name="calibration"),
]
