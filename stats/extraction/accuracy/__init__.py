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

from stats.extraction.accuracy.agreement import Miss, Tally
from stats.extraction.accuracy.cli import main
from stats.extraction.accuracy.held_out import (
    HELD_OUT_COLUMNS,
    HELD_OUT_EXTRA_FIELDS,
    HELD_OUT_FIELDS,
    HeldOutAccuracy,
    format_held_out,
    held_out_articles,
    held_out_total,
    measure_held_out,
    tuning_articles,
)
from stats.extraction.accuracy.seeds import (
    STATISTIC_FIELDS,
    AccuracyReport,
    DocumentAccuracy,
    format_misses,
    format_report,
    measure,
    vocabulary_of,
)

__all__ = [
    "HELD_OUT_COLUMNS",
    "HELD_OUT_EXTRA_FIELDS",
    "HELD_OUT_FIELDS",
    "STATISTIC_FIELDS",
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
    "main",
    "measure",
    "measure_held_out",
    "tuning_articles",
    "vocabulary_of",
]
