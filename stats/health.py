"""Liveness and readiness probes for load balancers and orchestrators, as JSON.

/healthz answers while the process can serve at all (no database access). Both take GET and
HEAD (what load balancers send). /readyz answers 200
only when the database is reachable and the corpus is loaded, 503 otherwise, and says why.
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stats.data_version import current_version
from stats.models import Observation, SourceDocument


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """The database answers and holds the corpus."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        documents = SourceDocument.objects.count()
        observations = Observation.objects.count()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "unavailable", "database": f"unreachable: {type(error).__name__}"},
            status=503,
        )
    body = {
        "status": "ok" if documents and observations else "unavailable",
        "database": "ok",
        "documents": documents,
        "observations": observations,
        "data_version": current_version().number,
    }
    if body["status"] != "ok":
        body["corpus"] = "not loaded: run manage.py load_corpus"
        return JsonResponse(body, status=503)
    return JsonResponse(body)
