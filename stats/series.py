"""Keeping series and claim ranks in step with the observations.

The series table (:class:`~stats.models.Series`) and each observation's ``rank`` among the
claims of its series and period are derived from the observations, with the same pure rules the
build uses (stats.extraction.series). :func:`refresh_series` recomputes them for some keys;
load_corpus refreshes the series it touched in its transaction (:func:`deferred_refresh`), and a
save or delete of an observation (admin, accept, a history revert) refreshes its series and,
when its key changed, the one it left (:func:`connect_signals`). A rank an analyst gave (its
reason says "by the analyst") is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal

from stats.deferral import Deferred
from stats.extraction.series import Claim, rank_claims
from stats.models import Observation, Series
from stats.vocabulary import ClaimRank

__all__ = ["connect_signals", "deferred_refresh", "ranks_changed", "refresh_series"]

#: Sent with ``ids`` and ``using`` when a refresh changed the rank of those observations (by
#: ``QuerySet.update()``, which sends no save signal); stats.representations listens.
ranks_changed = Signal()

#: A reason that records an analyst's decision, which a refresh keeps.
ANALYST = "by the analyst"

_COLUMNS = (
    "pk",
    "series",
    "indicator_id",
    "district_id",
    "sub_unit",
    "breakdown",
    "statistic",
    "status",
    "tier_id",
    "initiative_id",
    "unit",
    "period_start",
    "period_end",
    "period_kind",
    "qualifier",
    "lower_bound",
    "upper_bound",
    "rank",
    "rank_reason",
    "figure_start",
    "document__slug",
    "document__published_latest",
)


def _latest_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """Larger is later: the latest period end (unknown is oldest), the preferred claim, the
    later source, the later figure in it."""
    return (
        row["period_end"] or date.min,
        row["rank"] == ClaimRank.PREFERRED,
        row["document__published_latest"],
        row["document__slug"],
        row["figure_start"],
    )


def _refresh_one(key: str, rows: list[dict[str, Any]], using: str) -> list[int]:
    """Rank the claims of one series and write its row; returns the observations whose rank
    changed."""
    changed: list[int] = []
    observations = Observation._base_manager.using(using)
    series = Series._base_manager.using(using)
    if not rows:
        series.filter(key=key).delete()
        return changed
    periods: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        periods.setdefault((row["period_start"], row["period_end"], row["period_kind"]), []).append(
            row
        )
    for claims in periods.values():
        ranks = rank_claims(
            [
                Claim(
                    source=row["document__slug"],
                    published=row["document__published_latest"],
                    qualifier=row["qualifier"],
                    lower=row["lower_bound"],
                    upper=row["upper_bound"],
                    given=ClaimRank(row["rank"]) if ANALYST in row["rank_reason"] else None,
                )
                for row in claims
            ]
        )
        for row, (rank, reason) in zip(claims, ranks, strict=True):
            if (row["rank"], row["rank_reason"]) != (rank.value, reason):
                observations.filter(pk=row["pk"]).update(rank=rank.value, rank_reason=reason)
                row["rank"], row["rank_reason"] = rank.value, reason
                changed.append(row["pk"])
    answering = [r for r in rows if r["rank"] != ClaimRank.DEPRECATED] or rows
    latest = max(answering, key=_latest_order)
    series.update_or_create(
        key=key,
        defaults={
            "indicator_id": latest["indicator_id"],
            "district_id": latest["district_id"],
            "sub_unit": latest["sub_unit"],
            "breakdown": latest["breakdown"],
            "statistic": latest["statistic"],
            "status": latest["status"],
            "tier_id": latest["tier_id"],
            "initiative_id": latest["initiative_id"],
            "unit": latest["unit"],
            "observation_count": len(rows),
            "period_start": min(
                (r["period_start"] for r in rows if r["period_start"]), default=None
            ),
            "period_end": max((r["period_end"] for r in rows if r["period_end"]), default=None),
            "latest_id": latest["pk"],
        },
    )
    return changed


def refresh_series(keys: Iterable[str] | None = None, using: str = "default") -> int:
    """Recompute the series ``keys`` (every series when None) and the claim ranks of their
    observations, in one transaction; a key with no observations left loses its series row.
    Returns the number of keys refreshed."""
    observations = Observation._base_manager.using(using)
    with transaction.atomic(using=using):
        if keys is None:
            Series._base_manager.using(using).exclude(
                key__in=observations.values("series")
            ).delete()
            key_list = sorted(set(observations.values_list("series", flat=True)))
        else:
            key_list = sorted(set(keys))
        for start in range(0, len(key_list), 500):
            batch = key_list[start : start + 500]
            grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in batch}
            for row in observations.filter(series__in=batch).values(*_COLUMNS):
                grouped[row["series"]].append(row)
            changed = [pk for key, rows in grouped.items() for pk in _refresh_one(key, rows, using)]
            if changed:
                ranks_changed.send(sender=Observation, ids=changed, using=using)
    return len(key_list)


_refresh = Deferred[str](
    "stats_series_deferred", lambda keys, using: refresh_series(keys, using=using)
)
#: Refresh together the series touched inside the block (stats.deferral).
deferred_refresh = _refresh.block


def _touched(keys: set[str], using: str) -> None:
    _refresh.touch(keys - {""}, using)


def _remember_key(sender: type[Observation], instance: Observation, **kwargs: object) -> None:
    instance._loaded_series = instance.series  # type: ignore[attr-defined]


def _on_saved(
    sender: type[Observation], instance: Observation, using: str = "default", **kwargs: object
) -> None:
    before = getattr(instance, "_loaded_series", "")
    _touched({instance.series, before}, using)
    instance._loaded_series = instance.series  # type: ignore[attr-defined]


def _on_deleted(
    sender: type[Observation], instance: Observation, using: str = "default", **kwargs: object
) -> None:
    _touched({instance.series}, using)


def connect_signals() -> None:
    """Refresh the series of an observation whenever it is saved or deleted."""
    post_init.connect(_remember_key, sender=Observation, dispatch_uid="series-remember-key")
    post_save.connect(_on_saved, sender=Observation, dispatch_uid="series-observation-save")
    post_delete.connect(_on_deleted, sender=Observation, dispatch_uid="series-observation-delete")
