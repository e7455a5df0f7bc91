from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from viewflow.contrib.auth import AuthViewset

from portal.site import site

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="openapi"), name="api-docs"),
    path("api/v1/", include("api.urls")),
    path(
        "accounts/",
        AuthViewset(allow_password_change=False, with_profile_view=False).urls,
    ),
    path("", site.urls),
]
