"""URL configuration: admin and the versioned API."""

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.defaults import page_not_found

from stats.api.problems import api_not_found
from stats.health import healthz, readyz

admin.site.site_header = "福建基层党建统计 · Fujian party-building statistics"
admin.site.site_title = "党建统计 admin"


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON problems under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception or Http404())


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("stats.api.v1.urls")),
    # Unknown API paths and versions answer JSON even when DEBUG is on.
    re_path(r"^api/", api_not_found),
]
