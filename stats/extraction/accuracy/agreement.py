"""What agreeing means, for the seeds and for held-out articles alike.

A :data:`Tally` (agreeing, out of) per field, a :class:`Miss` per disagreement, which
suggestion answers a figure (the first whose figure overlaps it), how a figure that is not a
statistic is judged, the sum of rows of tallies, and the Markdown table both reports print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, TypeVar

from stats.extraction.suggest import Suggestion

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Tally = tuple[int, int]  # (agreeing, out of)


@dataclass(frozen=True)
class Miss:
    """One field of one curated statistic on which the suggestion disagrees."""

    document: str
    figure_start: int
    figure: str
    field: str
    curated: str
    suggested: str
    context: str


def overlapping(suggestions: Sequence[Suggestion], start: int, end: int) -> Suggestion | None:
    """The first suggestion whose figure overlaps ``start``–``end``."""
    return next((s for s in suggestions if s.figure_start < end and start < s.figure_end), None)


def judge_non_statistic(
    document: str,
    text: str,
    span: tuple[int, int],
    reason: str,
    suggestions: Sequence[Suggestion],
) -> tuple[bool, bool, Miss | None]:
    """Whether the suggestion over a figure that is not a statistic (for ``reason``) flags it,
    whether with that reason, and the disagreement to list when not."""
    start, end = span
    figure, context = text[start:end], context_of(text, start, end)
    suggestion = overlapping(suggestions, start, end)
    if suggestion is None or suggestion.not_statistic is None:
        got = "statistic" + (f" {suggestion.indicator}" if suggestion else "")
        return False, False, Miss(document, start, figure, "false_alarm", reason, got, context)
    suggested = suggestion.not_statistic.value
    if suggested == reason:
        return True, True, None
    return True, False, Miss(document, start, figure, "reason", reason, suggested, context)


def show(value: object) -> str:
    return "—" if value is None else str(value)


def context_of(text: str, start: int, end: int, width: int = 16) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return f"{before}【{text[start:end]}】{after}".replace("\n", "⏎")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown pipe table, columns padded to their widest cell."""
    cells = [[str(c) for c in header], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        padded = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths)) + "|"
    )
    return [line(cells[0]), rule, *(line(row) for row in cells[1:])]


_Row = TypeVar("_Row", bound="DataclassInstance")


def summed(cls: type[_Row], rows: Sequence[_Row], document: str) -> _Row:
    """A row of ``cls`` named ``document`` whose tallies and counts are the sums of ``rows``'
    (and whose ``misses``, where it has them, all of theirs)."""
    values: dict[str, object] = {"document": document}
    for f in fields(cls):
        if f.name == "document":
            continue
        items = [getattr(row, f.name) for row in rows]
        if f.name == "misses":
            values[f.name] = tuple(m for item in items for m in item)
        elif items and isinstance(items[0], tuple):
            values[f.name] = (sum(i[0] for i in items), sum(i[1] for i in items))
        else:
            values[f.name] = sum(items)
    return cls(**values)
