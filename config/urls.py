from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from viewflow.contrib.auth import AuthViewset

from core import health
from portal.site import site

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # The split view serves its script as a file: the CSP allows no inline script.
    path("api/docs", SpectacularSwaggerSplitView.as_view(url_name="openapi"), name="api-docs"),
    path("api/v1/", include("api.urls")),
    path(
        "accounts/",
        AuthViewset(allow_password_change=False, with_profile_view=False).urls,
    ),
    path("", site.urls),
]

# Errors in the API's JSON shape on /api/, as plain pages elsewhere (never Django's debug pages).
handler400 = "core.http.bad_request"
handler403 = "core.http.permission_denied"
handler404 = "core.http.page_not_found"
handler500 = "core.http.server_error"
