"""New articles in, reviewed figures out: ingest, review decisions, export as annotations.

- :func:`ingest_article` stores a text as a source document (the same text twice is refused)
  and makes a :class:`~stats.models.Candidate` of every numeral, with the suggestions of
  :mod:`stats.extraction.suggest` for what it means.
- :func:`accept`, :func:`reject` and :func:`mark_duplicate` record a reviewer's decision; an
  accepted candidate becomes an :class:`~stats.models.Observation`, read from its own words.
  Every decision is saved through the ORM, so it is in the history.
- :func:`export_annotations` writes a reviewed document as seed files in the curated format
  (text, manifest entry, annotations), so ``build_fixtures`` rebuilds the same observations.

``manage.py ingest`` and the admin's upload page call these; they hold no logic of their own.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import FigureError, parse_quantity, quantity_columns
from stats.extraction.sources import (
    DistrictEntry,
    IndicatorEntry,
    InitiativeEntry,
    TierEntry,
)
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.models import (
    Candidate,
    CandidateStatus,
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    SourceDocument,
)
from stats.vocabulary import (
    BreakdownError,
    ClaimRank,
    DatePrecision,
    DistrictLevel,
    InitiativeKind,
    NotStatisticReason,
    Statistic,
    Status,
    breakdown_key,
    observation_unit,
    parse_breakdown,
    unit_problem,
)

__all__ = [
    "Article",
    "IngestError",
    "ReviewError",
    "accept",
    "export_annotations",
    "ingest_article",
    "mark_duplicate",
    "reject",
]


class IngestError(ValueError):
    """An article that cannot be stored; the message says why. Nothing was written."""


class ReviewError(ValueError):
    """A decision that cannot be taken as it stands; the message says what is missing."""


@dataclass(frozen=True)
class Article:
    """What an analyst says of a new article."""

    text: str
    title: str
    outlet: str
    published: date
    precision: DatePrecision = DatePrecision.DAY
    district: str | None = None  # the default district of its figures
    title_en: str = ""
    original_name: str = ""
    slug: str = ""

    @property
    def window(self) -> PublicationWindow:
        """The days the article can have appeared on, from the date and its precision."""
        day = self.published
        if self.precision is DatePrecision.YEAR:
            return PublicationWindow(date(day.year, 1, 1), date(day.year, 12, 31))
        if self.precision is DatePrecision.MONTH:
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            return PublicationWindow(
                date(day.year, day.month, 1), date.fromordinal(following.toordinal() - 1)
            )
        return PublicationWindow(day, day)


def _indicator_entry(i: Indicator) -> IndicatorEntry:
    return IndicatorEntry(
        code=i.code,
        name_zh=i.name_zh,
        name_en=i.name_en,
        definition=i.definition,
        unit=i.unit,
        category=i.category,
        tier=i.tier.code if i.tier else None,
        national_term=i.national_term,
        synonyms=tuple(i.synonyms),
    )


def vocabulary() -> Vocabulary:
    """The vocabularies as the database has them (analysts may have added to them)."""
    return Vocabulary(
        districts=tuple(
            DistrictEntry(
                code=d.code,
                name_zh=d.name_zh,
                name_en=d.name_en,
                level=DistrictLevel(d.level),
                parent=d.parent.code if d.parent else None,
                short_zh=d.short_zh,
                aliases=tuple(d.aliases),
                note=d.note,
            )
            for d in District.objects.select_related("parent").order_by("code")
        ),
        indicators=tuple(
            _indicator_entry(i) for i in Indicator.objects.select_related("tier").order_by("code")
        ),
        tiers=tuple(
            TierEntry(
                code=t.code,
                name_zh=t.name_zh,
                name_en=t.name_en,
                rank=t.rank,
                description=t.description,
                aliases=tuple(t.aliases),
            )
            for t in OrganisationTier.objects.order_by("code")
        ),
        initiatives=tuple(
            InitiativeEntry(
                code=i.code,
                name_zh=i.name_zh,
                name_en=i.name_en,
                kind=InitiativeKind(i.kind),
                parent=i.parent.code if i.parent else None,
                districts=tuple(d.code for d in i.districts.all()),
                started_on=i.started_on,
                started_precision=(
                    DatePrecision(i.started_precision) if i.started_precision else None
                ),
                description=i.description,
                aliases=tuple(i.aliases),
            )
            for i in Initiative.objects.select_related("parent")
            .prefetch_related("districts")
            .order_by("code")
        ),
    )


def _slug_for(article: Article) -> str:
    if article.slug:
        return article.slug
    words = slugify(" ".join(lazy_pinyin(article.title)))[:40].strip("-") or "article"
    return f"{words}-{article.published.year}"


def ingest_article(article: Article) -> tuple[SourceDocument, list[Candidate]]:
    """Store the article and a candidate for each of its numerals, in one transaction."""
    text = article.text
    if not text.strip():
        raise IngestError("the article is empty")
    if not article.title.strip() or not article.outlet.strip():
        raise IngestError("an article needs a title and an outlet")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    same = SourceDocument.objects.filter(sha256=digest).first()
    if same is not None:
        raise IngestError(
            f"this text is already document {same.slug!r} ({same.title}); nothing was added"
        )
    slug = _slug_for(article)
    if SourceDocument.objects.filter(slug=slug).exists():
        raise IngestError(f"a document {slug!r} exists already: give another slug")
    default = None
    if article.district:
        default = District.objects.filter(code=article.district).first()
        if default is None:
            raise IngestError(f"unknown district {article.district!r}")
    window = article.window
    suggestions = suggest(text, window, vocabulary(), article.district)
    with transaction.atomic():
        document = SourceDocument.objects.create(
            slug=slug,
            title=article.title,
            title_en=article.title_en,
            outlet=article.outlet,
            place=default or District.objects.get(code="350000"),
            published_precision=article.precision.value,
            published_earliest=window.earliest,
            published_latest=window.latest,
            published_basis=f"given at ingest: {article.published.isoformat()} "
            f"({article.precision.value})",
            original_name=article.original_name or f"{slug}.txt",
            sha256=digest,
            text=text,
        )
        rows = _RowsByCode(suggestions)
        candidates = [_candidate(document, s, rows) for s in suggestions]
        for candidate in candidates:
            candidate._change_reason = "ingest"  # type: ignore[attr-defined]
            candidate.save()
    return document, candidates


class _RowsByCode:
    """The districts, indicators, tiers and initiatives the suggestions name, one query each."""

    def __init__(self, suggestions: list[Suggestion]) -> None:
        def rows(model: Any, codes: Iterable[str | None]) -> dict[str, Any]:
            return {row.code: row for row in model.objects.filter(code__in=set(codes) - {None})}

        self.districts = rows(District, (s.district for s in suggestions))
        self.indicators = rows(Indicator, (s.indicator for s in suggestions))
        self.tiers = rows(OrganisationTier, (s.tier for s in suggestions))
        self.initiatives = rows(Initiative, (s.initiative for s in suggestions))


def _candidate(document: SourceDocument, s: Suggestion, rows: _RowsByCode) -> Candidate:
    return Candidate(
        document=document,
        figure_start=s.figure_start,
        figure_end=s.figure_end,
        raw=s.raw,
        start=s.start,
        end=s.end,
        quote=s.quote,
        reading_error=s.reading_error or "",
        indicator=rows.indicators.get(s.indicator or ""),
        district=rows.districts.get(s.district or ""),
        tier=rows.tiers.get(s.tier or ""),
        initiative=rows.initiatives.get(s.initiative or ""),
        unit=s.unit or "",
        period_label=s.period_label or "",
        period_start=s.period_start,
        period_end=s.period_end,
        period_kind=s.period_kind or "",
        breakdown=s.breakdown,
        statistic=s.statistic.value,
        figure_status=s.status.value,
        counted_noun=(s.counted_noun or "")[:64],
        suggested_reason=s.not_statistic.value if s.not_statistic else "",
    )


# --- decisions ------------------------------------------------------------------------------


def _decided(candidate: Candidate, reason: str) -> None:
    candidate._change_reason = reason  # type: ignore[attr-defined]
    candidate.save()


def accept(candidate: Candidate) -> Observation:
    """The candidate, as its fields now stand, becomes an observation read from its words."""
    if candidate.status == CandidateStatus.ACCEPTED and candidate.observation_id:
        raise ReviewError("already accepted")
    missing = [
        name
        for name in ("indicator", "district", "period_label", "period_kind")
        if not getattr(candidate, name)
    ]
    if missing:
        raise ReviewError(f"say {', '.join(missing)} before accepting")
    text = candidate.document.text
    if text[candidate.start : candidate.end] != candidate.quote or not (
        candidate.start <= candidate.figure_start < candidate.figure_end <= candidate.end
    ):
        raise ReviewError("the quote must be the text at its offsets, holding the figure")
    raw = "".join(text[candidate.figure_start : candidate.figure_end].split())
    try:
        quantity = parse_quantity(raw)
    except FigureError as error:
        raise ReviewError(f"the figure {raw!r} cannot be read: {error}") from error
    indicator = candidate.indicator
    assert indicator is not None
    # The rule build_fixtures applies: what is accepted here rebuilds from the annotations.
    statistic = Statistic(candidate.statistic)
    try:
        breakdown = breakdown_key(parse_breakdown(candidate.breakdown))
    except BreakdownError as error:
        raise ReviewError(str(error)) from error
    problem = unit_problem(
        raw, quantity.unit, candidate.unit or None, indicator.code, indicator.unit, statistic
    )
    if problem:
        raise ReviewError(problem)
    unit = observation_unit(quantity.unit, candidate.unit or None, indicator.unit, statistic)
    with transaction.atomic():
        observation = Observation(
            indicator=indicator,
            district=candidate.district,
            sub_unit=candidate.sub_unit,
            tier=candidate.tier or indicator.tier,
            initiative=candidate.initiative,
            breakdown=breakdown,
            statistic=statistic.value,
            status=candidate.figure_status,
            period_label=candidate.period_label,
            period_start=candidate.period_start,
            period_end=candidate.period_end,
            period_kind=candidate.period_kind,
            unit=unit,
            **quantity_columns(quantity),
            document=candidate.document,
            start=candidate.start,
            end=candidate.end,
            quote=candidate.quote,
            figure_start=candidate.figure_start,
            figure_end=candidate.figure_end,
            note=candidate.note,
        )
        observation._change_reason = "review: accepted"  # type: ignore[attr-defined]
        observation.save()
        candidate.status = CandidateStatus.ACCEPTED
        candidate.observation = observation
        candidate.reason = ""
        candidate.duplicate_of = None
        _decided(candidate, "review: accepted")
    return observation


def reject(candidate: Candidate, reason: NotStatisticReason | str, note: str = "") -> None:
    """Not a statistic, for ``reason``; the decision is kept."""
    if candidate.status == CandidateStatus.ACCEPTED:
        raise ReviewError("accepted already: delete its observation first")
    candidate.status = CandidateStatus.REJECTED
    candidate.reason = NotStatisticReason(reason).value
    candidate.note = note or candidate.note
    _decided(candidate, f"review: rejected ({candidate.reason})")


def mark_duplicate(candidate: Candidate, of: Observation, note: str = "") -> None:
    """The same figure as an observation the corpus already has (from another report)."""
    if candidate.status == CandidateStatus.ACCEPTED:
        raise ReviewError("accepted already: delete its observation first")
    if of.document_id == candidate.document_id:
        raise ReviewError("a duplicate is of an observation from another document")
    candidate.status = CandidateStatus.DUPLICATE
    candidate.duplicate_of = of
    candidate.note = note or candidate.note
    _decided(candidate, "review: duplicate")


# --- export ---------------------------------------------------------------------------------


def _unique_context(text: str, start: int, end: int) -> str:
    """The quote, or the shortest widening of it that occurs once in the text."""
    left, right = start, end
    while text.count(text[left:right]) > 1 and (left > 0 or right < len(text)):
        left, right = max(0, left - 1), min(len(text), right + 1)
    return "".join(text[left:right].split())


def _statistic(candidate: Candidate, default_district: str | None) -> dict[str, Any]:
    observation = candidate.observation
    assert observation is not None
    text = candidate.document.text
    entry: dict[str, Any] = {"context": "".join(observation.quote.split())}
    if text.count(observation.quote) > 1:
        raise ReviewError(
            f"the quote {observation.quote!r} of {observation.raw!r} occurs more than once; "
            "widen it before exporting"
        )
    entry["figure"] = observation.raw
    entry["indicator"] = observation.indicator.code
    if observation.district.code != default_district:
        entry["district"] = observation.district.code
    if observation.sub_unit:
        entry["sub_unit"] = observation.sub_unit
    if observation.tier_id and observation.tier != observation.indicator.tier:
        entry["tier"] = observation.tier.code  # type: ignore[union-attr]
    if observation.initiative_id:
        entry["initiative"] = observation.initiative.code  # type: ignore[union-attr]
    if observation.breakdown:
        entry["breakdown"] = parse_breakdown(observation.breakdown)
    if observation.statistic != Statistic.LEVEL:
        entry["statistic"] = observation.statistic
    if observation.status != Status.ACTUAL:
        entry["status"] = observation.status
    if observation.rank == ClaimRank.DEPRECATED:
        entry["rank"] = observation.rank
    entry["period"] = observation.period_label
    for name in ("period_start", "period_end"):
        value = getattr(observation, name)
        if value is not None:
            entry[name] = value.isoformat()
    entry["kind"] = observation.period_kind
    if observation.unit != observation.indicator.unit:
        entry["unit"] = observation.unit
    if observation.note:
        entry["note"] = observation.note
    return entry


def _not_statistic(candidate: Candidate) -> dict[str, Any]:
    text = candidate.document.text
    entry: dict[str, Any] = {
        "context": _unique_context(text, candidate.figure_start, candidate.figure_end),
        "numeral": "".join(text[candidate.figure_start : candidate.figure_end].split()),
    }
    if candidate.status == CandidateStatus.DUPLICATE:
        of = candidate.duplicate_of
        assert of is not None
        entry["reason"] = NotStatisticReason.DUPLICATE.value
        entry["note"] = f"duplicate of {of.document.slug}:{of.figure_start}" + (
            f"; {candidate.note}" if candidate.note else ""
        )
    else:
        entry["reason"] = candidate.reason
        if candidate.note:
            entry["note"] = candidate.note
    return entry


def export_annotations(document: SourceDocument, seeds: Path) -> list[Path]:
    """Write ``document`` and its reviewed decisions as seed files under ``seeds``: the text,
    its manifest entry, and ``annotations/<slug>.yaml``. Refuses while a candidate is pending.
    Returns the files written."""
    candidates = list(
        document.candidates.select_related(
            "observation__indicator__tier",
            "observation__district",
            "observation__tier",
            "observation__initiative",
            "duplicate_of__document",
        ).order_by("figure_start")
    )
    pending = [c for c in candidates if c.status == CandidateStatus.PENDING]
    if pending:
        raise ReviewError(
            f"{len(pending)} candidate(s) of {document.slug!r} still pending "
            f"(first: {pending[0].raw!r} at {pending[0].figure_start}); review them first"
        )
    default = document.place.code
    annotations = {
        "document": document.slug,
        "defaults": {"district": default},
        "statistics": [
            _statistic(c, default) for c in candidates if c.status == CandidateStatus.ACCEPTED
        ],
        "not_statistics": [
            _not_statistic(c) for c in candidates if c.status != CandidateStatus.ACCEPTED
        ],
    }
    text_path = seeds / f"{document.slug}.txt"
    text_path.write_bytes(document.text.encode("utf-8"))
    annotation_path = seeds / "annotations" / f"{document.slug}.yaml"
    annotation_path.write_text(_yaml(annotations), encoding="utf-8")
    manifest = seeds / "manifest.yaml"
    _add_to_manifest(manifest, document)
    return [text_path, annotation_path, manifest]


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _manifest_entry(document: SourceDocument) -> dict[str, Any]:
    published_at: datetime | None = document.published_at
    published: dict[str, Any] = {
        "precision": document.published_precision,
        "earliest": document.published_earliest,
        "latest": document.published_latest,
    }
    if published_at is not None:
        published["at"] = published_at.isoformat()
    published["basis"] = document.published_basis
    return {
        "slug": document.slug,
        "file": f"{document.slug}.txt",
        "original_name": document.original_name,
        "sha256": document.sha256,
        "title": document.title,
        "title_en": document.title_en or document.title,
        "outlet": document.outlet,
        "authors": list(document.authors),
        "place": document.place.code,
        "published": published,
    }


def _add_to_manifest(manifest: Path, document: SourceDocument) -> None:
    """Append the document's entry to ``documents:`` (the last key of the manifest)."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entries: Iterable[dict[str, Any]] = data["documents"]
    if any(entry["slug"] == document.slug for entry in entries):
        return
    with manifest.open("a", encoding="utf-8") as stream:
        stream.write("\n" + textwrap.indent(_yaml([_manifest_entry(document)]), "  "))
