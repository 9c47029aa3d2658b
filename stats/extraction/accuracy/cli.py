"""``python -m stats.extraction.accuracy [--misses] [FIELD ...] [SLUG ...]``: the tables.

The seeds' table, then the held-out and the tuning articles' under
``tests/stats/extraction/articles``; with ``--misses``, every disagreement (of the fields and
documents named, if any) with its context.
"""

from __future__ import annotations

from pathlib import Path

from stats.extraction.accuracy.held_out import (
    format_held_out,
    held_out_articles,
    measure_held_out,
    tuning_articles,
)
from stats.extraction.accuracy.seeds import (
    STATISTIC_FIELDS,
    AccuracyReport,
    format_misses,
    format_report,
    measure,
    vocabulary_of,
)
from stats.extraction.sources import read_seed_sources


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
