"""Accuracy on held-out and tuning articles, each with its own answer key beside its text.

:func:`measure_held_out` runs :func:`~stats.extraction.suggest.suggest` on one article
(``*.txt``) and compares it with its key (``*.yaml``: the figures, each with its indicator or
null, breakdown, statistic and status, and as the key chooses its district, figure read, unit,
period end; and figures that are not statistics, with the reason). Held-out articles
(``*-heldout-*``) were not used to tune the rules; tuning articles (``*-tuning-*``) may be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from stats.extraction.accuracy.agreement import (
    Miss,
    Tally,
    context_of,
    judge_non_statistic,
    markdown_table,
    overlapping,
    show,
    summed,
)
from stats.extraction.periods import PublicationWindow
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.vocabulary import breakdown_key, parse_breakdown

#: The fields an answer key of a held-out article gives.
HELD_OUT_FIELDS = ("found", "indicator", "breakdown", "statistic", "status")


@dataclass(frozen=True)
class HeldOutAccuracy:
    """Agreement of the suggestions with the answer key of one held-out (or tuning) article.

    Each field counts "agreeing / keyed": a key need not give every field (the first key,
    changle-heldout-2023, gives found, indicator, breakdown, statistic and status only), so
    ``keyed`` differs between fields."""

    document: str
    statistics: int
    found: Tally
    indicator: Tally
    breakdown: Tally
    statistic: Tally
    status: Tally
    no_measure: int  # no indicator suggested where the key has one
    wrong_measure: int  # another indicator suggested (the key's may be null)
    misses: tuple[Miss, ...] = field(default=(), repr=False)
    district: Tally = (0, 0)
    figure: Tally = (0, 0)  # qualifier and value read as the key gives them
    unit: Tally = (0, 0)
    period: Tally = (0, 0)  # the period's end date
    non_statistics: int = 0
    flagged: Tally = (0, 0)  # keyed non-statistics suggested as not a statistic
    reason: Tally = (0, 0)  # … with the keyed reason


#: Fields a key may give beyond :data:`HELD_OUT_FIELDS`, compared where given.
HELD_OUT_EXTRA_FIELDS = ("figure", "district", "unit", "period")


def _decimal_text(value: object) -> str:
    if value is None:
        return "—"
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def _occurrence(text: str, figure: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.index(figure, start + 1)
    return start


_NAMES = (*HELD_OUT_FIELDS, *HELD_OUT_EXTRA_FIELDS)


@dataclass
class _Scores:
    """Running counts of one article's keyed statistics: per field agreeing and keyed, the
    measures missing or wrong, the disagreements."""

    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_NAMES, 0))
    keyed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_NAMES, 0))
    no_measure: int = 0
    wrong_measure: int = 0
    misses: list[Miss] = field(default_factory=list)

    def measure(self, indicator: object, suggestion: Suggestion | None) -> None:
        """Count a suggestion without the key's indicator: none suggested, or another."""
        if suggestion is not None and suggestion.indicator != indicator:
            if suggestion.indicator is None:
                self.no_measure += 1
            else:
                self.wrong_measure += 1


