"""Views of API v1: declarative read-only viewsets on one shared base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stats.api.renderers import OrjsonRenderer
from stats.api.v1 import examples, serializers
from stats.api.v1.base import (
    LAST_DATE,
    ApiView,
    DocumentOffsetLookupMixin,
    ReadOnlyViewSet,
    code_parameter,
    document_id_parameter,
)
from stats.api.v1.filters import (
    DistrictFilterSet,
    DocumentFilterSet,
    IndicatorFilterSet,
    InitiativeFilterSet,
    TierChainFilterSet,
)
from stats.models import (
    District,
    Indicator,
    Initiative,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.selectors import (
    attach_coverage,
    indicator_aliases,
    indicators_with_counts,
)
from stats.vocabulary import (
    CODELISTS,
    ClaimRank,
    DistrictLevel,
    PeriodKind,
    Qualifier,
    Statistic,
    Status,
)


@extend_schema_view(
    list=extend_schema(summary="List source documents (without their text)"),
    retrieve=extend_schema(
        summary="One source document with its verbatim text",
        parameters=[document_id_parameter("the document's id (slug), e.g. jimei-2021")],
    ),
)
class DocumentViewSet(ReadOnlyViewSet):
    """The report texts every figure is read from."""

    queryset = SourceDocument.objects.select_related("place").order_by("slug")
    filterset_class = DocumentFilterSet
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
    retrieve=extend_schema(
        summary="One place by its code",
        parameters=[code_parameter("GB/T 2260 code, or 350100-HTZ / 350200-HTZ: 350211")],
        examples=[examples.DISTRICT_EXAMPLE],
    ),
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
    retrieve=extend_schema(
        summary="One organisation tier by its code",
        parameters=[code_parameter("tier code: residential_compound_branch")],
    ),
)
class TierViewSet(ReadOnlyViewSet):
    """The vocabulary of party-organisation levels."""

    queryset = OrganisationTier.objects.all()
    serializer_class = serializers.TierSerializer
    lookup_field = "code"
    ordering_fields = ["rank", "code"]


@extend_schema_view(
    list=extend_schema(summary="List tier chains as the texts spell them out"),
    retrieve=extend_schema(
        summary="One tier chain by its id (document:start)",
        parameters=[
            document_id_parameter("document id and offset of the chain, e.g. jimei-2021:754")
        ],
    ),
)
class TierChainViewSet(DocumentOffsetLookupMixin, ReadOnlyViewSet):
    """Chains of organisation tiers, in order, with their words as written."""

    queryset = TierChain.objects.select_related("district", "document").prefetch_related(
        Prefetch("links", TierChainLink.objects.select_related("tier").order_by("position"))
    )
    serializer_class = serializers.TierChainSerializer
    filterset_class = TierChainFilterSet
    offset_field = "start"


@extend_schema_view(
    list=extend_schema(summary="List named initiatives"),
    retrieve=extend_schema(
        summary="One initiative by its code",
        parameters=[code_parameter("initiative code: jinpai-yinling-baizhi-qixing")],
    ),
)
class InitiativeViewSet(ReadOnlyViewSet):
    """Named programmes, campaigns, platforms, methods and brands."""

    queryset = (
        Initiative.objects.select_related("parent")
        .prefetch_related("districts")
        .annotate(observation_count=Count("observations"))
    )
    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "started_on"]
    sort_keys = {"started_on": Coalesce("started_on", LAST_DATE)}


@extend_schema_view(
    list=extend_schema(summary="List indicators with observation counts and coverage"),
    retrieve=extend_schema(
        summary="One indicator by its code",
        parameters=[code_parameter("indicator code: party_members")],
    ),
)
class IndicatorViewSet(ReadOnlyViewSet):
    """What is counted (the measures), shared across districts."""

    queryset = indicators_with_counts()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "observation_count"]
    #: Set when the request named a code a measure replaced.
    deprecated_alias: str | None = None

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        attach_coverage(list(page if page is not None else queryset))
        return page

    def get_object(self) -> Indicator:
        try:
            indicator: Indicator = super().get_object()
        except Http404:
            successor = indicator_aliases().get(self.kwargs["code"])
            if successor is None:
                raise
            # A v1 client's old code keeps working, and is told it is deprecated.
            self.deprecated_alias, self.kwargs["code"] = self.kwargs["code"], successor
            indicator = super().get_object()
        attach_coverage([indicator])
        return indicator

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.deprecated_alias is not None and response.status_code == 200:
            response["Deprecation"] = "true"
            url = reverse("v1:indicator-detail", kwargs={"code": self.kwargs["code"]})
            response["Link"] = f'<{request.build_absolute_uri(url)}>; rel="successor-version"'
        return response


def _enum_codelist(
    code: str, name_zh: str, name_en: str, description: str, enum: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "description": description,
        "breakdown": False,
        "categories": [
            {
                "code": m.value,
                "name_zh": "",
                "name_en": m.value.replace("_", " "),
                "lower": None,
                "upper": None,
            }
            for m in enum
        ],
    }


def codelists() -> list[dict[str, Any]]:
    """Every codelist: the breakdown dimensions, then the coded attributes of observations."""
    lists = [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "description": c.description,
            "breakdown": True,
            "categories": [
                {
                    "code": k.code,
                    "name_zh": k.name_zh,
                    "name_en": k.name_en,
                    "lower": k.lower,
                    "upper": k.upper,
                }
                for k in c.categories
            ],
        }
        for c in CODELISTS.values()
    ]
    lists += [
        _enum_codelist(
            "statistic", "统计量", "statistic", "What kind of number a figure is.", Statistic
        ),
        _enum_codelist(
            "status", "状态", "status", "Actual figures, targets and estimates.", Status
        ),
        _enum_codelist(
            "rank", "等级", "claim rank", "How a figure ranks among sources.", ClaimRank
        ),
        _enum_codelist(
            "qualifier", "限定", "qualifier", "How the text bounds a figure.", Qualifier
        ),
        _enum_codelist(
            "period_kind", "时期类型", "period kind", "Stock, flow or cumulative.", PeriodKind
        ),
        _enum_codelist(
            "place_level", "行政级别", "place level", "Administrative levels.", DistrictLevel
        ),
    ]
    return lists


@extend_schema_view(
    list=extend_schema(summary="List codelists: breakdown dimensions and coded attributes"),
    retrieve=extend_schema(
        summary="One codelist by its code",
        parameters=[code_parameter("codelist code: sex, age, education, unit_kind, statistic …")],
    ),
)
class CodelistViewSet(ApiView, viewsets.ViewSet):
    """The codes breakdowns and coded attributes take (SDMX codelists)."""

    query_parameters = ("breakdown",)

    serializer_class = serializers.CodelistSerializer
    renderer_classes = [OrjsonRenderer]
    lookup_field = "code"

    @extend_schema(
        responses=serializers.CodelistSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "breakdown",
                bool,
                description="true: only the breakdown dimensions; false: only the coded "
                "attributes (statistic, status …)",
            )
        ],
    )
    def list(self, request: Request) -> Response:
        wanted = request.query_params.get("breakdown") or None  # empty: not asked for
        if wanted is not None and wanted not in ("true", "false", "1", "0"):
            raise ValidationError({"breakdown": [f"must be true or false, not {wanted[:50]!r}"]})
        lists = codelists()
        if wanted is not None:
            lists = [c for c in lists if c["breakdown"] is (wanted in ("true", "1"))]
        return Response(lists)

    def retrieve(self, request: Request, code: str | None = None) -> Response:
        found = next((c for c in codelists() if c["code"] == code), None)
        if found is None:
            raise Http404(f"no codelist {code!r}")
        return Response(found)


class DocumentationPage:
    """The HTML documentation pages: GET and HEAD only, and errors as problem+json like the
    rest of the API (their HTML renderer has no template for an error)."""

    http_method_names: Sequence[str] = ("get", "head")

    def handle_exception(self, exc: Exception) -> Any:
        response = super().handle_exception(exc)  # type: ignore[misc]
        request: Any = self.request  # type: ignore[attr-defined]
        request.accepted_renderer = OrjsonRenderer()
        request.accepted_media_type = OrjsonRenderer.media_type
        return response


class SwaggerPage(DocumentationPage, SpectacularSwaggerView):
    """Swagger UI, from this server's files."""


class RedocPage(DocumentationPage, SpectacularRedocView):
    """ReDoc, from this server's files."""
