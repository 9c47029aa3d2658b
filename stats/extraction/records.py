"""What a corpus build produces: observation records, tier chains, initiative mentions, each
document's coverage, and the :class:`Corpus` that holds them with every problem found.

:func:`stats.extraction.corpus.build_corpus` makes them (and names them too);
:mod:`stats.extraction.fixtures` renders them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from stats.extraction.quantities import Quantity
from stats.extraction.scanner import NumeralMatch
from stats.extraction.sources import AnnotationError, SeedSources
from stats.vocabulary import ClaimRank, PeriodKind, Statistic, Status

__all__ = [
    "Corpus",
    "DocumentCoverage",
    "InitiativeMention",
    "ObservationRecord",
    "TierChainLinkRecord",
    "TierChainRecord",
]


@dataclass(frozen=True)
class ObservationRecord:
    """One figure with its meaning and where it was read. ``quote == text[start:end]``."""

    document: str
    start: int
    end: int
    quote: str
    figure_start: int
    figure_end: int
    indicator: str
    district: str
    sub_unit: str
    tier: str | None
    initiative: str | None
    period_label: str
    period_start: date | None
    period_end: date | None
    period_kind: PeriodKind
    quantity: Quantity
    unit: str
    note: str
    breakdown: str = ""
    statistic: Statistic = Statistic.LEVEL
    status: Status = Status.ACTUAL
    series: str = ""
    rank: ClaimRank = ClaimRank.PREFERRED
    rank_reason: str = ""
    rank_given: ClaimRank | None = None  # the analyst's rank, which the build keeps


@dataclass(frozen=True)
class TierChainLinkRecord:
    """One tier in a chain, with its words as written."""

    position: int
    tier: str
    words: str
    start: int
    end: int


@dataclass(frozen=True)
class TierChainRecord:
    """A chain of organisation tiers as a text spells it out."""

    document: str
    district: str
    label: str
    start: int
    end: int
    quote: str
    links: tuple[TierChainLinkRecord, ...]


@dataclass(frozen=True)
class InitiativeMention:
    """Where a text names an initiative."""

    initiative: str
    document: str
    start: int
    end: int
    quote: str


@dataclass
class DocumentCoverage:
    """How every numeral of one document was accounted for."""

    document: str
    found: int = 0
    statistics: int = 0
    explained: Counter[str] = field(default_factory=Counter)
    untriaged: list[NumeralMatch] = field(default_factory=list)
    #: Every numeral in text order with the decision on it: "statistic", the reason it is not
    #: one, or "" when untriaged.
    decisions: list[tuple[NumeralMatch, str]] = field(default_factory=list)

    @property
    def explained_total(self) -> int:
        return sum(self.explained.values())


@dataclass
class Corpus:
    """The result of a build: records, coverage, and every problem found."""

    sources: SeedSources
    observations: list[ObservationRecord] = field(default_factory=list)
    tier_chains: list[TierChainRecord] = field(default_factory=list)
    mentions: list[InitiativeMention] = field(default_factory=list)
    coverage: dict[str, DocumentCoverage] = field(default_factory=dict)
    errors: list[AnnotationError] = field(default_factory=list)
    #: Each document's ``defaults.district``, from its first annotation file (in name order).
    default_districts: dict[str, str] = field(default_factory=dict)

    @property
    def untriaged(self) -> int:
        return sum(len(c.untriaged) for c in self.coverage.values())
