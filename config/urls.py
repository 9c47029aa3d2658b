"""URL configuration: the front door, admin and the versioned API."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.defaults import bad_request, page_not_found, server_error
from django.views.generic import TemplateView

from stats.api.problems import api_not_found, problem_response
from stats.health import healthz, readyz

admin.site.site_header = "福建基层党建统计 · Fujian party-building statistics"
admin.site.site_title = "党建统计 admin"


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON problems under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception or Http404())


#: What Django's own 400s say under /api/, without echoing what the client sent.
BAD_REQUESTS = {
    DisallowedHost: "the Host header names a host this server does not serve",
    TooManyFieldsSent: "too many query parameters (at most "
    f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})",
    RequestDataTooBig: "the request body is too large",
}


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's own 400s (a host not allowed, too many parameters …): a problem under /api/."""
    if request.path.startswith("/api/"):
        detail = next(
            (text for kind, text in BAD_REQUESTS.items() if isinstance(exception, kind)),
            "the request is malformed",
        )
        return problem_response(400, "Bad Request", detail)
    return bad_request(request, exception or Exception())


def handler500(request: HttpRequest) -> HttpResponse:
    """A failure of ours: a problem under /api/ (the log has the details, by request id)."""
    if request.path.startswith("/api/"):
        request_id = getattr(request, "request_id", "")
        return problem_response(
            500,
            "Internal Server Error",
            "the server failed to answer; it is logged"
            + (f" under request id {request_id}" if request_id else ""),
        )
    return server_error(request)


urlpatterns = [
    # The front door: what the service is, in Chinese and English, and where to go from here.
    path("", TemplateView.as_view(template_name="stats/front_door.html"), name="front-door"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("stats.api.v1.urls")),
    # Unknown API paths and versions answer JSON even when DEBUG is on.
    re_path(r"^api/", api_not_found),
]
