"""Text search over observations (the ``q`` filter), served by a character-bigram index.

Each whitespace-separated term of ``q`` must match (terms are ANDed), case-insensitively, as a
substring of the observation's own text (quote, figure as written, sub-unit, note) or of the
name of its indicator (Chinese or English), place (Chinese or English) or initiative (Chinese).

No database index serves ``LIKE '%党建%'``, so the own-text match goes through
:class:`~stats.models.ObservationTerm`, an inverted index of the character bigrams of each
observation's text (see :mod:`stats.extraction.search_terms`). For a term with bigrams
b1 … bn, one indexed lookup finds the observations that have all of them::

    SELECT observation_id FROM stats_observationterm WHERE term IN (b1, …, bn)
    GROUP BY observation_id HAVING COUNT(DISTINCT term) = n

and only those rows are then checked with the substring match itself, since bigrams are
necessary, not sufficient (党建 needs 党建; 建党 has the right characters but not that pair). The
names live in small vocabulary tables (about a hundred rows each); they are matched there and
the observations found through their indexed foreign keys. A term without bigrams (one
character, such as ``党``, or only punctuation) cannot use the index and is matched by scanning.

The index is derived data: :func:`reindex_observations` rebuilds it, load_corpus reindexes the
observations it creates or changes in its transaction (:func:`deferred_reindex`), and a save of
an observation (the admin, a history revert) reindexes that one (:func:`connect_signals`). It
goes with its observation on delete. ``QuerySet.update()`` sends no signal: reindex after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_save

from stats.deferral import Deferred
from stats.extraction.search_terms import query_terms, search_terms_of
from stats.models import District, Indicator, Initiative, Observation, ObservationTerm

__all__ = [
    "MAX_TERMS",
    "TEXT_FIELDS",
    "connect_signals",
    "deferred_reindex",
    "matching",
    "reindex_observations",
    "search_condition",
]

#: The most whitespace-separated terms a search may have: each is a subquery, and a term of
#: one character cannot use the index, so their number bounds a request's cost.
MAX_TERMS = 10

#: The observation's own text, which the index covers.
TEXT_FIELDS = ("quote", "raw", "sub_unit", "note")
#: Observations read and reindexed per round trip.
BATCH_SIZE = 500


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), BATCH_SIZE):
        yield ids[i : i + BATCH_SIZE]


def reindex_observations(ids: Iterable[int] | None = None, using: str = "default") -> int:
    """Rebuild the search terms of the observations ``ids`` (all when None) from their text,
    in one transaction; ids of observations that no longer exist lose their terms. Returns the
    number of terms written."""
    observations = Observation._base_manager.using(using)
    index = ObservationTerm._base_manager.using(using)
    written = 0
    with transaction.atomic(using=using):
        if ids is None:
            index.all().delete()
            id_list = sorted(observations.values_list("pk", flat=True))
        else:
            id_list = sorted(set(ids))
        for batch in _batches(id_list):
            if ids is not None:
                index.filter(observation_id__in=batch).delete()
            rows = [
                ObservationTerm(observation_id=pk, term=term)
                for pk, *texts in observations.filter(pk__in=batch).values_list("pk", *TEXT_FIELDS)
                for term in sorted(search_terms_of(texts))
            ]
            index.bulk_create(rows, batch_size=1000)
            written += len(rows)
    return written


def candidates(terms: set[str]) -> QuerySet[ObservationTerm, Any]:
    """The ids of the observations whose text has every one of ``terms`` (a subquery).

    The aggregate is kept for a single term too: it makes the database find the candidates
    from the index first rather than test each observation against the index.
    """
    return (
        ObservationTerm.objects.filter(term__in=sorted(terms))
        .values("observation_id")
        .annotate(found=Count("term", distinct=True))
        .filter(found=len(terms))
        .values("observation_id")
    )


def _term_ids(term: str) -> QuerySet[Observation, Any]:
    """The ids of the observations that contain ``term`` in their own text or in the names
    they point at: a union of subqueries, each of which a database can serve from an index."""
    observations = Observation.objects.order_by()
    own = (
        Q(quote__icontains=term)
        | Q(raw__icontains=term)
        | Q(sub_unit__icontains=term)
        | Q(note__icontains=term)
    )
    index_terms = query_terms(term)
    if index_terms:
        own = Q(pk__in=candidates(index_terms)) & own
    indicators = Indicator.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    districts = District.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    initiatives = Initiative.objects.filter(name_zh__icontains=term)
    return (
        observations.filter(own)
        .values("pk")
        .union(
            observations.filter(indicator_id__in=indicators.values("pk")).values("pk"),
            observations.filter(district_id__in=districts.values("pk")).values("pk"),
            observations.filter(initiative_id__in=initiatives.values("pk")).values("pk"),
        )
    )


def search_condition(q: str) -> Q:
    """The condition for the search ``q``: every whitespace-separated term matches.

    Each term is a subquery of ids (``id IN (…) AND id IN (…)``), a union of the index lookup
    and the three name lookups, so that the planner can drive the query from indexes rather
    than scan the table to evaluate an OR of conditions on different columns.
    """
    condition = Q()
    for term in q.split():
        condition &= Q(pk__in=_term_ids(term))
    return condition


def matching(queryset: QuerySet[Observation], q: str) -> QuerySet[Observation]:
    """The observations of ``queryset`` that match the search ``q``."""
    return queryset.filter(search_condition(q))


_reindex = Deferred[int](
    "stats_search_deferred", lambda ids, using: reindex_observations(ids, using=using)
)
#: Reindex together the observations saved inside the block (stats.deferral).
deferred_reindex = _reindex.block


def _on_observation_saved(
    sender: type[Observation],
    instance: Observation,
    using: str = "default",
    update_fields: frozenset[str] | None = None,
    **kwargs: object,
) -> None:
    if update_fields is not None and not update_fields & set(TEXT_FIELDS):
        return
    _reindex.touch([instance.pk], using)


def connect_signals() -> None:
    """Reindex an observation whenever it is saved (called from the app config)."""
    post_save.connect(
        _on_observation_saved, sender=Observation, dispatch_uid="search-index-observation-save"
    )
