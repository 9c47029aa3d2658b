"""WSGI entry point for production servers (gunicorn config.wsgi)."""

import gc
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config import heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's application; a streamed answer keeps its gunicorn worker's heartbeat
    (config.heartbeat)."""
    return heartbeat.beating(django_application(environ, start_response))


if settings.SECRET_KEY_MISSING and not settings.DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: the server will not start without it "
        "(set DJANGO_DEBUG=1 for development)."
    )

# Import every view now, then move what startup made out of the collector's sight: a full
# collection would otherwise walk those hundreds of thousands of objects again and again, a
# pause of tens of milliseconds at random requests (the p99 of docs/performance.md).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
