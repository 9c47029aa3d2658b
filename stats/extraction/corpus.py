"""Resolve the reviewed annotations against the seed texts into observation records.

This is the whole reading of the corpus, pure and deterministic: the scanner proposes every
figure candidate, the annotations say what each one means, and the result is a list of records
with exact offsets plus a coverage report per document. Nothing here touches a database.

Precedence when several things explain one candidate: a statistic annotation, then a
non-statistic annotation of that document, then being part of a known initiative's name, then
being a calendar date, then a common word (:mod:`stats.extraction.common_words`). Two
annotations of the same level on one candidate are an error, as is an annotation that explains
nothing.

The records built are defined in :mod:`stats.extraction.records`;
the vocabularies' own consistency is checked by :mod:`stats.extraction.consistency`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from stats.extraction.common_words import COMMON_WORDS
from stats.extraction.consistency import vocabulary_problems
from stats.extraction.periods import PeriodError, resolve_period
from stats.extraction.quantities import FigureError, Quantity, parse_quantity
from stats.extraction.records import (
    Corpus,
    DocumentCoverage,
    InitiativeMention,
    ObservationRecord,
    TierChainLinkRecord,
    TierChainRecord,
)
from stats.extraction.scanner import NumeralKind, NumeralMatch, scan_numerals
from stats.extraction.series import Claim, Span, overlapping_pairs, rank_claims
from stats.extraction.sources import (
    AnnotationError,
    DocumentAnnotations,
    DocumentEntry,
    IndicatorEntry,
    SeedSources,
    StatisticNote,
)
from stats.vocabulary import (
    NotStatisticReason,
    PeriodKind,
    observation_unit,
    series_key,
    unit_problem,
)

__all__ = ["NOT_STATED", "build_corpus", "find_context"]

#: The period phrase to write when a text states no period; the figure is then read as a stock
#: observed in the publication window.
NOT_STATED = "未写明"

_CHAIN_SEPARATOR = re.compile(r"[—－\-–]+")


def _context_pattern(context: str) -> re.Pattern[str]:
    # Layout white space may fall anywhere in the text; annotations are written without it.
    chars = [re.escape(c) for c in context if not c.isspace()]
    return re.compile(r"\s*".join(chars))


def find_context(text: str, context: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``context`` occurs in ``text``, ignoring white space."""
    if not context.strip():
        return []
    return [(m.start(), m.end()) for m in _context_pattern(context).finditer(text)]


def _overlaps(a_start: int, a_end: int, b: NumeralMatch) -> bool:
    return a_start < b.end and b.start < a_end


@dataclass
class _Claim:
    level: int  # lower wins
    reason: str  # "statistic" or a NotStatisticReason value
    by: str  # what made the claim, for messages


_LEVEL_STATISTIC, _LEVEL_ANNOTATION, _LEVEL_INITIATIVE, _LEVEL_DATE, _LEVEL_WORD = range(5)


class _DocumentBuild:
    def __init__(self, corpus: Corpus, document: DocumentEntry) -> None:
        self.corpus = corpus
        self.document = document
        self.text = document.text
        self.candidates = scan_numerals(self.text)
        self.claims: dict[int, _Claim] = {}  # candidate index → the winning claim

    def claim(self, start: int, end: int, claim: _Claim, file: str, context: str) -> int:
        """Claim the candidates overlapping [start, end); return how many it touched."""
        touched = 0
        for index, candidate in enumerate(self.candidates):
            if not _overlaps(start, end, candidate):
                continue
            touched += 1
            held = self.claims.get(index)
            if held is None or claim.level < held.level:
                self.claims[index] = claim
            elif held.level == claim.level and claim.level <= _LEVEL_ANNOTATION:
                self.corpus.errors.append(
                    AnnotationError(
                        file,
                        context,
                        f"numeral {candidate.text!r} at {candidate.start} is already annotated by "
                        f"{held.by!r}",
                    )
                )
        return touched


def _ensure_known(
    corpus: Corpus, file: str, context: str, kind: str, code: str | None, known: Iterable[str]
) -> bool:
    if code is None:
        return True
    if code not in set(known):
        corpus.errors.append(AnnotationError(file, context, f"unknown {kind} {code!r}"))
        return False
    return True


