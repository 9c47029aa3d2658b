"""Human-readable coverage report of a corpus build: what was found and how it was triaged.

``python -m stats.extraction.report [SLUG ...]`` prints it without Django, for analysts working
on annotations; ``manage.py build_fixtures`` prints the same summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stats.extraction.corpus import build_corpus
from stats.extraction.records import Corpus
from stats.extraction.sources import read_seed_sources
from stats.vocabulary import NotStatisticReason

__all__ = ["format_coverage", "format_errors", "format_untriaged"]


def format_coverage(corpus: Corpus) -> str:
    """A table: numerals found, statistics, explained non-statistics by reason, untriaged."""
    reasons = [r.value for r in NotStatisticReason]
    header = (
        f"{'document':<14} {'found':>6} {'stats':>6} {'explained':>9} {'untriaged':>9}  by reason"
    )
    lines = [header, "-" * len(header)]
    totals = [0, 0, 0, 0]
    for slug in sorted(corpus.coverage):
        c = corpus.coverage[slug]
        by_reason = ", ".join(f"{r} {c.explained[r]}" for r in reasons if c.explained[r])
        row = [c.found, c.statistics, c.explained_total, len(c.untriaged)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        lines.append(f"{slug:<14} {row[0]:>6} {row[1]:>6} {row[2]:>9} {row[3]:>9}  {by_reason}")
    lines.append(f"{'total':<14} {totals[0]:>6} {totals[1]:>6} {totals[2]:>9} {totals[3]:>9}")
    lines.append(
        f"observations: {len(corpus.observations)}, tier chains: "
        f"{len(corpus.tier_chains)}, initiative mentions: {len(corpus.mentions)}"
    )
    return "\n".join(lines)


def format_untriaged(corpus: Corpus, slugs: list[str] | None = None, width: int = 18) -> str:
    """Each untriaged numeral with the text around it, to write annotations from."""
    texts = {d.slug: d.text for d in corpus.sources.documents}
    lines = []
    for slug in sorted(corpus.coverage):
        if slugs and slug not in slugs:
            continue
        for match in corpus.coverage[slug].untriaged:
            text = texts[slug]
            before = text[max(0, match.start - width) : match.start].replace("\n", "⏎")
            after = text[match.end : match.end + width].replace("\n", "⏎")
            lines.append(f"{slug} @{match.start:<5} {before}【{match.text}】{after}")
    return "\n".join(lines)


def format_errors(corpus: Corpus) -> str:
    """One line per annotation problem."""
    return "\n".join(str(error) for error in corpus.errors)


def main(argv: list[str]) -> int:
    corpus = build_corpus(read_seed_sources(Path("seeds")))
    if corpus.errors:
        print(format_errors(corpus))
        print()
    print(format_coverage(corpus))
    untriaged = format_untriaged(corpus, argv or None)
    if untriaged:
        print("\nuntriaged:\n" + untriaged)
    return 1 if corpus.errors or corpus.untriaged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
