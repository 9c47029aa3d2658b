"""How good are the suggestions? Measured on the seeds, with the curated annotations as the key.

``python -m stats.extraction.accuracy [--misses] [SLUG ...]`` prints the table (and, with
``--misses``, every disagreement with its context); :func:`measure` returns the same figures as
data for tests.

Input to :func:`~stats.extraction.suggest.suggest` is only what an analyst has for a new
article: the text, the publication window of ``seeds/manifest.yaml``, the document's default
district (``defaults.district`` of its annotation file) and the vocabularies. The curated
annotations (:func:`~stats.extraction.corpus.build_corpus`) are the answer key only.

For each curated statistic the suggestion whose figure overlaps the curated figure is compared
field by field; every count is "agreeing / curated statistics". A field agrees when:

- found: a suggestion overlaps the figure and is not flagged as a non-statistic;
- district, indicator, unit, tier, initiative: the codes are equal (None = None included);
- period: label, start and end all equal; period end: the end dates equal;
- qualifier: the qualifiers equal; value: value, lower and upper bound equal as Decimals
  (None = None), with the same inclusiveness;
- quote: the suggested quote equals the curated context as found in the text;
- breakdown, statistic, status: the canonical breakdown keys, the statistics and the statuses
  are equal.

Of the indicator's disagreements, ``no_measure`` counts suggestions without an indicator where
the curated statistic has one (the reviewer is told what is counted and defines or picks one)
and ``wrong_measure`` suggestions naming another indicator (the reviewer must notice).

For each curated non-statistic (a scanner candidate that no statistic reads): flagged when the
suggestion has a ``not_statistic`` reason, reason when it is the curated reason. A false alarm
is a suggestion offered as a statistic (not flagged) where the curated decision is "not a
statistic"; a false rejection is a curated statistic flagged as a non-statistic.

The seeds are in-sample: the rules were written reading them. :func:`measure_held_out` measures
the same way on an article with its own answer key (``*.yaml`` beside the ``.txt``: the figure,
its indicator or null, breakdown, statistic and status) that the rules were not tuned on.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path

import yaml

from stats.extraction.corpus import ObservationRecord, build_corpus
from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import Quantity
from stats.extraction.scanner import NumeralMatch
from stats.extraction.sources import DocumentEntry, SeedSources, read_seed_sources
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.vocabulary import breakdown_key, parse_breakdown

__all__ = [
    "HELD_OUT_COLUMNS",
    "HELD_OUT_EXTRA_FIELDS",
    "HELD_OUT_FIELDS",
    "AccuracyReport",
    "DocumentAccuracy",
    "HeldOutAccuracy",
    "Miss",
    "Tally",
    "format_held_out",
    "format_misses",
    "format_report",
    "held_out_articles",
    "held_out_total",
    "measure",
    "measure_held_out",
    "tuning_articles",
    "vocabulary_of",
]

Tally = tuple[int, int]  # (agreeing, out of)

#: The statistic fields compared, in table order.
STATISTIC_FIELDS = (
    "found",
    "district",
    "indicator",
    "period",
    "period_end",
    "qualifier",
    "value",
    "unit",
    "tier",
    "initiative",
    "quote",
    "breakdown",
    "statistic",
    "status",
)
#: The fields an answer key of a held-out article gives.
HELD_OUT_FIELDS = ("found", "indicator", "breakdown", "statistic", "status")


@dataclass(frozen=True)
class DocumentAccuracy:
    """Agreement of the suggestions with the curated decisions in one document (or all)."""

    document: str
    numerals: int
    statistics: int
    found: Tally
    district: Tally
    indicator: Tally
    period: Tally
    period_end: Tally
    qualifier: Tally
    value: Tally
    unit: Tally
    tier: Tally
    initiative: Tally
    quote: Tally
    breakdown: Tally
    statistic: Tally
    status: Tally
    no_measure: int  # no indicator suggested where the curated statistic has one
    wrong_measure: int  # another indicator suggested
    non_statistics: int
    flagged: Tally
    reason: Tally
    false_alarms: int
    false_rejections: int


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


@dataclass(frozen=True)
class AccuracyReport:
    """Per document (in manifest order) and in total; the disagreements for inspection."""

    documents: tuple[DocumentAccuracy, ...]
    total: DocumentAccuracy
    misses: tuple[Miss, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, dict[str, object]]:
        """Machine-readable figures: ``{document: {field: value}}``, ``total`` included."""
        rows = (*self.documents, self.total)
        return {
            row.document: {
                f.name: getattr(row, f.name) for f in fields(row) if f.name != "document"
            }
            for row in rows
        }


def _overlapping(suggestions: Sequence[Suggestion], start: int, end: int) -> Suggestion | None:
    """The first suggestion whose figure overlaps ``start``–``end``."""
    return next((s for s in suggestions if s.figure_start < end and start < s.figure_end), None)


def _judge_non_statistic(
    document: str,
    text: str,
    span: tuple[int, int],
    reason: str,
    suggestions: Sequence[Suggestion],
) -> tuple[bool, bool, Miss | None]:
    """Whether the suggestion over a figure that is not a statistic (for ``reason``) flags it,
    whether with that reason, and the disagreement to list when not."""
    start, end = span
    figure, context = text[start:end], _context(text, start, end)
    suggestion = _overlapping(suggestions, start, end)
    if suggestion is None or suggestion.not_statistic is None:
        got = "statistic" + (f" {suggestion.indicator}" if suggestion else "")
        return False, False, Miss(document, start, figure, "false_alarm", reason, got, context)
    suggested = suggestion.not_statistic.value
    if suggested == reason:
        return True, True, None
    return True, False, Miss(document, start, figure, "reason", reason, suggested, context)


def _same_quantity(a: Quantity, b: Quantity | None) -> bool:
    if b is None:
        return False
    return (
        a.value == b.value
        and a.lower_bound == b.lower_bound
        and a.upper_bound == b.upper_bound
        and a.lower_inclusive == b.lower_inclusive
        and a.upper_inclusive == b.upper_inclusive
    )


def _show(value: object) -> str:
    return "—" if value is None else str(value)


def _compare(
    observation: ObservationRecord, suggestion: Suggestion | None
) -> dict[str, tuple[bool, str, str]]:
    """Per field: agreement, the curated value, the suggested value."""
    o, s = observation, suggestion
    if s is None:
        return {name: (False, "", "no suggestion") for name in STATISTIC_FIELDS}
    q = s.quantity
    return {
        "found": (
            s.not_statistic is None,
            "statistic",
            "statistic" if s.not_statistic is None else f"not: {s.not_statistic.value}",
        ),
        "district": (o.district == s.district, o.district, _show(s.district)),
        "indicator": (o.indicator == s.indicator, o.indicator, _show(s.indicator)),
        "period": (
            (o.period_label, o.period_start, o.period_end)
            == (s.period_label, s.period_start, s.period_end),
            f"{o.period_label} {_show(o.period_start)}..{_show(o.period_end)}",
            f"{s.period_label} {_show(s.period_start)}..{_show(s.period_end)}",
        ),
        "period_end": (o.period_end == s.period_end, _show(o.period_end), _show(s.period_end)),
        "qualifier": (
            q is not None and q.qualifier == o.quantity.qualifier,
            o.quantity.qualifier.value,
            q.qualifier.value if q else _show(s.reading_error),
        ),
        "value": (
            _same_quantity(o.quantity, q),
            f"{o.quantity.value} [{o.quantity.lower_bound}, {o.quantity.upper_bound}]",
            f"{q.value} [{q.lower_bound}, {q.upper_bound}]" if q else _show(s.reading_error),
        ),
        "unit": (o.unit == s.unit, o.unit, _show(s.unit)),
        "tier": (o.tier == s.tier, _show(o.tier), _show(s.tier)),
        "initiative": (o.initiative == s.initiative, _show(o.initiative), _show(s.initiative)),
        "quote": (o.quote == s.quote, o.quote, s.quote),
        "breakdown": (o.breakdown == s.breakdown, o.breakdown or "total", s.breakdown or "total"),
        "statistic": (o.statistic == s.statistic, o.statistic.value, s.statistic.value),
        "status": (o.status == s.status, o.status.value, s.status.value),
    }


def _context(text: str, start: int, end: int, width: int = 16) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return f"{before}【{text[start:end]}】{after}".replace("\n", "⏎")


def _measure_document(
    document: DocumentEntry,
    observations: Sequence[ObservationRecord],
    decisions: Sequence[tuple[NumeralMatch, str]],
    vocabulary: Vocabulary,
    default_district: str | None,
) -> tuple[DocumentAccuracy, list[Miss]]:
    text = document.text
    suggestions = suggest(text, document.window, vocabulary, default_district)
    agree = dict.fromkeys(STATISTIC_FIELDS, 0)
    no_measure = wrong_measure = 0
    misses: list[Miss] = []
    statistic_spans = [(o.figure_start, o.figure_end) for o in observations]
    for observation in observations:
        suggestion = _overlapping(suggestions, observation.figure_start, observation.figure_end)
        if suggestion is not None and suggestion.indicator != observation.indicator:
            if suggestion.indicator is None:
                no_measure += 1
            else:
                wrong_measure += 1
        for name, (same, curated, suggested) in _compare(observation, suggestion).items():
            if same:
                agree[name] += 1
            else:
                misses.append(
                    Miss(
                        document.slug,
                        observation.figure_start,
                        text[observation.figure_start : observation.figure_end],
                        name,
                        curated,
                        suggested,
                        _context(text, observation.figure_start, observation.figure_end),
                    )
                )
    flagged = right_reason = non_statistics = false_alarms = 0
    for candidate, decision in decisions:
        if decision == "statistic" or any(
            s < candidate.end and candidate.start < e for s, e in statistic_spans
        ):
            continue
        non_statistics += 1
        flags, right, miss = _judge_non_statistic(
            document.slug, text, (candidate.start, candidate.end), decision, suggestions
        )
        flagged, right_reason = flagged + flags, right_reason + right
        false_alarms += not flags
        misses.extend([miss] if miss else [])
    total = len(observations)
    return (
        DocumentAccuracy(
            document=document.slug,
            numerals=len(decisions),
            statistics=total,
            **{name: (agree[name], total) for name in STATISTIC_FIELDS},
            no_measure=no_measure,
            wrong_measure=wrong_measure,
            non_statistics=non_statistics,
            flagged=(flagged, non_statistics),
            reason=(right_reason, non_statistics),
            false_alarms=false_alarms,
            false_rejections=total - agree["found"],
        ),
        misses,
    )


def _sum(rows: Sequence[DocumentAccuracy]) -> DocumentAccuracy:
    values: dict[str, object] = {"document": "total"}
    for f in fields(DocumentAccuracy):
        if f.name == "document":
            continue
        items = [getattr(row, f.name) for row in rows]
        if items and isinstance(items[0], tuple):
            values[f.name] = (sum(i[0] for i in items), sum(i[1] for i in items))
        else:
            values[f.name] = sum(items)
    return DocumentAccuracy(**values)  # type: ignore[arg-type]


def vocabulary_of(sources: SeedSources) -> Vocabulary:
    """The vocabularies of the seeds, as :func:`suggest` takes them."""
    return Vocabulary(sources.districts, sources.indicators, sources.tiers, sources.initiatives)


def measure(
    sources: SeedSources, default_districts: Mapping[str, str] | None = None
) -> AccuracyReport:
    """Run :func:`suggest` on every seed text and compare with the curated annotations.

    ``default_districts`` maps a document to the district an analyst would give at ingest;
    without it, the annotations' ``defaults.district`` (:attr:`Corpus.default_districts`), and
    for a document without one the manifest's ``place``."""
    built = build_corpus(sources)
    if built.errors:
        raise ValueError(f"the annotations have {len(built.errors)} problem(s): {built.errors[0]}")
    vocabulary = vocabulary_of(sources)
    districts = built.default_districts if default_districts is None else default_districts
    rows, misses = [], []
    for document in sources.documents:
        default = districts.get(document.slug, document.place)
        decisions = built.coverage[document.slug].decisions
        observations = [o for o in built.observations if o.document == document.slug]
        row, document_misses = _measure_document(
            document, observations, decisions, vocabulary, default
        )
        rows.append(row)
        misses.extend(document_misses)
    return AccuracyReport(tuple(rows), _sum(rows), tuple(misses))


