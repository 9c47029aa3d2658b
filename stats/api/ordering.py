"""``?ordering=`` over public names, shared by every API version.

Every ordering ends with the primary key and every key is never null, as the keyset cursors of
stats.api.pagination need: a view maps nullable or related fields to annotated sort keys
(``sort_keys``), where an unknown value sorts as the largest on every database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

__all__ = ["SortKeyOrderingFilter"]


class SortKeyOrderingFilter(OrderingFilter):
    """``?ordering=`` over public names, each mapped to a sort key the view may annotate
    (``view.sort_keys``: name → expression); the primary key always breaks ties."""

    @staticmethod
    def key_name(name: str) -> str:
        return "sort_" + name.replace("__", "_")

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        """Every term must be a known ordering, named once: DRF would drop the others quietly
        and sort by something the client did not ask for."""
        fields = list(fields)
        valid = sorted(name for name, _ in self.get_valid_fields(queryset, view, {}))
        names = [term.removeprefix("-") for term in fields]
        unknown = [term for term, name in zip(fields, names, strict=True) if name not in valid]
        if unknown:
            available = ", ".join(valid) + " (- before a name reverses it)" if valid else "none"
            raise ValidationError(
                {"ordering": [f"unknown ordering {unknown[0][:50]!r}; available: {available}"]}
            )
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValidationError({"ordering": [f"{repeated[0]!r} is named more than once"]})
        return fields

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The orderings a view offers, as an enum: a client (and a generated one) knows them.
        None offered, no parameter (?ordering= is then refused, naming that none exist)."""
        names = sorted(getattr(view, "ordering_fields", None) or [])
        if not names:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "sort by these fields, in turn, each at most once; - before a name "
                    "reverses it (?ordering=-value,district__code). Ties are broken by id."
                ),
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [t for n in names for t in (n, f"-{n}")]},
                    "uniqueItems": True,
                },
                "style": "form",
                "explode": False,
            }
        ]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        keys: dict[str, Any] = getattr(view, "sort_keys", {})
        mapped = []
        for term in ordering:
            name = term.lstrip("-")
            mapped.append(
                ("-" if term.startswith("-") else "")
                + (self.key_name(name) if name in keys else name)
            )
        if not {term.lstrip("-") for term in mapped} & {"id", "pk"}:
            mapped.append("id")
        return mapped

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        keys: dict[str, Any] = getattr(view, "sort_keys", {})
        used = {term.lstrip("-") for term in ordering}
        annotations = {
            self.key_name(name): expression
            for name, expression in keys.items()
            if self.key_name(name) in used
        }
        return queryset.annotate(**annotations).order_by(*ordering)
