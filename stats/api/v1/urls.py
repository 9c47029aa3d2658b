"""URLs of API v1, mounted at /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from stats.api.v1 import downloads, sdmx, statistics, views

# No format suffixes (/districts/350211.json): ?format= and Accept choose the format, and a
# dot in an identifier stays part of it (a 404 if nothing has it, never a 406).
router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("documents", views.DocumentViewSet, basename="document")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("tiers", views.TierViewSet, basename="tier")
router.register("tier-chains", views.TierChainViewSet, basename="tier-chain")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", statistics.ObservationViewSet, basename="observation")
router.register("series", statistics.SeriesViewSet, basename="series")
router.register("panel", statistics.PanelViewSet, basename="panel")
router.register("codelists", views.CodelistViewSet, basename="codelist")
router.register("sdmx/structure", sdmx.SdmxStructureViewSet, basename="sdmx-structure")
router.register("downloads", downloads.DownloadViewSet, basename="download")

app_name = "v1"
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", views.SwaggerPage.as_view(url_name="v1:schema"), name="docs"),
    path("redoc/", views.RedocPage.as_view(url_name="v1:schema"), name="redoc"),
    # Files keep their names at the end of the URL (no slash): tools read the format from it.
    path(
        "downloads/<str:name>",
        downloads.DownloadFileViewSet.as_view({"get": "retrieve"}),
        name="download-file",
    ),
]
