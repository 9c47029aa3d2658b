"""What must hold of every stored figure, as pure checks: each returns the problems it finds.

``manage.py verify_corpus`` (stats.integrity) runs them over a database; they know nothing of
one. A figure is consistent when its quote is the document's text at its offsets, its figure
is inside the quote and reads as ``raw``, its bounds have the shape its qualifier gives
(``超1300`` has a lower bound only, and it is excluded), and reading ``raw`` again gives the
stored quantity (so an edit of ``value`` that leaves ``raw`` alone is caught).
"""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal

from stats.extraction.quantities import FigureError, Qualifier, StoredQuantity, parse_quantity
from stats.extraction.reading import without_layout_space

__all__ = ["StoredQuantity", "bound_problems", "quote_problems", "reading_problems"]


def quote_problems(
    text: str,
    start: int,
    end: int,
    quote: str,
    figure: tuple[int, int, str] | None = None,
) -> list[str]:
    """The quote must be ``text[start:end]``; a figure ``(start, end, raw)`` must lie inside it
    and, without the layout's whitespace, be ``raw``."""
    problems = []
    if not 0 <= start < end <= len(text):
        problems.append(f"offsets {start}–{end} are outside the text ({len(text)} characters)")
    elif text[start:end] != quote:
        found = text[start:end][:40]
        problems.append(f"quote {quote[:40]!r} is not the text at {start}–{end}: {found!r}")
    if figure is not None:
        figure_start, figure_end, raw = figure
        if not start <= figure_start < figure_end <= end:
            problems.append(f"figure offsets {figure_start}–{figure_end} are not inside the quote")
        else:
            written = without_layout_space(text[figure_start:figure_end])
            if written != raw:
                problems.append(f"figure as written {written!r} is not raw {raw!r}")
    return problems


# Which bounds each qualifier gives (stats.extraction.quantities, docs/extraction.md): for each
# side, None (no bound), "value" (the value itself, inclusive or not) or "set" (a bound of its
# own); and whether a value is stated.
_Side = tuple[str | None, bool | None]
_SHAPES: dict[Qualifier, tuple[bool, _Side, _Side]] = {
    Qualifier.EXACT: (True, ("value", True), ("value", True)),
    Qualifier.APPROXIMATE: (True, (None, None), (None, None)),
    Qualifier.MORE_THAN: (True, ("value", False), (None, None)),
    Qualifier.MORE_THAN_BOUNDED: (True, ("value", False), ("set", False)),
    Qualifier.AT_LEAST: (True, ("value", True), (None, None)),
    Qualifier.NEARLY: (True, (None, None), ("value", False)),
    Qualifier.LESS_THAN: (True, (None, None), ("value", False)),
    Qualifier.AT_MOST: (True, (None, None), ("value", True)),
    Qualifier.RANGE: (False, ("set", True), ("set", True)),
    Qualifier.VAGUE: (False, ("set", True), ("set", None)),
}


def _side_problems(
    side: str,
    expected: _Side,
    bound: Decimal | None,
    inclusive: bool | None,
    value: Decimal | None,
) -> list[str]:
    kind, expected_inclusive = expected
    if kind is None:
        if bound is not None or inclusive is not None:
            return [f"has a {side} bound ({bound}) that its qualifier does not give"]
        return []
    if bound is None or inclusive is None:
        return [f"has no {side} bound, or does not say whether it is included"]
    problems = []
    if kind == "value" and bound != value:
        problems.append(f"{side} bound {bound} is not the value {value}")
    if expected_inclusive is not None and inclusive is not expected_inclusive:
        state = "included" if expected_inclusive else "excluded"
        problems.append(f"{side} bound {bound} should be {state}")
    return problems


def bound_problems(stored: StoredQuantity) -> list[str]:
    """The bounds must have the shape the qualifier gives, and enclose the value."""
    try:
        qualifier = Qualifier(stored.qualifier)
    except ValueError:
        return [f"unknown qualifier {stored.qualifier!r}"]
    has_value, lower, upper = _SHAPES[qualifier]
    problems = []
    if has_value and stored.value is None:
        problems.append(f"{qualifier.value} states a value, but value is empty")
    if not has_value and stored.value is not None:
        problems.append(f"{qualifier.value} states no single value, but value is {stored.value}")
    problems += _side_problems(
        "lower", lower, stored.lower_bound, stored.lower_inclusive, stored.value
    )
    problems += _side_problems(
        "upper", upper, stored.upper_bound, stored.upper_inclusive, stored.value
    )
    by_convention = qualifier in (Qualifier.MORE_THAN_BOUNDED, Qualifier.VAGUE)
    if stored.upper_by_convention is not by_convention:
        problems.append(
            f"upper_by_convention is {stored.upper_by_convention}, but {qualifier.value} "
            f"{'takes' if by_convention else 'does not take'} its upper bound by convention"
        )
    low, high = stored.lower_bound, stored.upper_bound
    if low is not None and high is not None and low > high:
        problems.append(f"lower bound {low} is above upper bound {high}")
    return problems


def reading_problems(stored: StoredQuantity) -> list[str]:
    """Reading ``raw`` again must give the stored quantity, field by field."""
    try:
        read = parse_quantity(stored.raw)
    except FigureError as error:
        return [f"raw {stored.raw!r} cannot be read: {error}"]
    expected = replace(StoredQuantity.of(read), raw=stored.raw)
    problems = []
    for field in fields(StoredQuantity):
        have, want = getattr(stored, field.name), getattr(expected, field.name)
        if have != want:  # decimals compare by value: 16000.0000 is 16000
            problems.append(f"{field.name} is {have!r}, but {stored.raw!r} reads {want!r}")
    return problems