def _percent(tally: Tally) -> str:
    agree, total = tally
    return f"{100 * agree / total:.0f}%" if total else "—"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
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


def format_report(report: AccuracyReport) -> str:
    """Two Markdown tables: the curated statistics field by field (agreeing/statistics), then
    the curated non-statistics."""
    rows = (*report.documents, report.total)
    names = [n.replace("_", " ") for n in STATISTIC_FIELDS]
    statistics = [
        [
            row.document,
            row.statistics,
            *(f"{a}/{t}" for a, t in (getattr(row, n) for n in STATISTIC_FIELDS)),
        ]
        for row in rows
    ]
    statistics.append(
        ["total %", "", *(_percent(getattr(report.total, n)) for n in STATISTIC_FIELDS)]
    )
    non_statistics = [
        [
            row.document,
            row.numerals,
            row.non_statistics,
            f"{row.flagged[0]}/{row.flagged[1]}",
            f"{row.reason[0]}/{row.reason[1]}",
            row.false_alarms,
            row.false_rejections,
        ]
        for row in rows
    ]
    total = report.total
    non_statistics.append(
        ["total %", "", "", _percent(total.flagged), _percent(total.reason), "", ""]
    )
    measures = [
        [
            row.document,
            row.statistics,
            f"{row.indicator[0]}/{row.statistics}",
            row.no_measure,
            row.wrong_measure,
        ]
        for row in rows
    ]
    return "\n".join(
        [
            "Curated statistics: suggestions agreeing / curated statistics",
            "",
            *_table(["document", "stats", *names], statistics),
            "",
            "Measures: the curated indicator suggested, none suggested, another suggested",
            "",
            *_table(["document", "stats", "right", "no measure", "wrong measure"], measures),
            "",
            "Curated non-statistics: flagged as not a statistic",
            "",
            *_table(
                [
                    "document",
                    "numerals",
                    "non-statistics",
                    "flagged",
                    "right reason",
                    "false alarms",
                    "false rejections",
                ],
                non_statistics,
            ),
        ]
    )