@dataclass(frozen=True)
class _Known:
    """The codes a statistic annotation may name, and the successors of replaced measures."""

    indicators: dict[str, IndicatorEntry]
    successors: dict[str, str]
    districts: set[str]
    tiers: set[str]
    initiatives: set[str]

    @classmethod
    def of(cls, sources: SeedSources) -> _Known:
        return cls(
            indicators={i.code: i for i in sources.indicators},
            successors={old: i.code for i in sources.indicators for old in i.replaces},
            districts={d.code for d in sources.districts},
            tiers={t.code for t in sources.tiers},
            initiatives={i.code for i in sources.initiatives},
        )


#: Where one statistic annotation reads its figure: the context's and the figure's spans.
_Located = tuple[int, int, int, int]


def _statistics(corpus: Corpus, build: _DocumentBuild, notes: DocumentAnnotations) -> None:
    """Resolve each statistic annotation of one file into an observation record."""
    known = _Known.of(corpus.sources)
    for note in notes.statistics:
        record = _statistic(corpus, build, notes, note, known)
        if record is not None:
            corpus.observations.append(record)


def _statistic(
    corpus: Corpus,
    build: _DocumentBuild,
    notes: DocumentAnnotations,
    note: StatisticNote,
    known: _Known,
) -> ObservationRecord | None:
    """The record of one statistic annotation: its codes known, its context and figure found,
    its numeral claimed (and the layout's repeats of it), its quantity read in a unit that
    serves the measure, its period resolved. None, with the problems in ``corpus.errors``,
    when any step fails."""

    def fail(problem: str) -> None:
        corpus.errors.append(AnnotationError(notes.file, note.context, problem))

    if note.indicator in known.successors:
        fail(f"indicator {note.indicator!r} was replaced by {known.successors[note.indicator]!r}")
        return None
    ok = _codes_known(corpus, notes.file, note, known)
    located = _locate(build, note, fail)
    if located is None or not ok:
        return None
    _, _, figure_start, figure_end = located[0]
    raw = build.text[figure_start:figure_end]
    if not _claim_statistic(build, notes.file, note, located):
        fail(f"figure {raw!r} holds no numeral")
        return None
    try:
        quantity = parse_quantity(raw)
    except FigureError as error:
        fail(f"figure {raw!r} cannot be read: {error}")
        return None
    indicator = known.indicators[note.indicator]
    problem = unit_problem(
        raw, quantity.unit, note.unit, indicator.code, indicator.unit, note.statistic
    )
    if problem:
        fail(problem)
        return None
    period = _period(corpus, notes, note, build.document)
    if period is None:
        return None
    return _record(build, note, indicator, located[0], quantity, period)


def _codes_known(corpus: Corpus, file: str, note: StatisticNote, known: _Known) -> bool:
    """Whether the note's indicator, district, tier and initiative are known (each unknown one
    is reported)."""
    return all(
        [
            _ensure_known(
                corpus, file, note.context, "indicator", note.indicator, known.indicators
            ),
            _ensure_known(corpus, file, note.context, "district", note.district, known.districts),
            _ensure_known(corpus, file, note.context, "tier", note.tier, known.tiers),
            _ensure_known(
                corpus, file, note.context, "initiative", note.initiative, known.initiatives
            ),
        ]
    )


def _locate(
    build: _DocumentBuild, note: StatisticNote, fail: Callable[[str], None]
) -> list[_Located] | None:
    """Where the note's context stands (once, or each time the layout repeats it) and its figure
    in each: the one numeral of the context, or the ``figure`` the note names."""
    text = build.text
    spans = find_context(text, note.context)
    if not spans:
        fail("context not found in the text")
        return None
    if len(spans) > 1 and not note.repeats:
        fail(
            f"context occurs {len(spans)} times (at {', '.join(str(s) for s, _ in spans)});"
            " lengthen it, or set 'repeats: true' if the layout printed it twice"
        )
        return None
    located = []
    for span_start, span_end in spans:
        if note.figure is None:
            inside = [c for c in build.candidates if span_start <= c.start and c.end <= span_end]
            if len(inside) != 1:
                fail(
                    f"context holds {len(inside)} numerals "
                    f"({', '.join(c.text for c in inside) or 'none'}); say which with "
                    "'figure'"
                )
                return None
            located.append((span_start, span_end, inside[0].start, inside[0].end))
        else:
            figure_spans = find_context(text[span_start:span_end], note.figure)
            if len(figure_spans) != 1:
                fail(
                    f"figure {note.figure!r} occurs {len(figure_spans)} times in the "
                    "context; it must occur once"
                )
                return None
            f_start, f_end = figure_spans[0]
            located.append((span_start, span_end, span_start + f_start, span_start + f_end))
    return located


