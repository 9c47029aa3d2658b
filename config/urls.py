"""URL configuration: admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "福建基层党建统计 · Fujian party-building statistics"
admin.site.site_title = "党建统计 admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("stats.api.v1.urls")),
]
