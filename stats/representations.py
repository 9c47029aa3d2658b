"""An observation's published representation, rendered once when it changes and stored.

A page of observations is the API's hot path. Built for every request, each row costs a wide
joined read and a Python walk of some thirty fields; stored, a page is a query for its rows'
ids, one for their bytes by key, and a join of them (docs/performance.md).
:func:`represent` is the representation API v1 serves for an observation (its serializer
declares the same fields, and tests/stats/api/test_serializers.py checks the two agree for
every observation); :func:`render` is its JSON bytes, exactly as the JSON renderer writes them.

:class:`~stats.models.RenderedObservation` keeps :func:`render` for every observation. It is
derived data, kept like the series table and the search index (stats.deferral):

- an observation saved (admin, accept, a history revert, load_corpus) is rendered again;
- a claim rank changed by the series refresh (:data:`stats.series.ranks_changed`) too;
- a measure, place, tier, initiative or document saved re-renders the observations that name
  it (its names, level, parent or slug are part of them);
- a deleted observation takes its row with it.

``QuerySet.update()`` and raw SQL send no signal: run ``manage.py refresh_representations``
after them (``--check`` reports rows that differ). Each row carries :data:`FORMAT`, a
fingerprint of the code that rendered it, and a reader uses a stored body only when its format
is the current one, so a release that changes the representation never serves an old one:
the stale rows are rendered afresh per request until the command (or ``make load``) stores them.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import orjson
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_save

from stats.deferral import Deferred
from stats.extraction.quantities import QUANTITY_COLUMNS
from stats.models import (
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    RenderedObservation,
    SourceDocument,
)
from stats.series import ranks_changed

__all__ = [
    "COLUMNS",
    "FORMAT",
    "bodies",
    "connect_signals",
    "deferred_render",
    "refresh_representations",
    "render",
    "represent",
    "stale",
]

#: The columns of an observation row (``QuerySet.values``) that :func:`represent` reads.
COLUMNS: tuple[str, ...] = (
    "id",
    "sub_unit",
    "breakdown",
    "statistic",
    "status",
    "series",
    "rank",
    "rank_reason",
    "district__level",
    "district__parent__code",
    "period_label",
    "period_start",
    "period_end",
    "period_kind",
    *QUANTITY_COLUMNS,
    "unit",
    "raw",
    "mantissa",
    "scale",
    "scale_power",
    "measure_word",
    "start",
    "end",
    "quote",
    "figure_start",
    "figure_end",
    "note",
    "document__slug",
    "indicator__code",
    "indicator__name_zh",
    "indicator__name_en",
    "indicator__unit",
    *(
        f"{relation}__{column}"
        for relation in ("district", "tier", "initiative")
        for column in ("code", "name_zh", "name_en")
    ),
)

_FOUR_PLACES = Decimal("0.0001")


def decimal_string(value: Decimal | None) -> str | None:
    """A quantity as the API writes it: four places at most, no exponent, no trailing zeros."""
    return None if value is None else format(value.quantize(_FOUR_PLACES).normalize(), "f")


def _brief(row: dict[str, Any], relation: str) -> dict[str, Any] | None:
    code = row[f"{relation}__code"]
    return code and {
        "code": code,
        "name_zh": row[f"{relation}__name_zh"],
        "name_en": row[f"{relation}__name_en"],
    }


def represent(row: dict[str, Any]) -> dict[str, Any]:
    """An observation's representation, from a row of :data:`COLUMNS`."""
    start, end = row["period_start"], row["period_end"]
    return {
        "id": f"{row['document__slug']}:{row['figure_start']}",
        "indicator": {
            "code": row["indicator__code"],
            "name_zh": row["indicator__name_zh"],
            "name_en": row["indicator__name_en"],
            "unit": row["indicator__unit"],
        },
        "district": {
            "code": row["district__code"],
            "name_zh": row["district__name_zh"],
            "name_en": row["district__name_en"],
            "level": row["district__level"],
            "parent": row["district__parent__code"],
        },
        "sub_unit": row["sub_unit"],
        "tier": _brief(row, "tier"),
        "initiative": _brief(row, "initiative"),
        "breakdown": row["breakdown"],
        "statistic": row["statistic"],
        "status": row["status"],
        "series": row["series"],
        "rank": row["rank"],
        "rank_reason": row["rank_reason"],
        "period": {
            "label": row["period_label"],
            "start": start and start.isoformat(),
            "end": end and end.isoformat(),
            "kind": row["period_kind"],
        },
        "value": decimal_string(row["value"]),
        "lower_bound": decimal_string(row["lower_bound"]),
        "lower_inclusive": row["lower_inclusive"],
        "upper_bound": decimal_string(row["upper_bound"]),
        "upper_inclusive": row["upper_inclusive"],
        "upper_by_convention": row["upper_by_convention"],
        "qualifier": row["qualifier"],
        "unit": row["unit"],
        "raw": row["raw"],
        "mantissa": row["mantissa"],
        "scale": row["scale"],
        "scale_power": row["scale_power"],
        "measure_word": row["measure_word"],
        "source": {
            "document": row["document__slug"],
            "start": row["start"],
            "end": row["end"],
            "quote": row["quote"],
            "figure_start": row["figure_start"],
            "figure_end": row["figure_end"],
        },
        "note": row["note"],
    }


def render(row: dict[str, Any]) -> bytes:
    """:func:`represent` as JSON bytes, as the API's JSON renderer writes it (orjson)."""
    return orjson.dumps(represent(row))


