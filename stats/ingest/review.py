"""A reviewer's decisions on candidates: accept, reject, duplicate.

An accepted candidate becomes an :class:`~stats.models.Observation` read from its own words,
under the same unit rule the build applies, so what is accepted here rebuilds from the exported
annotations. Every decision is saved through the ORM, so it is in the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from stats.extraction.quantities import FigureError, Quantity, parse_quantity, quantity_columns
from stats.extraction.reading import without_layout_space
from stats.models import Candidate, CandidateStatus, Observation
from stats.vocabulary import (
    BreakdownError,
    NotStatisticReason,
    Statistic,
    breakdown_key,
    observation_unit,
    parse_breakdown,
    unit_problem,
)

__all__ = ["ReviewError", "accept", "mark_duplicate", "refusal", "reject"]


class ReviewError(ValueError):
    """A decision that cannot be taken as it stands; the message says what is missing."""


def _decided(candidate: Candidate, reason: str) -> None:
    candidate._change_reason = reason  # type: ignore[attr-defined]
    candidate.save()


@dataclass(frozen=True)
class _Reading:
    """What an acceptable candidate becomes: its figure read, its breakdown, statistic, unit."""

    quantity: Quantity
    breakdown: str
    statistic: Statistic
    unit: str


def _reading(candidate: Candidate) -> _Reading:
    """The candidate read as an observation would be, or the ReviewError saying why not."""
    if candidate.status == CandidateStatus.ACCEPTED and candidate.observation_id:
        raise ReviewError("already accepted")
    missing = [
        name
        for name in ("indicator", "district", "period_label", "period_kind")
        if not getattr(candidate, name)
    ]
    if missing:
        raise ReviewError(f"say {', '.join(missing)} before accepting")
    text = candidate.document.text
    if text[candidate.start : candidate.end] != candidate.quote or not (
        candidate.start <= candidate.figure_start < candidate.figure_end <= candidate.end
    ):
        raise ReviewError("the quote must be the text at its offsets, holding the figure")
    raw = without_layout_space(text[candidate.figure_start : candidate.figure_end])
    try:
        quantity = parse_quantity(raw)
    except FigureError as error:
        raise ReviewError(f"the figure {raw!r} cannot be read: {error}") from error
    indicator = candidate.indicator
    assert indicator is not None
    # The rule build_fixtures applies: what is accepted here rebuilds from the annotations.
    statistic = Statistic(candidate.statistic)
    try:
        breakdown = breakdown_key(parse_breakdown(candidate.breakdown))
    except BreakdownError as error:
        raise ReviewError(str(error)) from error
    problem = unit_problem(
        raw, quantity.unit, candidate.unit or None, indicator.code, indicator.unit, statistic
    )
    if problem:
        raise ReviewError(problem)
    unit = observation_unit(quantity.unit, candidate.unit or None, indicator.unit, statistic)
    return _Reading(quantity, breakdown, statistic, unit)


def refusal(candidate: Candidate, decision: str) -> str | None:
    """Why ``decision`` ("accept", "reject", "duplicate") cannot be taken on the candidate as
    its fields now stand, or None: the admin form asks before it saves anything."""
    try:
        if decision == "accept":
            _reading(candidate)
        elif decision in ("reject", "duplicate"):
            _not_accepted(candidate)
            if decision == "duplicate" and candidate.duplicate_of is not None:
                _other_document(candidate, candidate.duplicate_of)
    except ReviewError as error:
        return str(error)
    return None


def _not_accepted(candidate: Candidate) -> None:
    if candidate.status == CandidateStatus.ACCEPTED:
        raise ReviewError("accepted already: delete its observation first")


def _other_document(candidate: Candidate, of: Observation) -> None:
    if of.document_id == candidate.document_id:
        raise ReviewError("a duplicate is of an observation from another document")


def accept(candidate: Candidate) -> Observation:
    """The candidate, as its fields now stand, becomes an observation read from its words."""
    reading = _reading(candidate)
    indicator = candidate.indicator
    assert indicator is not None
    quantity, breakdown, statistic, unit = (
        reading.quantity,
        reading.breakdown,
        reading.statistic,
        reading.unit,
    )
    with transaction.atomic():
        observation = Observation(
            indicator=indicator,
            district=candidate.district,
            sub_unit=candidate.sub_unit,
            tier=candidate.tier or indicator.tier,
            initiative=candidate.initiative,
            breakdown=breakdown,
            statistic=statistic.value,
            status=candidate.figure_status,
            period_label=candidate.period_label,
            period_start=candidate.period_start,
            period_end=candidate.period_end,
            period_kind=candidate.period_kind,
            unit=unit,
            **quantity_columns(quantity),
            document=candidate.document,
            start=candidate.start,
            end=candidate.end,
            quote=candidate.quote,
            figure_start=candidate.figure_start,
            figure_end=candidate.figure_end,
            note=candidate.note,
        )
        observation._change_reason = "review: accepted"  # type: ignore[attr-defined]
        observation.save()
        candidate.status = CandidateStatus.ACCEPTED
        candidate.observation = observation
        candidate.reason = ""
        candidate.duplicate_of = None
        _decided(candidate, "review: accepted")
    return observation


def reject(candidate: Candidate, reason: NotStatisticReason | str, note: str = "") -> None:
    """Not a statistic, for ``reason``; the decision is kept."""
    _not_accepted(candidate)
    candidate.status = CandidateStatus.REJECTED
    candidate.reason = NotStatisticReason(reason).value
    candidate.note = note or candidate.note
    _decided(candidate, f"review: rejected ({candidate.reason})")


def mark_duplicate(candidate: Candidate, of: Observation, note: str = "") -> None:
    """The same figure as an observation the corpus already has (from another report)."""
    _not_accepted(candidate)
    _other_document(candidate, of)
    candidate.status = CandidateStatus.DUPLICATE
    candidate.duplicate_of = of
    candidate.note = note or candidate.note
    _decided(candidate, "review: duplicate")