def format_misses(
    report: AccuracyReport, slugs: Sequence[str] = (), names: Sequence[str] = ()
) -> str:
    """One line per disagreement: document, offset, field, curated → suggested, context."""
    return "\n".join(
        f"{m.document[:8]:<8} @{m.figure_start:<5} {m.field:<11} {m.curated} → {m.suggested}"
        f"   {m.context}"
        for m in report.misses
        if (not slugs or m.document in slugs) and (not names or m.field in names)
    )


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
    names = (*HELD_OUT_FIELDS, *HELD_OUT_EXTRA_FIELDS)
    agree = dict.fromkeys(names, 0)
    keyed = dict.fromkeys(names, 0)
    no_measure = wrong_measure = 0
    misses: list[Miss] = []
    entries = key["statistics"]
    full_key = bool(key.get("districts_keyed"))
    for entry in entries:
        figure = str(entry["figure"])
        start = _occurrence(text, figure, int(entry.get("occurrence", 1)))
        end = start + len(figure)
        suggestion = _overlapping(suggestions, start, end)
        indicator = entry.get("indicator")
        breakdown = breakdown_key(parse_breakdown(entry.get("breakdown") or ""))
        expected = {
            "found": "statistic",
            "indicator": _show(indicator),
            "breakdown": breakdown or "total",
            "statistic": str(entry.get("statistic", "level")),
            "status": str(entry.get("status", "actual")),
        }
        if full_key or "district" in entry:
            expected["district"] = str(entry.get("district", key["district"]))
        if "qualifier" in entry:
            expected["figure"] = f"{entry['qualifier']} {_decimal_text(entry.get('value'))}"
        if "unit" in entry:
            expected["unit"] = str(entry["unit"])
        period_end = entry.get("period_end", key.get("period_end"))
        if period_end is not None:
            expected["period"] = str(period_end)
        if suggestion is None:
            got = dict.fromkeys(names, "no suggestion")
        else:
            q = suggestion.quantity
            got = {
                "found": "statistic"
                if suggestion.not_statistic is None
                else f"not: {suggestion.not_statistic.value}",
                "indicator": _show(suggestion.indicator),
                "breakdown": suggestion.breakdown or "total",
                "statistic": suggestion.statistic.value,
                "status": suggestion.status.value,
                "district": _show(suggestion.district),
                "figure": f"{q.qualifier.value} {_decimal_text(q.value)}"
                if q is not None
                else _show(suggestion.reading_error),
                "unit": _show(suggestion.unit),
                "period": _show(suggestion.period_end),
            }
            if suggestion.indicator != indicator:
                if suggestion.indicator is None:
                    no_measure += 1
                else:
                    wrong_measure += 1
        for name in names:
            if name not in expected:
                continue
            keyed[name] += 1
            if got[name] == expected[name]:
                agree[name] += 1
            else:
                misses.append(
                    Miss(
                        document,
                        start,
                        figure,
                        name,
                        expected[name],
                        got[name],
                        _context(text, start, end),
                    )
                )
    flagged = right_reason = 0
    others = key.get("not_statistics") or []
    for entry in others:
        figure = str(entry["figure"])
        start = _occurrence(text, figure, int(entry.get("occurrence", 1)))
        flags, right, miss = _judge_non_statistic(
            document, text, (start, start + len(figure)), str(entry["reason"]), suggestions
        )
        flagged, right_reason = flagged + flags, right_reason + right
        misses.extend([miss] if miss else [])
    total = len(entries)
    return HeldOutAccuracy(
        document=document,
        statistics=total,
        **{name: (agree[name], keyed[name]) for name in names},
        no_measure=no_measure,
        wrong_measure=wrong_measure,
        misses=tuple(misses),
        non_statistics=len(others),
        flagged=(flagged, len(others)),
        reason=(right_reason, len(others)),
    )