def _expected(entry: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    """What the key says of one statistic, field by field (the fields it gives)."""
    breakdown = breakdown_key(parse_breakdown(entry.get("breakdown") or ""))
    expected = {
        "found": "statistic",
        "indicator": show(entry.get("indicator")),
        "breakdown": breakdown or "total",
        "statistic": str(entry.get("statistic", "level")),
        "status": str(entry.get("status", "actual")),
    }
    if key.get("districts_keyed") or "district" in entry:
        expected["district"] = str(entry.get("district", key["district"]))
    if "qualifier" in entry:
        expected["figure"] = f"{entry['qualifier']} {_decimal_text(entry.get('value'))}"
    if "unit" in entry:
        expected["unit"] = str(entry["unit"])
    period_end = entry.get("period_end", key.get("period_end"))
    if period_end is not None:
        expected["period"] = str(period_end)
    return expected


def _got(suggestion: Suggestion | None) -> dict[str, str]:
    """What the suggestion over a keyed figure says, field by field, as the key writes it."""
    if suggestion is None:
        return dict.fromkeys(_NAMES, "no suggestion")
    q = suggestion.quantity
    return {
        "found": "statistic"
        if suggestion.not_statistic is None
        else f"not: {suggestion.not_statistic.value}",
        "indicator": show(suggestion.indicator),
        "breakdown": suggestion.breakdown or "total",
        "statistic": suggestion.statistic.value,
        "status": suggestion.status.value,
        "district": show(suggestion.district),
        "figure": f"{q.qualifier.value} {_decimal_text(q.value)}"
        if q is not None
        else show(suggestion.reading_error),
        "unit": show(suggestion.unit),
        "period": show(suggestion.period_end),
    }


def measure_held_out(text_path: Path, vocabulary: Vocabulary) -> HeldOutAccuracy:
    """Run :func:`suggest` on a held-out article and compare with its answer key (the ``.yaml``
    beside it: ``document``, ``published`` [earliest, latest], ``district`` and ``statistics``,
    each a ``figure`` as written, its ``occurrence`` when it is written more than once, and its
    ``indicator`` (null: no measure fits), ``breakdown``, ``statistic``, ``status``).

    A key may also give, per statistic, ``district`` (default: the key's ``district`` once any
    statistic or the key gives ``districts_keyed: true``), ``value`` and ``qualifier`` (the
    figure read), ``unit`` (as the observation would store it) and ``period_end`` (default: the
    key's ``period_end``); and ``not_statistics``: figures with the ``reason`` they are not
    statistics. Fields a key does not give are not counted."""
    text = text_path.read_text(encoding="utf-8")
    key = yaml.safe_load(text_path.with_suffix(".yaml").read_text(encoding="utf-8"))
    earliest, latest = key["published"]
    window = PublicationWindow(earliest, latest)
    suggestions = suggest(text, window, vocabulary, str(key["district"]))
    document = str(key["document"])
    scores = _Scores()
    entries = key["statistics"]
    for entry in entries:
        figure = str(entry["figure"])
        start = _occurrence(text, figure, int(entry.get("occurrence", 1)))
        suggestion = overlapping(suggestions, start, start + len(figure))
        expected = _expected(entry, key)
        got = _got(suggestion)
        scores.measure(entry.get("indicator"), suggestion)
        for name in (n for n in _NAMES if n in expected):
            scores.keyed[name] += 1
            if got[name] == expected[name]:
                scores.agree[name] += 1
            else:
                context = context_of(text, start, start + len(figure))
                scores.misses.append(
                    Miss(document, start, figure, name, expected[name], got[name], context)
                )
    flagged = right_reason = 0
    others = key.get("not_statistics") or []
    for entry in others:
        figure = str(entry["figure"])
        start = _occurrence(text, figure, int(entry.get("occurrence", 1)))
        flags, right, miss = judge_non_statistic(
            document, text, (start, start + len(figure)), str(entry["reason"]), suggestions
        )
        flagged, right_reason = flagged + flags, right_reason + right
        scores.misses.extend([miss] if miss else [])
    return HeldOutAccuracy(
        document=document,
        statistics=len(entries),
        **{name: (scores.agree[name], scores.keyed[name]) for name in _NAMES},
        no_measure=scores.no_measure,
        wrong_measure=scores.wrong_measure,
        misses=tuple(scores.misses),
        non_statistics=len(others),
        flagged=(flagged, len(others)),
        reason=(right_reason, len(others)),
    )


def _tally(tally: Tally) -> str:
    agreeing, keyed = tally
    return f"{agreeing}/{keyed}" if keyed else "—"


def held_out_total(rows: Sequence[HeldOutAccuracy], document: str = "total") -> HeldOutAccuracy:
    """The sum of ``rows``' tallies (misses included)."""
    return summed(HeldOutAccuracy, rows, document)


#: The held-out table's columns: (header, field), in the order the issue names the fields.
HELD_OUT_COLUMNS = (
    ("found", "found"),
    ("figure read", "figure"),
    ("place", "district"),
    ("measure", "indicator"),
    ("breakdown", "breakdown"),
    ("statistic", "statistic"),
    ("status", "status"),
    ("unit", "unit"),
    ("period end", "period"),
    ("non-statistic", "flagged"),
    ("reason", "reason"),
)


def format_held_out(
    rows: Sequence[HeldOutAccuracy],
    title: str = "Held-out articles (rules not tuned on them): suggestions agreeing / keyed "
    "statistics",
) -> str:
    """A Markdown table of held-out articles: agreeing / keyed per field ("—": not keyed),
    with a total row when there are several; non-statistic: keyed non-statistics suggested
    as not a statistic, reason: with the keyed reason."""
    shown = [*rows, held_out_total(rows)] if len(rows) > 1 else list(rows)
    return "\n".join(
        [
            title,
            "",
            *markdown_table(
                ["document", "stats", *(h for h, _ in HELD_OUT_COLUMNS), "no measure", "wrong"],
                [
                    [
                        row.document,
                        row.statistics,
                        *(_tally(getattr(row, n)) for _, n in HELD_OUT_COLUMNS),
                        row.no_measure,
                        row.wrong_measure,
                    ]
                    for row in shown
                ],
            ),
        ]
    )


def held_out_articles(root: Path) -> list[Path]:
    """The held-out articles under ``root``: texts named ``*-heldout-*.txt`` with a key. The
    rules of stats.extraction.suggest must not be tuned on them."""
    return [
        path for path in sorted(root.glob("*-heldout-*.txt")) if path.with_suffix(".yaml").is_file()
    ]


def tuning_articles(root: Path) -> list[Path]:
    """The tuning articles under ``root``: texts named ``*-tuning-*.txt`` with a key, keyed the
    same way, on which the rules may be tuned (their figures are in-sample)."""
    return [
        path for path in sorted(root.glob("*-tuning-*.txt")) if path.with_suffix(".yaml").is_file()
    ]
