"""Storing a new article and queueing its figures for review.

:func:`ingest_article` stores a text as a source document (the same text twice is refused) and
makes a :class:`~stats.models.Candidate` of every numeral, with the suggestions of
:mod:`stats.extraction.suggest` for what it means: measure, place, breakdown, statistic,
status, period; or, where no measure fits, what the figure counts.

What an article may be is checked here and nowhere else (the admin's upload page and
``manage.py ingest`` call these): at most ``settings.INGEST_MAX_BYTES`` of UTF-8 (checked
before the file is read: :func:`read_article_bytes`), and no control character but tab, line
feed and carriage return (stats.extraction.control_characters), so SQLite and PostgreSQL accept
or refuse the same texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from stats.entries import vocabulary
from stats.extraction.control_characters import control_character_problem
from stats.extraction.periods import PublicationWindow
from stats.extraction.suggest import Suggestion, suggest
from stats.models import (
    Candidate,
    District,
    Indicator,
    Initiative,
    OrganisationTier,
    SourceDocument,
)
from stats.vocabulary import DatePrecision

__all__ = [
    "Article",
    "ArticleTextError",
    "IngestError",
    "ingest_article",
    "read_article_bytes",
    "size_problem",
]


class IngestError(ValueError):
    """An article that cannot be stored; the message says why. Nothing was written."""


class ArticleTextError(IngestError):
    """The text itself cannot be stored (too large, or a control character in it)."""


def _amount(size: int) -> str:
    """``1,048,576 bytes (1.0 MiB)``."""
    if size >= 2**20:
        return f"{size:,} bytes ({size / 2**20:.1f} MiB)"
    if size >= 2**10:
        return f"{size:,} bytes ({size / 2**10:.0f} KiB)"
    return f"{size:,} bytes"


def size_problem(size: int, *, more_than: bool = False, what: str = "file") -> str | None:
    """Why a file (``what``) of ``size`` bytes (``more_than``: of more than ``size`` bytes) is
    refused; None when it fits within ``settings.INGEST_MAX_BYTES``."""
    limit: int = settings.INGEST_MAX_BYTES
    if size <= limit and not more_than:
        return None
    return (
        f"the {what} is {'more than ' if more_than else ''}{_amount(size)}: an article may be at "
        f"most {_amount(limit)} (INGEST_MAX_BYTES); nothing was added"
    )


def read_article_bytes(stream: IO[bytes], size: int | None = None) -> bytes:
    """The bytes of an article file, refused (:class:`ArticleTextError`) when there are more
    than ``settings.INGEST_MAX_BYTES``: checked from ``size`` (the file's size, when known)
    before anything is read, and by reading at most one byte more than the limit."""
    if size is not None and (problem := size_problem(size)):
        raise ArticleTextError(problem)
    limit: int = settings.INGEST_MAX_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:  # the size was not known, or the file grew
        raise ArticleTextError(str(size_problem(limit, more_than=True)))
    return data


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


def _slug_for(article: Article) -> str:
    if article.slug:
        return article.slug
    words = slugify(" ".join(lazy_pinyin(article.title)))[:40].strip("-") or "article"
    return f"{words}-{article.published.year}"


def ingest_article(article: Article) -> tuple[SourceDocument, list[Candidate]]:
    """Store the article and a candidate for each of its numerals, in one transaction."""
    text = article.text
    encoded = text.encode("utf-8")
    if problem := size_problem(len(encoded), what="text"):
        raise ArticleTextError(problem)
    if not text.strip():
        raise IngestError("the article is empty")
    if problem := control_character_problem(text):
        raise ArticleTextError(f"the text has {problem}; nothing was added")
    described = {
        ("title", "title"): article.title,
        ("title (English)", "title_en"): article.title_en,
        ("outlet", "outlet"): article.outlet,
        ("file name", "original_name"): article.original_name,
        ("slug", "slug"): article.slug,
    }
    for (name, column), words in described.items():
        if problem := control_character_problem(words):
            raise IngestError(f"the {name} has {problem}; nothing was added")
        longest = getattr(SourceDocument._meta.get_field(column), "max_length", None)
        if longest is not None and len(words) > longest:
            raise IngestError(
                f"the {name} is {len(words)} characters long, more than the {longest} it may "
                "have; nothing was added"
            )
    if not article.title.strip() or not article.outlet.strip():
        raise IngestError("an article needs a title and an outlet")
    digest = hashlib.sha256(encoded).hexdigest()
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
