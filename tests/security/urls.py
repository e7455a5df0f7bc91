"""The real URLconf (and its error handlers) plus views that fail, for the error-page tests."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("secret detail /srv/app/db.sqlite3 DJANGO_SECRET_KEY")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *urlpatterns]
