"""Views of API v1: declarative read-only viewsets on one shared base."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from stats.api.v1 import serializers
from stats.api.v1.filters import DistrictFilterSet, ObservationFilterSet, TierChainFilterSet
from stats.models import (
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.selectors import attach_coverage, indicators_with_counts, latest_observations


class StablePagination(CursorPagination):
    """Cursor pagination: stable under inserts, with a capped page size."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"
    invalid_cursor_message = "invalid cursor: use the next or previous link of a response"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        f"must be a whole number from 1 to {self.max_page_size}, not {raw[:50]!r}"
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from error


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """What every v1 endpoint shares: read-only, filters, ordering, cursor pages."""

    filter_backends = [DjangoFilterBackend, OrderingFilter]
    pagination_class = StablePagination
    ordering_fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List source documents (without their text)"),
    retrieve=extend_schema(summary="One source document with its verbatim text"),
)
class DocumentViewSet(ReadOnlyViewSet):
    """The report texts every figure is read from."""

    queryset = SourceDocument.objects.select_related("place").order_by("slug")
    lookup_field = "slug"
    lookup_url_kwarg = "id"

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.DocumentDetailSerializer
        return serializers.DocumentListSerializer

    def get_queryset(self) -> QuerySet[SourceDocument]:
        queryset = super().get_queryset()
        return queryset if self.action == "retrieve" else queryset.defer("text")


@extend_schema_view(
    list=extend_schema(summary="List places"),
    retrieve=extend_schema(summary="One place by its code"),
)
class DistrictViewSet(ReadOnlyViewSet):
    """Places: GB/T 2260 divisions and the two high-tech zones."""

    queryset = District.objects.select_related("parent").prefetch_related("children")
    serializer_class = serializers.DistrictSerializer
    filterset_class = DistrictFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "level"]


@extend_schema_view(
    list=extend_schema(summary="List organisation tiers"),
    retrieve=extend_schema(summary="One organisation tier by its code"),
)
class TierViewSet(ReadOnlyViewSet):
    """The vocabulary of party-organisation levels."""

    queryset = OrganisationTier.objects.all()
    serializer_class = serializers.TierSerializer
    lookup_field = "code"
    ordering_fields = ["rank", "code"]


@extend_schema_view(
    list=extend_schema(
        summary="List tier chains as the texts spell them out",
    ),
)
class TierChainViewSet(ReadOnlyViewSet):
    """Chains of organisation tiers, in order, with their words as written."""

    queryset = TierChain.objects.select_related("district", "document").prefetch_related(
        Prefetch("links", TierChainLink.objects.select_related("tier").order_by("position"))
    )
    serializer_class = serializers.TierChainSerializer
    filterset_class = TierChainFilterSet


@extend_schema_view(
    list=extend_schema(summary="List named initiatives"),
    retrieve=extend_schema(summary="One initiative by its code"),
)
class InitiativeViewSet(ReadOnlyViewSet):
    """Named programmes, campaigns, platforms, methods and brands."""

    queryset = (
        Initiative.objects.select_related("parent")
        .prefetch_related("districts")
        .annotate(observation_count=Count("observations"))
    )
    serializer_class = serializers.InitiativeSerializer
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "started_on"]


@extend_schema_view(
    list=extend_schema(summary="List indicators with observation counts and coverage"),
    retrieve=extend_schema(summary="One indicator by its code"),
)
class IndicatorViewSet(ReadOnlyViewSet):
    """What is counted, shared across districts."""

    queryset = indicators_with_counts()
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "observation_count"]

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        attach_coverage(list(page if page is not None else queryset))
        return page

    def get_object(self) -> Indicator:
        indicator: Indicator = super().get_object()
        attach_coverage([indicator])
        return indicator


@extend_schema_view(
    list=extend_schema(
        summary="List observations (figures), filtered and ordered",
        parameters=[
            OpenApiParameter(
                "latest",
                bool,
                description="only the most recent observation per indicator and district",
            )
        ],
    ),
    retrieve=extend_schema(summary="One observation by its id (document:figure_start)"),
)
class ObservationViewSet(ReadOnlyViewSet):
    """Figures read from the texts, each with its meaning, quantity and source."""

    queryset = Observation.objects.select_related(
        "indicator", "district", "tier", "initiative", "document"
    ).defer("document__text")
    serializer_class = serializers.ObservationSerializer
    filterset_class = ObservationFilterSet
    ordering_fields = [
        "value",
        "period_start",
        "period_end",
        "district__code",
        "indicator__code",
        "id",
    ]
    lookup_value_regex = r"[a-z0-9-]+:\d+"

    def get_object(self) -> Observation:
        slug, _, offset = self.kwargs["pk"].partition(":")
        self.kwargs["pk"] = str(
            self.get_queryset()
            .filter(document__slug=slug, figure_start=int(offset))
            .values_list("pk", flat=True)
            .first()
        )
        return super().get_object()  # type: ignore[no-any-return]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        request: Request = self.request
        if request.query_params.get("latest") in ("1", "true"):
            queryset = latest_observations(queryset)
        return queryset
