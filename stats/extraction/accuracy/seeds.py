"""Accuracy on the seeds: the curated annotations of ``seeds/`` as the answer key (in-sample).

:func:`measure` runs :func:`~stats.extraction.suggest.suggest` on every seed text and
compares each curated statistic field by field and each curated non-statistic's flag and
reason (:mod:`stats.extraction.accuracy` says when a field agrees); :func:`format_report`
and :func:`format_misses` print the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

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
from stats.extraction.corpus import build_corpus
from stats.extraction.quantities import Quantity
from stats.extraction.records import ObservationRecord
from stats.extraction.scanner import NumeralMatch
from stats.extraction.sources import DocumentEntry, SeedSources
from stats.extraction.suggest import Suggestion, Vocabulary, suggest

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
        "district": (o.district == s.district, o.district, show(s.district)),
        "indicator": (o.indicator == s.indicator, o.indicator, show(s.indicator)),
        "period": (
            (o.period_label, o.period_start, o.period_end)
            == (s.period_label, s.period_start, s.period_end),
            f"{o.period_label} {show(o.period_start)}..{show(o.period_end)}",
            f"{s.period_label} {show(s.period_start)}..{show(s.period_end)}",
        ),
        "period_end": (o.period_end == s.period_end, show(o.period_end), show(s.period_end)),
        "qualifier": (
            q is not None and q.qualifier == o.quantity.qualifier,
            o.quantity.qualifier.value,
            q.qualifier.value if q else show(s.reading_error),
        ),
        "value": (
            _same_quantity(o.quantity, q),
            f"{o.quantity.value} [{o.quantity.lower_bound}, {o.quantity.upper_bound}]",
            f"{q.value} [{q.lower_bound}, {q.upper_bound}]" if q else show(s.reading_error),
        ),
        "unit": (o.unit == s.unit, o.unit, show(s.unit)),
        "tier": (o.tier == s.tier, show(o.tier), show(s.tier)),
        "initiative": (o.initiative == s.initiative, show(o.initiative), show(s.initiative)),
        "quote": (o.quote == s.quote, o.quote, s.quote),
        "breakdown": (o.breakdown == s.breakdown, o.breakdown or "total", s.breakdown or "total"),
        "statistic": (o.statistic == s.statistic, o.statistic.value, s.statistic.value),
        "status": (o.status == s.status, o.status.value, s.status.value),
    }


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
        suggestion = overlapping(suggestions, observation.figure_start, observation.figure_end)
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
                        context_of(text, observation.figure_start, observation.figure_end),
                    )
                )
    flagged = right_reason = non_statistics = false_alarms = 0
    for candidate, decision in decisions:
        if decision == "statistic" or any(
            s < candidate.end and candidate.start < e for s, e in statistic_spans
        ):
            continue
        non_statistics += 1
        flags, right, miss = judge_non_statistic(
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
    return AccuracyReport(tuple(rows), summed(DocumentAccuracy, rows, "total"), tuple(misses))


def _percent(tally: Tally) -> str:
    agree, total = tally
    return f"{100 * agree / total:.0f}%" if total else "—"


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
            *markdown_table(["document", "stats", *names], statistics),
            "",
            "Measures: the curated indicator suggested, none suggested, another suggested",
            "",
            *markdown_table(
                ["document", "stats", "right", "no measure", "wrong measure"], measures
            ),
            "",
            "Curated non-statistics: flagged as not a statistic",
            "",
            *markdown_table(
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
