"""Views of API v1: declarative read-only viewsets on one shared base."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stats import representations
from stats.api.middleware import refuse_unknown_parameters, require_utf8_query
from stats.api.ordering import SortKeyOrderingFilter
from stats.api.pagination import KeysetPagination
from stats.api.renderers import CsvRenderer, OrjsonRenderer, csv_columns, csv_lines
from stats.api.v1 import examples, sdmx, serializers
from stats.api.v1.filters import (
    DistrictFilterSet,
    DocumentFilterSet,
    FilterBackend,
    IndicatorFilterSet,
    InitiativeFilterSet,
    ObservationFilterSet,
    PanelFilterSet,
    SeriesFilterSet,
    TierChainFilterSet,
    facet_names,
)
from stats.models import (
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    Series,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.selectors import (
    PanelError,
    attach_coverage,
    facet_counts,
    indicator_aliases,
    indicators_with_counts,
    panel,
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


CSV_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.STR,
    description=(
        "every observation of the filtered set (not one page), streamed as CSV: UTF-8 with a "
        "byte order mark (Excel keeps the Chinese), CRLF line ends, one column per field of the "
        'JSON item with nested keys joined by a dot ("indicator.code", "source.quote")'
    ),
)


#: The columns a JSON page of observations reads: the stored body (stats.representations).
STORED = ("id", "rendered__format", "rendered__body")


@extend_schema_view(
    list=extend_schema(
        summary="List observations (figures), filtered and ordered",
        description=(
            "Figures read from the texts. Filters are ANDed; several values of one filter are "
            "ORed. Pages follow a cursor (see the next and previous links and the Link "
            "header). With Accept: text/csv or ?format=csv the whole filtered set comes as CSV."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv"],
                description="json (default) or csv; the same as Accept: text/csv",
            ),
        ],
        responses={
            (200, "application/json"): serializers.ObservationPageSerializer,
            (200, "text/csv"): CSV_RESPONSE,
        },
        examples=[examples.OBSERVATION_PAGE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One observation by its id (document:figure_start)",
        parameters=[
            document_id_parameter(
                "document id and offset of the figure in its text, e.g. jimei-2021:444"
            ),
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="json (default) or csv"
            ),
        ],
        examples=[examples.OBSERVATION_EXAMPLE],
        responses={
            (200, "application/json"): serializers.ObservationSerializer,
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR, description="the observation as one CSV row"
            ),
        },
    ),
)
class ObservationViewSet(DocumentOffsetLookupMixin, ReadOnlyViewSet):
    """Figures read from the texts, each with its meaning, quantity and source."""

    # Rows, not model instances: the serializer reads exactly these columns (one joined query).
    queryset = Observation.objects.values(*serializers.ObservationSerializer.columns)
    serializer_class = serializers.ObservationSerializer
    filterset_class = ObservationFilterSet
    renderer_classes = [OrjsonRenderer, CsvRenderer, sdmx.SdmxCsvRenderer, sdmx.SdmxJsonRenderer]
    ordering_fields = [
        "value",
        "period_start",
        "period_end",
        "district__code",
        "indicator__code",
        "id",
    ]
    sort_keys = {
        "value": Coalesce("value", LARGEST_VALUE),
        "period_start": Coalesce("period_start", LAST_DATE),
        "period_end": Coalesce("period_end", LAST_DATE),
        "district__code": F("district__code"),
        "indicator__code": F("indicator__code"),
    }
    offset_field = "figure_start"

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action == "retrieve":
            return queryset  # an id names one figure, whatever its status or rank
        return super().filter_queryset(queryset)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format in sdmx.FORMATS:
            return sdmx.observations_response(request, self.filter_queryset(self.get_queryset()))
        if request.accepted_renderer.format == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            self.paginator.get_page_size(request)  # type: ignore[union-attr]  # a bad one is 400
            return self.stream_csv(queryset)
        # A JSON page reads each row's stored representation (stats.representations): the same
        # bytes the serializer would render, without reading and walking its columns.
        queryset = self.filter_queryset(Observation.objects.values(*STORED))
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(representations.bodies(page or []))
        # The filter set has checked the names (filters.FacetsFilter).
        facets = facet_names(request.query_params.getlist("facets"))
        if facets:
            response.data["facets"] = facet_counts(queryset, facets)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format in sdmx.FORMATS:
            return sdmx.observations_response(request, sdmx.one_observation(self.kwargs["pk"]))
        if request.accepted_renderer.format != "json":
            return super().retrieve(request, *args, **kwargs)
        slug, _, offset = self.kwargs["pk"].partition(":")
        if not offset.isascii() or not offset.isdigit():
            raise NotFound()
        row = (
            Observation.objects.filter(document__slug=slug, figure_start=int(offset))
            .values(*STORED)
            .first()
        )
        if row is None:
            raise NotFound()
        return Response(representations.bodies([row])[0])

    def stream_csv(self, queryset: QuerySet[Any]) -> StreamingHttpResponse:
        """The whole filtered set, in the page order, serialised row by row."""
        if not queryset.query.order_by:
            queryset = queryset.order_by(*self.paginator.get_ordering(self.request, queryset, self))  # type: ignore[union-attr]
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        # Each row as the serializer represents it (stats.representations.represent), without
        # a serializer per row; the database hands rows over in chunks, so memory stays flat.
        rows = map(representations.represent, queryset.iterator(chunk_size=1000))
        response = StreamingHttpResponse(
            csv_lines(csv_columns(serializer_class(context=context)), rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="observations.csv"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List series with their span and latest figure",
        description=(
            "A series is one measure for one place (and sub-unit), broken down one way, one "
            "kind of number and status, over time; its key is "
            "measure.place.sub_unit.breakdown.statistic.status.tier.initiative. Filters as for "
            "observations; only series of actual figures unless status= says otherwise."
        ),
        examples=[examples.SERIES_PAGE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One series with all its observations in time order",
        parameters=[
            OpenApiParameter(
                "key",
                str,
                OpenApiParameter.PATH,
                description="the series key: party_members.350211._T._T.level.actual._Z._Z",
            )
        ],
    ),
)
class SeriesViewSet(ReadOnlyViewSet):
    """Series: the observations of one measure, place, breakdown, statistic and status."""

    # Only the columns the representation shows: the related rows' other fields (a document's
    # whole text, JSON lists of aliases and synonyms) cost more to read and decode than the page.
    queryset = Series.objects.select_related(
        "indicator", "district__parent", "tier", "initiative", "latest__document"
    ).only(
        *serializers.SeriesSerializer.Meta.fields,
        *(f"indicator__{name}" for name in ("code", "name_zh", "name_en", "unit")),
        *(f"district__{name}" for name in ("code", "name_zh", "name_en", "level", "parent")),
        "district__parent__code",
        *(f"tier__{name}" for name in ("code", "name_zh", "name_en")),
        *(f"initiative__{name}" for name in ("code", "name_zh", "name_en")),
        *(
            f"latest__{name}"
            for name in (
                "period_label", "period_start", "period_end", "period_kind", "value",
                "lower_bound", "upper_bound", "qualifier", "raw", "figure_start", "document",
                "series",  # read on every Observation made (stats.series remembers its key)
            )
        ),
        "latest__document__slug",
    )  # fmt: skip
    filterset_class = SeriesFilterSet
    renderer_classes = [OrjsonRenderer, sdmx.SdmxCsvRenderer, sdmx.SdmxJsonRenderer]
    lookup_field = "key"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["key", "observation_count", "period_end"]
    sort_keys = {"period_end": Coalesce("period_end", LAST_DATE)}

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any]
        if self.action == "list":  # rows, not model instances: see SeriesSerializer
            queryset = Series.objects.values(*serializers.SERIES_COLUMNS)
        else:
            queryset = super().get_queryset()
        return queryset

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format in sdmx.FORMATS:
            return sdmx.series_response(request, self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format in sdmx.FORMATS:
            return sdmx.series_response(request, sdmx.one_series(self.kwargs["key"]))
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.SeriesDetailSerializer
        return serializers.SeriesSerializer

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action == "retrieve":
            return queryset  # a key names one series, whatever its status
        return super().filter_queryset(queryset)

    def get_object(self) -> Series:
        series: Series = super().get_object()
        series.observation_rows = list(  # type: ignore[attr-defined]
            Observation.objects.filter(series=series.key)
            .order_by(
                Coalesce("period_end", LAST_DATE),
                Coalesce("period_start", LAST_DATE),
                "document__slug",
                "figure_start",
            )
            .values(*STORED)
        )
        return series


MIX_LEVELS = OpenApiParameter(
    "mix_levels",
    bool,
    description="allow places of several administrative levels (a city beside its districts)",
)


@extend_schema_view(
    list=extend_schema(
        summary="A panel: one measure for many places over time",
        description=(
            "Places as rows, periods (the year each period ends) as columns, each cell the "
            "preferred figure of the place as a whole ending latest in that year. One measure "
            "(indicator=, required); the total, levels and actual figures unless breakdown=, "
            "statistic= or status= say otherwise. Places of several levels are refused unless "
            "mix_levels=true. As CSV with Accept: text/csv or ?format=csv."
        ),
        examples=[examples.PANEL_EXAMPLE],
        parameters=[
            MIX_LEVELS,
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="json (default) or csv"
            ),
        ],
        responses={
            (200, "application/json"): serializers.PanelSerializer,
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description="one row per place: district.code, names, level, parent, then one "
                "column per period with the value",
            ),
        },
    ),
)
class PanelViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """One measure for many places over time."""

    query_parameters = ("mix_levels",)

    queryset = Series.objects.all()
    serializer_class = serializers.PanelSerializer
    filterset_class = PanelFilterSet
    filter_backends = [FilterBackend]
    renderer_classes = [OrjsonRenderer, CsvRenderer]
    pagination_class = None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if len(request.query_params.getlist("indicator")) > 1:
            raise ValidationError({"indicator": ["a panel shows one measure: name exactly one"]})
        mix = request.query_params.get("mix_levels") or "false"
        if mix not in ("true", "false", "1", "0"):
            raise ValidationError({"mix_levels": [f"must be true or false, not {mix[:50]!r}"]})
        # Always through the filter set, which requires the one measure a panel shows.
        filterset = PanelFilterSet(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        try:
            table = panel(filterset.qs, mix_levels=mix in ("true", "1"))
        except PanelError as error:
            raise ValidationError({error.parameter: [error.problem]}) from None
        params = request.query_params
        data = {
            "indicator": table["indicator"]
            and serializers.BriefIndicatorSerializer(table["indicator"]).data,
            "breakdown": params.get("breakdown") or "",
            "statistic": params.get("statistic") or Statistic.LEVEL.value,
            "status": params.get("status") or Status.ACTUAL.value,
            "unit": table["unit"],
            "periods": table["periods"],
            "rows": [
                {
                    "district": serializers.PlaceSerializer(row["district"]).data,
                    "values": row["values"],
                }
                for row in table["rows"]
            ],
        }
        if request.accepted_renderer.format == "csv":
            place = [f"district.{c}" for c in ("code", "name_zh", "name_en", "level", "parent")]
            items = [
                {
                    "district": row["district"],
                    **{p: cell and cell["value"] for p, cell in row["values"].items()},
                }
                for row in data["rows"]
            ]
            response = HttpResponse(
                "".join(csv_lines([*place, *data["periods"]], items)),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="panel.csv"'
            return response
        return Response(data)


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