#: A fingerprint of the code above: rows rendered by other code are not served.
FORMAT = hashlib.sha256(
    "\n".join(
        [
            repr(COLUMNS),
            inspect.getsource(decimal_string),
            inspect.getsource(_brief),
            inspect.getsource(represent),
            orjson.__version__,
        ]
    ).encode()
).hexdigest()[:16]

#: Observations rendered and stored per round trip.
BATCH_SIZE = 1000


def _rows(using: str | None, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """Rows of ``ids`` from ``using``, or (None) from the database the router reads from."""
    observations = Observation._base_manager
    if using is not None:
        observations = observations.db_manager(using)
    return iter(observations.filter(pk__in=ids).values(*COLUMNS))


def _store(using: str, ids: Sequence[int]) -> int:
    stored = RenderedObservation._base_manager.using(using)
    stored.filter(observation_id__in=ids).delete()
    fresh = [
        RenderedObservation(observation_id=row["id"], format=FORMAT, body=render(row))
        for row in _rows(using, ids)
    ]
    stored.bulk_create(fresh, batch_size=BATCH_SIZE)
    return len(fresh)


def refresh_representations(ids: Iterable[int] | None = None, using: str = "default") -> int:
    """Render and store the observations ``ids`` (every observation when None), in one
    transaction. Returns the number stored."""
    observations = Observation._base_manager.using(using)
    with transaction.atomic(using=using):
        if ids is None:
            RenderedObservation._base_manager.using(using).all().delete()
            id_list = list(observations.order_by("pk").values_list("pk", flat=True))
        else:
            id_list = sorted(set(ids))
        return sum(
            _store(using, id_list[i : i + BATCH_SIZE]) for i in range(0, len(id_list), BATCH_SIZE)
        )


def stale(using: str = "default") -> list[int]:
    """Observations with no stored body of the current format (new code, or raw writes)."""
    return list(
        Observation._base_manager.using(using)
        .exclude(rendered__format=FORMAT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def differing(using: str = "default") -> list[int]:
    """Observations whose stored body is not what :func:`render` gives now (a check)."""
    found: list[int] = []
    observations = Observation._base_manager.using(using).order_by("pk")
    for row in observations.values(*COLUMNS, "rendered__format", "rendered__body").iterator(
        chunk_size=BATCH_SIZE
    ):
        body = row["rendered__body"]
        if row["rendered__format"] != FORMAT or body is None or bytes(body) != render(row):
            found.append(row["id"])
    return found


def bodies(ids: Sequence[int], using: str | None = None) -> list[orjson.Fragment]:
    """The JSON of the observations ``ids``, in that order: the stored body, read in one query
    by key, or for an observation without a current one, a fresh render (read in one query for
    all such, from ``using`` or where the router reads). Never writes: a read may be on a
    replica. The page's ids are read first and the bodies after, not in one join: joined, a
    deep page of a million rows was planned as a merge join that read the stored table from its
    first row (670 ms against 3)."""
    stored_bodies = RenderedObservation._base_manager
    if using is not None:
        stored_bodies = stored_bodies.db_manager(using)
    stored = {
        observation: bytes(body)
        for observation, body in stored_bodies.filter(
            observation_id__in=ids, format=FORMAT
        ).values_list("observation_id", "body")
    }
    missing = [id_ for id_ in ids if id_ not in stored]
    if missing:
        stored.update((row["id"], render(row)) for row in _rows(using, missing))
    return [orjson.Fragment(stored[id_]) for id_ in ids]


_render = Deferred[int](
    "stats_representations_deferred",
    lambda ids, using: refresh_representations(ids, using=using),
)
#: Render together the observations touched inside the block (stats.deferral).
deferred_render = _render.block


def touch(ids: Iterable[int], using: str = "default") -> None:
    """Observations whose representation changed without a save (a rank set by update())."""
    _render.touch(ids, using)


#: What else an observation's representation shows, and which observations show it.
_SHOWN_BY: dict[type[models.Model], Any] = {
    Indicator: lambda pk: Q(indicator=pk),
    District: lambda pk: Q(district=pk) | Q(district__parent=pk),
    OrganisationTier: lambda pk: Q(tier=pk),
    Initiative: lambda pk: Q(initiative=pk),
    SourceDocument: lambda pk: Q(document=pk),
}


def _on_observation_saved(
    sender: type[Observation], instance: Observation, using: str = "default", **kwargs: object
) -> None:
    _render.touch([instance.pk], using)


def _on_shown_saved(
    sender: type[models.Model],
    instance: models.Model,
    using: str = "default",
    created: bool = False,
    **kwargs: object,
) -> None:
    if created:  # nothing names a row that did not exist
        return
    condition = _SHOWN_BY[sender](instance.pk)
    ids = Observation._base_manager.using(using).filter(condition).values_list("pk", flat=True)
    _render.touch(ids, using)


def _on_ranks_changed(sender: object, ids: Iterable[int], using: str, **kwargs: object) -> None:
    _render.touch(ids, using)


def connect_signals() -> None:
    """Keep the stored representations in step (called from the app config)."""
    post_save.connect(
        _on_observation_saved, sender=Observation, dispatch_uid="representation-observation"
    )
    for model in _SHOWN_BY:
        post_save.connect(
            _on_shown_saved, sender=model, dispatch_uid=f"representation-{model.__name__}"
        )
    ranks_changed.connect(_on_ranks_changed, dispatch_uid="representation-ranks")
