"""App configuration for the statistics app."""

from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Normalised party-building statistics read from Chinese report texts."""

    name = "stats"
    verbose_name = "党建统计 · Party-building statistics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from stats import data_version, representations, search, series

        data_version.connect_signals()
        search.connect_signals()
        series.connect_signals()
        representations.connect_signals()