def _claim_statistic(
    build: _DocumentBuild, file: str, note: StatisticNote, located: list[_Located]
) -> bool:
    """Claim the figure's numerals as a statistic and the repeats' as ``layout_repeat``;
    False when the figure holds no numeral (nothing of the repeats is claimed then)."""
    _, _, figure_start, figure_end = located[0]
    claim = _Claim(_LEVEL_STATISTIC, "statistic", note.context)
    if build.claim(figure_start, figure_end, claim, file, note.context) == 0:
        return False
    repeat = _Claim(_LEVEL_ANNOTATION, NotStatisticReason.LAYOUT_REPEAT.value, note.context)
    for _, _, repeat_start, repeat_end in located[1:]:
        build.claim(repeat_start, repeat_end, repeat, file, note.context)
    return True


def _record(
    build: _DocumentBuild,
    note: StatisticNote,
    indicator: IndicatorEntry,
    located: _Located,
    quantity: Quantity,
    period: tuple[str, date | None, date | None, PeriodKind],
) -> ObservationRecord:
    start, end, figure_start, figure_end = located
    label, period_start, period_end, kind = period
    tier = note.tier or indicator.tier
    return ObservationRecord(
        document=build.document.slug,
        start=start,
        end=end,
        quote=build.text[start:end],
        figure_start=figure_start,
        figure_end=figure_end,
        indicator=note.indicator,
        district=note.district,
        sub_unit=note.sub_unit,
        tier=tier,
        initiative=note.initiative,
        period_label=label,
        period_start=period_start,
        period_end=period_end,
        period_kind=kind,
        quantity=quantity,
        unit=observation_unit(quantity.unit, note.unit, indicator.unit, note.statistic),
        note=note.note,
        breakdown=note.breakdown,
        statistic=note.statistic,
        status=note.status,
        series=series_key(
            indicator=note.indicator,
            district=note.district,
            sub_unit=note.sub_unit,
            breakdown=note.breakdown,
            statistic=note.statistic,
            status=note.status,
            tier=tier,
            initiative=note.initiative,
        ),
        rank_given=note.rank,
    )


def _period(
    corpus: Corpus, notes: DocumentAnnotations, note: StatisticNote, document: DocumentEntry
) -> tuple[str, date | None, date | None, PeriodKind] | None:
    phrase = note.period
    if not phrase:
        corpus.errors.append(
            AnnotationError(
                notes.file,
                note.context,
                f"no period: give 'period' (the phrase as written, or {NOT_STATED!r})",
            )
        )
        return None
    if note.period_start or note.period_end:
        # Explicit dates win: the phrase stays as the label.
        start: date | None = note.period_start
        end: date | None = note.period_end
        kind = note.kind or PeriodKind.FLOW
    elif phrase == NOT_STATED:
        # A stock is observed somewhere in the publication window; a flow or a cumulative count
        # with no stated period ends by publication but starts at an unknown date.
        kind = note.kind or PeriodKind.STOCK
        start = document.published_earliest if kind is PeriodKind.STOCK else None
        end = document.published_latest
    else:
        try:
            resolved = resolve_period(phrase, document.window)
        except PeriodError as error:
            corpus.errors.append(AnnotationError(notes.file, note.context, str(error)))
            return None
        start, end, kind = resolved.start, resolved.end, note.kind or resolved.kind
    if phrase != NOT_STATED and not find_context(document.text, phrase):
        corpus.errors.append(
            AnnotationError(
                notes.file,
                note.context,
                f"period {phrase!r} is not written in the text; use the phrase as written or "
                f"{NOT_STATED!r}",
            )
        )
        return None
    if start and end and start > end:
        corpus.errors.append(
            AnnotationError(notes.file, note.context, f"period starts {start} after it ends {end}")
        )
        return None
    return phrase, start, end, kind


