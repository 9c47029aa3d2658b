"""The app's URLs plus the benchmark's ceilings."""

from django.urls import path

from bench import views
from config.urls import handler404
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/values/", views.values_page, name="bench-values"),
    path("bench/prerendered/", views.prerendered, name="bench-prerendered"),
    *app_urlpatterns,
]

__all__ = ["handler404", "urlpatterns"]
