"""The app's URLs plus the benchmark's ceilings."""

from django.urls import path

from bench import views
from config.urls import handler404
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/values/", views.values_page, name="bench-values"),
    path(
        "bench/values/<slug:document>:<int:figure_start>/",
        views.values_detail,
        name="bench-values-detail",
    ),
    path("bench/series/", views.series_page, name="bench-series"),
    path("bench/series/<str:key>/", views.series_detail, name="bench-series-detail"),
    path("bench/panel/", views.panel_table, name="bench-panel"),
    path("bench/prerendered/", views.prerendered, name="bench-prerendered"),
    *app_urlpatterns,
]

__all__ = ["handler404", "urlpatterns"]