def _not_statistics(corpus: Corpus, build: _DocumentBuild, notes: DocumentAnnotations) -> None:
    for note in notes.not_statistics:
        spans = find_context(build.text, note.context)
        problem = None
        if not spans:
            problem = "context not found in the text"
        elif note.occurrence is None and len(spans) > 1:
            problem = (
                f"context occurs {len(spans)} times; lengthen it, or set "
                "'occurrence: all' or 'occurrence: N'"
            )
        elif note.occurrence and note.occurrence > len(spans):
            problem = f"occurrence {note.occurrence} asked, the context occurs {len(spans)} times"
        if problem:
            corpus.errors.append(AnnotationError(notes.file, note.context, problem))
            continue
        if note.occurrence:
            spans = [spans[note.occurrence - 1]]
        claim = _Claim(_LEVEL_ANNOTATION, note.reason.value, note.context)
        for span_start, span_end in spans:
            start, end = span_start, span_end
            if note.numeral is not None:
                inner = find_context(build.text[span_start:span_end], note.numeral)
                if len(inner) != 1:
                    corpus.errors.append(
                        AnnotationError(
                            notes.file,
                            note.context,
                            f"numeral {note.numeral!r} occurs {len(inner)} times in the context; "
                            "it must occur once",
                        )
                    )
                    break
                start, end = span_start + inner[0][0], span_start + inner[0][1]
            if build.claim(start, end, claim, notes.file, note.context) == 0:
                corpus.errors.append(
                    AnnotationError(
                        notes.file, note.context, "explains no numeral: nothing to annotate"
                    )
                )
                break


def _tier_chains(corpus: Corpus, build: _DocumentBuild, notes: DocumentAnnotations) -> None:
    known_tiers = {t.code for t in corpus.sources.tiers}
    districts = {d.code for d in corpus.sources.districts}
    for note in notes.tier_chains:
        spans = find_context(build.text, note.context)
        if len(spans) != 1:
            corpus.errors.append(
                AnnotationError(
                    notes.file,
                    note.context,
                    f"tier chain occurs {len(spans)} times; it must occur once",
                )
            )
            continue
        start, end = spans[0]
        quote = build.text[start:end]
        words = [
            (m.start(), m.end()) for m in re.finditer(r"[^—－\-–\s]+(?:\s+[^—－\-–\s]+)*", quote)
        ]
        if len(words) != len(note.tiers):
            corpus.errors.append(
                AnnotationError(
                    notes.file,
                    note.context,
                    f"the chain has {len(words)} links but {len(note.tiers)} tiers are given",
                )
            )
            continue
        unknown = [t for t in note.tiers if t not in known_tiers]
        if unknown or note.district not in districts:
            corpus.errors.append(
                AnnotationError(
                    notes.file,
                    note.context,
                    f"unknown tier(s) {', '.join(unknown)}"
                    if unknown
                    else f"unknown district {note.district!r}",
                )
            )
            continue
        links = tuple(
            TierChainLinkRecord(
                position=i + 1,
                tier=tier,
                words=quote[w_start:w_end],
                start=start + w_start,
                end=start + w_end,
            )
            for i, (tier, (w_start, w_end)) in enumerate(zip(note.tiers, words, strict=True))
        )
        corpus.tier_chains.append(
            TierChainRecord(
                document=build.document.slug,
                district=note.district,
                label=note.label,
                start=start,
                end=end,
                quote=quote,
                links=links,
            )
        )
        build.claim(
            start,
            end,
            _Claim(_LEVEL_ANNOTATION, NotStatisticReason.STRUCTURE.value, note.context),
            notes.file,
            note.context,
        )


def _mentions(corpus: Corpus, build: _DocumentBuild) -> None:
    for initiative in corpus.sources.initiatives:
        names = sorted({initiative.name_zh, *initiative.aliases}, key=len, reverse=True)
        taken: list[tuple[int, int]] = []
        for name in names:
            for start, end in find_context(build.text, name):
                if any(s <= start and end <= e for s, e in taken):
                    continue
                taken.append((start, end))
        for start, end in sorted(taken):
            corpus.mentions.append(
                InitiativeMention(
                    initiative=initiative.code,
                    document=build.document.slug,
                    start=start,
                    end=end,
                    quote=build.text[start:end],
                )
            )
            build.claim(
                start,
                end,
                _Claim(_LEVEL_INITIATIVE, NotStatisticReason.NAME.value, initiative.code),
                "initiatives",
                initiative.code,
            )


