"""Reads of the API from a replica: with DATABASE_REPLICA_URL set, GET and HEAD requests under
/api/ read from the "replica" database; everything else (admin, commands, writes, anything
inside a transaction) uses "default", so an analyst always sees their own edits."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

from stats.api.middleware import is_api_read

REPLICA = "replica"
_api_read: ContextVar[bool] = ContextVar("api_read", default=False)


class ReplicaRouter:
    """Sends the reads of API requests to the replica when one is configured."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (
            _api_read.get()
            and REPLICA in settings.DATABASES
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # a replica gets its schema from the primary


class ReplicaReadsMiddleware:
    """Marks API reads, for ReplicaRouter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _api_read.set(is_api_read(request))
        try:
            return self.get_response(request)
        finally:
            _api_read.reset(token)
