"""Views of the statistics of API v1: observations (pages from the stored representations,
CSV, SDMX, latest per series, facets), series and the panel."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stats import representations
from stats.api.renderers import CsvRenderer, OrjsonRenderer, csv_columns, csv_lines
from stats.api.v1 import examples, sdmx, serializers
from stats.api.v1.base import (
    LARGEST_VALUE,
    LAST_DATE,
    ApiView,
    DocumentOffsetLookupMixin,
    ReadOnlyViewSet,
    document_id_parameter,
)
from stats.api.v1.filtering import FilterBackend, facet_names
from stats.api.v1.filters import (
    ObservationFilterSet,
    PanelFilterSet,
    SeriesFilterSet,
)
from stats.models import (
    Observation,
    Series,
)
from stats.selectors import (
    PanelError,
    facet_counts,
    panel,
)
from stats.vocabulary import (
    Statistic,
    Status,
)

CSV_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.STR,
    description=(
        "every observation of the filtered set (not one page), streamed as CSV: UTF-8 with a "
        "byte order mark (Excel keeps the Chinese), CRLF line ends, one column per field of the "
        'JSON item with nested keys joined by a dot ("indicator.code", "source.quote")'
    ),
)


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
        # A JSON page reads its rows' ids, then their stored representations
        # (stats.representations): the same bytes the serializer would render, without reading
        # and walking its columns.
        queryset = self.filter_queryset(Observation.objects.values("id"))
        page = self.paginate_queryset(queryset) or []
        response = self.get_paginated_response(representations.bodies([row["id"] for row in page]))
        # The filter set has checked the names (filtering.FacetsFilter).
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
        found = (
            Observation.objects.filter(document__slug=slug, figure_start=int(offset))
            .values_list("id", flat=True)
            .first()
        )
        if found is None:
            raise NotFound()
        return Response(representations.bodies([found])[0])

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
        series.observation_ids = list(  # type: ignore[attr-defined]
            Observation.objects.filter(series=series.key)
            .order_by(
                Coalesce("period_end", LAST_DATE),
                Coalesce("period_start", LAST_DATE),
                "document__slug",
                "figure_start",
            )
            .values_list("id", flat=True)
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
                    "district": serializers.PlaceSerializer().to_representation(row["district"]),
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
