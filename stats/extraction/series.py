"""Series and claims: which observations say the same thing, and which of them answers.

An observation's series key (stats.vocabulary.series_key) is its measure, place, sub-unit,
breakdown, statistic, status, tier and initiative. Within one document a series may hold one
figure per period: two figures of one series whose periods overlap are two concepts filed as
one (or a figure read twice), which :func:`overlapping_pairs` finds for the build to refuse.

Across documents, figures of one series and the same period are *claims*, ranked as Wikidata
ranks statements (:func:`rank_claims`): the preferred one answers ``latest`` and the panel, the
others stay visible as ``normal`` (or ``deprecated`` when an analyst says a claim is wrong).
Pure functions: the build uses them on records, the database side on rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stats.vocabulary import ClaimRank, Qualifier

__all__ = ["Claim", "Span", "overlapping_pairs", "periods_overlap", "rank_claims"]


@dataclass(frozen=True)
class Span:
    """A period: either end may be unknown (open)."""

    start: date | None
    end: date | None


def periods_overlap(a: Span, b: Span) -> bool:
    """Whether two periods share a day; an unknown start or end is open, so it may."""
    a_start, a_end = a.start or date.min, a.end or date.max
    b_start, b_end = b.start or date.min, b.end or date.max
    return a_start <= b_end and b_start <= a_end


def overlapping_pairs(periods: Sequence[tuple[str, Span]]) -> list[tuple[str, str]]:
    """The pairs of (label, period) of one series from one document whose periods overlap,
    by label, in the order given."""
    pairs = []
    for i, (label_a, span_a) in enumerate(periods):
        for label_b, span_b in periods[i + 1 :]:
            if periods_overlap(span_a, span_b):
                pairs.append((label_a, label_b))
    return pairs


@dataclass(frozen=True)
class Claim:
    """One source's figure for a series and period, with what ranking needs to know."""

    source: str  # the document's slug, named in the reason
    published: date  # the latest day the source can have appeared
    qualifier: str
    lower: Decimal | None
    upper: Decimal | None
    given: ClaimRank | None = None  # the analyst's rank wins over the rule


def _precision(claim: Claim) -> tuple[int, Decimal]:
    """Smaller is more precise: an exact figure first, then the narrower bounds."""
    exact = 0 if claim.qualifier == Qualifier.EXACT else 1
    if claim.lower is None or claim.upper is None:
        return exact, Decimal("Infinity")
    return exact, claim.upper - claim.lower


def rank_claims(claims: Sequence[Claim]) -> list[tuple[ClaimRank, str]]:
    """Rank the claims of one series and period: the rank of each, in order, with the reason.

    A lone claim is preferred. Of several, an analyst's ``preferred`` wins; otherwise the most
    precise figure (exact before bounded, then narrower bounds), and of equally precise ones
    the later source. The rest are ``normal``, or ``deprecated`` where the analyst says so.
    """
    if len(claims) == 1:
        claim = claims[0]
        return [(claim.given or ClaimRank.PREFERRED, "the only source for this period")]
    candidates = [i for i, c in enumerate(claims) if c.given is ClaimRank.PREFERRED] or [
        i for i, c in enumerate(claims) if c.given is not ClaimRank.DEPRECATED
    ]
    if not candidates:
        candidates = list(range(len(claims)))
    best = min(
        candidates,
        key=lambda i: (
            claims[i].given is not ClaimRank.PREFERRED,
            _precision(claims[i]),
            -claims[i].published.toordinal(),
            claims[i].source,
        ),
    )
    winner = claims[best]
    rivals = [claims[i] for i in candidates if i != best]
    if winner.given is ClaimRank.PREFERRED:
        why = "preferred by the analyst"
    elif not rivals:
        why = "the only source not deprecated"
    elif all(_precision(winner) < _precision(o) for o in rivals):
        why = f"the most precise of {len(candidates)} sources"
    else:
        why = f"the latest of {len(candidates)} equally precise sources"
    ranks = []
    for i, claim in enumerate(claims):
        if i == best:
            ranks.append((ClaimRank.PREFERRED, why))
        elif claim.given is ClaimRank.DEPRECATED:
            ranks.append((ClaimRank.DEPRECATED, "deprecated by the analyst"))
        else:
            ranks.append((ClaimRank.NORMAL, f"{winner.source} is preferred: {why}"))
    return ranks
