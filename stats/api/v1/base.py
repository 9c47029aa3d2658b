"""What every view of API v1 shares: the checks before it answers (ApiView), the read-only
base with filters, ordering and cursor pages, sort keys that are never null, the path
parameters, and the document:offset identifiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Value
from drf_spectacular.utils import (
    OpenApiParameter,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from stats.api.middleware import refuse_unknown_parameters, require_utf8_query
from stats.api.ordering import SortKeyOrderingFilter
from stats.api.pagination import KeysetPagination
from stats.api.v1.filtering import FilterBackend

#: Sort keys never null: an unknown value sorts as the largest, on every database.
LAST_DATE = Value(date.max)


LARGEST_VALUE = Value(Decimal("1e15"), output_field=DecimalField(max_digits=20, decimal_places=4))


class ApiView:
    """What every v1 view checks before it answers: the query string is UTF-8, names only the
    parameters the endpoint takes (its filters, ordering, pages, format and
    ``query_parameters``), and no path identifier holds a NUL (no row's does)."""

    query_parameters: tuple[str, ...] = ()

    def known_parameters(self) -> set[str]:
        view: Any = self
        known = {"format", *self.query_parameters}
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        if getattr(view, "ordering_fields", None):
            known.add("ordering")
        if getattr(view, "pagination_class", None) is not None and view.action == "list":
            known |= {"cursor", "page_size"}
        if view.action != "list":
            known = {"format"}
        return known

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        require_utf8_query(request)
        if any("\x00" in str(value) for value in kwargs.values()):
            raise NotFound("no resource has a NUL character in its identifier")
        if request.method in ("GET", "HEAD"):  # any other method is a 405, whatever it asks
            refuse_unknown_parameters(request, self.known_parameters())
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class ReadOnlyViewSet(ApiView, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """What every v1 endpoint shares: read-only, filters, ordering, cursor pages."""

    filter_backends = [FilterBackend, SortKeyOrderingFilter]
    pagination_class = KeysetPagination
    ordering_fields: list[str] = []
    sort_keys: dict[str, Any] = {}


def code_parameter(description: str) -> OpenApiParameter:
    """The ``code`` path parameter of a vocabulary resource."""
    return OpenApiParameter("code", str, OpenApiParameter.PATH, description=description)


def document_id_parameter(description: str) -> OpenApiParameter:
    """The ``id`` path parameter of a resource identified within a document."""
    return OpenApiParameter("id", str, OpenApiParameter.PATH, description=description)


class DocumentOffsetLookupMixin:
    """Rows identified as "document:offset" (jimei-2021:444): stable across reloads, unlike
    database keys."""

    lookup_value_regex = r"[a-z0-9-]+:\d+"
    offset_field: str

    def get_object(self) -> Any:
        slug, _, offset = self.kwargs["pk"].partition(":")  # type: ignore[attr-defined]
        self.kwargs["pk"] = str(  # type: ignore[attr-defined]
            self.get_queryset()  # type: ignore[attr-defined]
            .filter(document__slug=slug, **{self.offset_field: int(offset)})
            .values_list("pk", flat=True)
            .first()
        )
        return super().get_object()  # type: ignore[misc]