def _tally(tally: Tally) -> str:
    agreeing, keyed = tally
    return f"{agreeing}/{keyed}" if keyed else "—"


def held_out_total(rows: Sequence[HeldOutAccuracy], document: str = "total") -> HeldOutAccuracy:
    """The sum of ``rows``' tallies (misses included)."""
    values: dict[str, object] = {"document": document}
    for f in fields(HeldOutAccuracy):
        if f.name == "document":
            continue
        items = [getattr(row, f.name) for row in rows]
        if f.name == "misses":
            values[f.name] = tuple(m for row in rows for m in row.misses)
        elif items and isinstance(items[0], tuple):
            values[f.name] = (sum(i[0] for i in items), sum(i[1] for i in items))
        else:
            values[f.name] = sum(items)
    return HeldOutAccuracy(**values)  # type: ignore[arg-type]


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
            *_table(
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
    rules of suggest.py must not be tuned on them."""
    return [
        path for path in sorted(root.glob("*-heldout-*.txt")) if path.with_suffix(".yaml").is_file()
    ]


def tuning_articles(root: Path) -> list[Path]:
    """The tuning articles under ``root``: texts named ``*-tuning-*.txt`` with a key, keyed the
    same way, on which the rules may be tuned (their figures are in-sample)."""
    return [
        path for path in sorted(root.glob("*-tuning-*.txt")) if path.with_suffix(".yaml").is_file()
    ]


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    selected = [a for a in argv if not a.startswith("--")]
    seeds = Path("seeds")
    sources = read_seed_sources(seeds)
    report = measure(sources)
    print(format_report(report))
    articles = Path("tests/stats/extraction/articles")
    held_out = [
        measure_held_out(path, vocabulary_of(sources)) for path in held_out_articles(articles)
    ]
    tuning = [measure_held_out(path, vocabulary_of(sources)) for path in tuning_articles(articles)]
    if held_out:
        print()
        print(format_held_out(held_out))
    if tuning:
        print()
        print(
            format_held_out(
                tuning,
                "Tuning articles (in-sample: the rules may be tuned on them): suggestions "
                "agreeing / keyed statistics",
            )
        )
    if show_misses:
        slugs = [
            a for a in selected if a not in STATISTIC_FIELDS and a not in ("false_alarm", "reason")
        ]
        names = [a for a in selected if a in STATISTIC_FIELDS or a in ("false_alarm", "reason")]
        print()
        print(format_misses(report, slugs, names))
        for row in (*held_out, *tuning):
            if not slugs or row.document in slugs:
                shown = AccuracyReport((), report.total, row.misses)
                print(format_misses(shown, (), names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