def _rules_and_words(corpus: Corpus, build: _DocumentBuild) -> None:
    for index, candidate in enumerate(build.candidates):
        if candidate.kind is NumeralKind.DATE and index not in build.claims:
            build.claims[index] = _Claim(_LEVEL_DATE, NotStatisticReason.DATE.value, "date rule")
    for word in COMMON_WORDS:
        claim = _Claim(_LEVEL_WORD, word.reason.value, word.word)
        for start, end in find_context(build.text, word.word):
            for index, candidate in enumerate(build.candidates):
                inside = start <= candidate.start and candidate.end <= end
                if inside and index not in build.claims:
                    build.claims[index] = claim


def _label(record: ObservationRecord) -> str:
    return f"{record.document}:{record.figure_start} {record.quantity.raw!r}"


def _check_series(corpus: Corpus) -> None:
    """Refuse two figures of one series from one document whose periods overlap."""
    groups: dict[tuple[str, str], list[ObservationRecord]] = {}
    for record in corpus.observations:
        groups.setdefault((record.document, record.series), []).append(record)
    for (document, series), records in groups.items():
        spans = [(_label(r), Span(r.period_start, r.period_end)) for r in records]
        for first, second in overlapping_pairs(spans):
            corpus.errors.append(
                AnnotationError(
                    document,
                    series,
                    f"{first} and {second} are one series with overlapping periods: tell them "
                    "apart (measure, breakdown, statistic, status, sub_unit) or drop one",
                )
            )


def _ranked(corpus: Corpus) -> list[ObservationRecord]:
    """The records with the rank of each among the claims of its series and period."""
    published = {d.slug: d.published_latest for d in corpus.sources.documents}
    groups: dict[tuple[object, ...], list[int]] = {}
    for index, record in enumerate(corpus.observations):
        key = (record.series, record.period_start, record.period_end, record.period_kind)
        groups.setdefault(key, []).append(index)
    ranked = list(corpus.observations)
    for indexes in groups.values():
        claims = [
            Claim(
                source=ranked[i].document,
                published=published[ranked[i].document],
                qualifier=ranked[i].quantity.qualifier,
                lower=ranked[i].quantity.lower_bound,
                upper=ranked[i].quantity.upper_bound,
                given=ranked[i].rank_given,
            )
            for i in indexes
        ]
        for i, (rank, reason) in zip(indexes, rank_claims(claims), strict=True):
            ranked[i] = replace(ranked[i], rank=rank, rank_reason=reason)
    return ranked


def build_corpus(sources: SeedSources) -> Corpus:
    """Resolve every annotation against its text; collect records, coverage and all errors."""
    corpus = Corpus(sources=sources, errors=list(sources.errors))
    corpus.errors.extend(vocabulary_problems(sources))
    by_document: dict[str, list[DocumentAnnotations]] = {}
    for file_notes in sources.annotations:
        by_document.setdefault(file_notes.document, []).append(file_notes)
        if file_notes.default_district is not None:
            corpus.default_districts.setdefault(file_notes.document, file_notes.default_district)
    for notes in sources.annotations:
        if notes.document not in {d.slug for d in sources.documents}:
            corpus.errors.append(AnnotationError(notes.file, notes.document, "unknown document"))
    for document in sources.documents:
        build = _DocumentBuild(corpus, document)
        # A long document may be annotated in several files (fuzhou-2021.part2.yaml).
        for notes in by_document.get(document.slug, []):
            _statistics(corpus, build, notes)
            _not_statistics(corpus, build, notes)
            _tier_chains(corpus, build, notes)
        _mentions(corpus, build)
        _rules_and_words(corpus, build)
        coverage = DocumentCoverage(document.slug, found=len(build.candidates))
        for index, candidate in enumerate(build.candidates):
            claim = build.claims.get(index)
            coverage.decisions.append((candidate, claim.reason if claim else ""))
            if claim is None:
                coverage.untriaged.append(candidate)
            elif claim.reason == "statistic":
                coverage.statistics += 1
            else:
                coverage.explained[claim.reason] += 1
        corpus.coverage[document.slug] = coverage
    corpus.observations.sort(key=lambda o: (o.document, o.figure_start))
    _check_series(corpus)
    corpus.observations = _ranked(corpus)
    keys = Counter((o.document, o.figure_start) for o in corpus.observations)
    for (document_slug, figure_start), count in keys.items():
        if count > 1:
            corpus.errors.append(
                AnnotationError(
                    document_slug, str(figure_start), "two statistics read the same figure"
                )
            )
    corpus.tier_chains.sort(key=lambda c: (c.document, c.start))
    corpus.mentions.sort(key=lambda m: (m.document, m.start, m.initiative))
    return corpus
