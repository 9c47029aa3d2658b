"""Typed readers for the reviewed data files under ``seeds/``.

``seeds/manifest.yaml`` describes the documents; ``seeds/vocabulary/*.yaml`` hold the shared
vocabularies (districts, organisation tiers, indicators, initiatives); ``seeds/annotations/``
holds one file per document saying what each numeral in it means. The words that contain a
numeral character without being a number anywhere (进一步, 一线) are not a data file: they are
:mod:`stats.extraction.common_words`, which the suggestions read too.

Every problem is reported as an :class:`AnnotationError` naming the file, the entry (its
context or code) and what is wrong, so an analyst can fix the file without reading code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import UNIT_CODES
from stats.vocabulary import (
    BreakdownError,
    ClaimRank,
    DatePrecision,
    DistrictLevel,
    InitiativeKind,
    NotStatisticReason,
    PeriodKind,
    Statistic,
    Status,
    breakdown_key,
    parse_breakdown,
)

__all__ = [
    "AnnotationError",
    "DistrictEntry",
    "DocumentAnnotations",
    "DocumentEntry",
    "IndicatorEntry",
    "InitiativeEntry",
    "NonStatisticNote",
    "NotStatisticReason",
    "SeedSources",
    "StatisticNote",
    "TierChainNote",
    "TierEntry",
    "parse_annotations",
    "read_seed_sources",
]


_E = TypeVar("_E", bound=StrEnum)


class AnnotationError(ValueError):
    """A problem in a seed data file: ``file``, the ``context`` or code it concerns, the problem."""

    def __init__(self, file: str, context: str, problem: str) -> None:
        self.file, self.context, self.problem = file, context, problem
        super().__init__(f"{file}: {context!r}: {problem}")


# --------------------------------------------------------------------------------------------
# Entries


@dataclass(frozen=True)
class DistrictEntry:
    """A place: GB/T 2260 code (or the project's own code for zones), names, level, parent."""

    code: str
    name_zh: str
    name_en: str
    level: DistrictLevel
    parent: str | None
    short_zh: str
    aliases: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class TierEntry:
    """A level of party organisation; ``aliases`` are the spellings texts use for it."""

    code: str
    name_zh: str
    name_en: str
    rank: int
    description: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorEntry:
    """What is counted. ``national_term`` is the 党内统计公报 term where one matches."""

    code: str
    name_zh: str
    name_en: str
    definition: str
    unit: str
    category: str
    tier: str | None
    national_term: str
    synonyms: tuple[str, ...]
    replaces: tuple[str, ...] = ()  # codes this measure replaced: deprecated aliases


@dataclass(frozen=True)
class InitiativeEntry:
    """A named programme, campaign, platform, method or brand."""

    code: str
    name_zh: str
    name_en: str
    kind: InitiativeKind
    parent: str | None
    districts: tuple[str, ...]
    started_on: date | None
    started_precision: DatePrecision | None
    description: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class DocumentEntry:
    """One source text and what is known about it (``seeds/manifest.yaml``)."""

    slug: str
    file: str
    sha256: str
    title: str
    title_en: str
    outlet: str
    authors: tuple[str, ...]
    place: str
    published_precision: DatePrecision
    published_earliest: date
    published_latest: date
    published_at: datetime | None
    published_basis: str
    original_name: str
    text: str

    @property
    def window(self) -> PublicationWindow:
        return PublicationWindow(self.published_earliest, self.published_latest)


@dataclass(frozen=True)
class StatisticNote:
    """An annotation that a figure is a statistic, and what it means."""

    context: str
    figure: str | None
    indicator: str
    district: str
    sub_unit: str
    tier: str | None
    initiative: str | None
    period: str
    period_start: date | None
    period_end: date | None
    kind: PeriodKind | None
    unit: str | None
    repeats: bool
    note: str
    breakdown: str = ""  # canonical breakdown key (sex:female); empty: the total
    statistic: Statistic = Statistic.LEVEL
    status: Status = Status.ACTUAL
    rank: ClaimRank | None = None  # None: ranked by the build among claims


@dataclass(frozen=True)
class NonStatisticNote:
    """An annotation that the numerals in ``numeral`` (inside ``context``) are not statistics."""

    context: str
    numeral: str | None
    reason: NotStatisticReason
    occurrence: int | None  # None: the context must be unique; 0: every occurrence
    note: str


@dataclass(frozen=True)
class TierChainNote:
    """A chain of organisation tiers spelled out in a text, one tier code per segment."""

    context: str
    district: str
    tiers: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class DocumentAnnotations:
    """Everything the analysts said about one document."""

    file: str
    document: str
    statistics: tuple[StatisticNote, ...]
    not_statistics: tuple[NonStatisticNote, ...]
    tier_chains: tuple[TierChainNote, ...]
    #: ``defaults.district``: the place an analyst gives the text at ingest (accuracy measures
    #: suggestions with it). Not compared: every note already carries its district, and the
    #: writer may abbreviate with another default.
    default_district: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SeedSources:
    """All the reviewed inputs of a build."""

    documents: tuple[DocumentEntry, ...]
    districts: tuple[DistrictEntry, ...]
    tiers: tuple[TierEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    initiatives: tuple[InitiativeEntry, ...]
    annotations: tuple[DocumentAnnotations, ...]
    errors: tuple[AnnotationError, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Field readers


class _Entry:
    """Reads fields of one YAML mapping, naming the file and entry in every error."""

    def __init__(self, file: str, label: str, data: object) -> None:
        if not isinstance(data, Mapping):
            raise AnnotationError(file, label, "expected a mapping of field: value")
        self.file, self.label, self.data = file, label, dict(data)

    def fail(self, problem: str) -> AnnotationError:
        return AnnotationError(self.file, self.label, problem)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(f"missing field {key!r}")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(f"field {key!r} must be text, not {type(value).__name__}")
        return value

    def optional_text(self, key: str) -> str | None:
        if self.data.get(key) is None:
            return None
        return self.text(key)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise self.fail(f"field {key!r} must be a list of texts")
        return tuple(str(v) for v in value)

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"field {key!r} must be a date YYYY-MM-DD, not {value!r}") from None

    def choice(self, key: str, enum: type[_E], default: str | None = None) -> _E:
        value = self.text(key, default)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise self.fail(f"{key} {value!r} is not one of: {allowed}") from None

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"field {key!r} must be a whole number")
        return value

    def check_keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            raise self.fail(
                f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
            )


def _load_yaml(path: Path, root: Path) -> Any:
    name = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise AnnotationError(name, "", f"not valid YAML: {error}") from error


def _list(file: str, data: object, key: str) -> list[Any]:
    if data is None:
        return []
    if isinstance(data, Mapping):
        data = data.get(key)
        if data is None:
            return []
    if not isinstance(data, list):
        raise AnnotationError(file, key, "expected a list")
    return data


def _entries(file: str, data: object, key: str, label_field: str) -> list[_Entry]:
    """The entries of a list in a data file, each labelled by its ``label_field`` for errors."""
    return [
        _Entry(file, str(raw.get(label_field, "?")) if isinstance(raw, Mapping) else "?", raw)
        for raw in _list(file, data, key)
    ]


def _field_names(entry_type: type[object], *extra: str) -> set[str]:
    """The keys a data file may use for an entry: the dataclass's fields, plus ``extra``."""
    return {f.name for f in fields(entry_type)} | set(extra)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Readers per file


def _read_districts(file: str, data: object) -> list[DistrictEntry]:
    entries = []
    for e in _entries(file, data, "districts", "code"):
        e.check_keys(_field_names(DistrictEntry))
        entries.append(
            DistrictEntry(
                code=e.text("code"),
                name_zh=e.text("name_zh"),
                name_en=e.text("name_en"),
                level=e.choice("level", DistrictLevel),
                parent=e.optional_text("parent"),
                short_zh=e.text("short_zh"),
                aliases=e.texts("aliases"),
                note=e.text("note", ""),
            )
        )
    return entries


def _read_tiers(file: str, data: object) -> list[TierEntry]:
    entries = []
    for e in _entries(file, data, "tiers", "code"):
        e.check_keys(_field_names(TierEntry))
        entries.append(
            TierEntry(
                code=e.text("code"),
                name_zh=e.text("name_zh"),
                name_en=e.text("name_en"),
                rank=e.integer("rank"),
                description=e.text("description", ""),
                aliases=e.texts("aliases"),
            )
        )
    return entries


def _read_indicators(file: str, data: object) -> list[IndicatorEntry]:
    entries = []
    for e in _entries(file, data, "indicators", "code"):
        e.check_keys(_field_names(IndicatorEntry))
        unit = e.text("unit")
        if unit not in UNIT_CODES:
            raise e.fail(f"unknown unit {unit!r}; known units: {', '.join(sorted(UNIT_CODES))}")
        entries.append(
            IndicatorEntry(
                code=e.text("code"),
                name_zh=e.text("name_zh"),
                name_en=e.text("name_en"),
                definition=e.text("definition"),
                unit=unit,
                category=e.text("category"),
                tier=e.optional_text("tier"),
                national_term=e.text("national_term", ""),
                synonyms=e.texts("synonyms"),
                replaces=e.texts("replaces"),
            )
        )
    return entries


def _read_initiatives(file: str, data: object) -> list[InitiativeEntry]:
    entries = []
    for e in _entries(file, data, "initiatives", "code"):
        e.check_keys(_field_names(InitiativeEntry))
        started_on = e.day("started_on")
        entries.append(
            InitiativeEntry(
                code=e.text("code"),
                name_zh=e.text("name_zh"),
                name_en=e.text("name_en"),
                kind=e.choice("kind", InitiativeKind),
                parent=e.optional_text("parent"),
                districts=e.texts("districts"),
                started_on=started_on,
                started_precision=(
                    e.choice("started_precision", DatePrecision) if started_on else None
                ),
                description=e.text("description", ""),
                aliases=e.texts("aliases"),
            )
        )
    return entries


_STATISTIC_KEYS = {
    "context",
    "figure",
    "indicator",
    "district",
    "sub_unit",
    "tier",
    "initiative",
    "period",
    "period_start",
    "period_end",
    "kind",
    "unit",
    "repeats",
    "note",
    "breakdown",
    "statistic",
    "status",
    "rank",
}


def _read_annotations(file: str, data: object) -> DocumentAnnotations:
    top = _Entry(file, "(top level)", data)
    top.check_keys({"document", "defaults", "statistics", "not_statistics", "tier_chains"})
    document = top.text("document")
    defaults = _Entry(file, "defaults", top.data.get("defaults") or {})
    defaults.check_keys({"district", "period", "kind"})
    return DocumentAnnotations(
        file,
        document,
        tuple(_statistic_note(e, defaults) for e in _notes(top, "statistics")),
        tuple(_non_statistic_note(e) for e in _notes(top, "not_statistics")),
        tuple(_tier_chain_note(e, defaults) for e in _notes(top, "tier_chains")),
        defaults.optional_text("district"),
    )


def _notes(top: _Entry, key: str) -> list[_Entry]:
    """The notes listed under ``key``, each labelled by its context in errors."""
    entries = []
    for raw in _list(top.file, top.data.get(key), key):
        label = str(raw.get("context", "?")) if isinstance(raw, Mapping) else "?"
        entries.append(_Entry(top.file, label, raw))
    return entries


def _statistic_note(e: _Entry, defaults: _Entry) -> StatisticNote:
    e.check_keys(_STATISTIC_KEYS)
    kind_text = e.optional_text("kind") or defaults.optional_text("kind")
    unit = e.optional_text("unit")
    if unit is not None and unit not in UNIT_CODES:
        raise e.fail(f"unknown unit {unit!r}; known units: {', '.join(sorted(UNIT_CODES))}")
    kind = None
    if kind_text is not None:
        try:
            kind = PeriodKind(kind_text)
        except ValueError:
            raise e.fail(f"kind {kind_text!r} is not one of: stock, flow, cumulative") from None
    repeats = e.data.get("repeats", False)
    if not isinstance(repeats, bool):
        raise e.fail("field 'repeats' must be true or false")
    breakdown = e.data.get("breakdown")
    if breakdown is not None and not isinstance(breakdown, Mapping | str):
        raise e.fail("field 'breakdown' must be a mapping of dimension: category")
    try:
        breakdown_text = breakdown_key(parse_breakdown(breakdown))
    except BreakdownError as error:
        raise e.fail(str(error)) from None
    return StatisticNote(
        context=e.text("context"),
        figure=e.optional_text("figure"),
        indicator=e.text("indicator"),
        district=e.optional_text("district") or defaults.text("district"),
        sub_unit=e.text("sub_unit", ""),
        tier=e.optional_text("tier"),
        initiative=e.optional_text("initiative"),
        period=e.optional_text("period") or defaults.text("period", ""),
        period_start=e.day("period_start"),
        period_end=e.day("period_end"),
        kind=kind,
        unit=unit,
        repeats=repeats,
        note=e.text("note", ""),
        breakdown=breakdown_text,
        statistic=e.choice("statistic", Statistic, Statistic.LEVEL),
        status=e.choice("status", Status, Status.ACTUAL),
        rank=e.choice("rank", ClaimRank) if e.data.get("rank") is not None else None,
    )


def _non_statistic_note(e: _Entry) -> NonStatisticNote:
    e.check_keys({"context", "numeral", "reason", "occurrence", "note"})
    occurrence_value = e.data.get("occurrence")
    occurrence: int | None
    if occurrence_value is None:
        occurrence = None
    elif occurrence_value == "all":
        occurrence = 0
    elif isinstance(occurrence_value, int) and occurrence_value >= 1:
        occurrence = occurrence_value
    else:
        raise e.fail("occurrence must be 'all' or a whole number from 1")
    return NonStatisticNote(
        context=e.text("context"),
        numeral=e.optional_text("numeral"),
        reason=e.choice("reason", NotStatisticReason),
        occurrence=occurrence,
        note=e.text("note", ""),
    )


def _tier_chain_note(e: _Entry, defaults: _Entry) -> TierChainNote:
    e.check_keys({"context", "district", "tiers", "label"})
    return TierChainNote(
        context=e.text("context"),
        district=e.optional_text("district") or defaults.text("district"),
        tiers=e.texts("tiers"),
        label=e.text("label", ""),
    )


def parse_annotations(file: str, text: str) -> DocumentAnnotations:
    """The notes of one annotation file's ``text`` (``file`` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AnnotationError(file, "", f"not valid YAML: {error}") from error
    return _read_annotations(file, data)


def _read_manifest(file: str, data: object, seeds: Path) -> list[DocumentEntry]:
    entries = []
    for e in _entries(file, data, "documents", "slug"):
        e.check_keys(
            {
                "slug",
                "file",
                "sha256",
                "title",
                "title_en",
                "outlet",
                "authors",
                "place",
                "published",
                "original_name",
            }
        )
        published = _Entry(file, f"{e.label}.published", e.data.get("published"))
        published.check_keys({"precision", "earliest", "latest", "at", "basis"})
        earliest, latest = published.day("earliest"), published.day("latest")
        if earliest is None or latest is None:
            raise published.fail("earliest and latest dates are required")
        if earliest > latest:
            raise published.fail("earliest is after latest")
        at_value = published.data.get("at")
        at = datetime.fromisoformat(str(at_value)) if at_value else None
        path = seeds / e.text("file")
        if not path.is_file():
            raise e.fail(f"text file {path.name!r} is missing")
        data_bytes = path.read_bytes()
        digest = hashlib.sha256(data_bytes).hexdigest()
        if digest != e.text("sha256"):
            raise e.fail(
                f"sha256 of {path.name} is {digest}, the manifest says {e.text('sha256')}"
                " (the seed texts must keep their bytes)"
            )
        try:
            text = data_bytes.decode("utf-8")
        except UnicodeDecodeError as error:
            raise e.fail(f"{path.name} is not UTF-8: {error}") from error
        entries.append(
            DocumentEntry(
                slug=e.text("slug"),
                file=e.text("file"),
                sha256=digest,
                title=e.text("title"),
                title_en=e.text("title_en"),
                outlet=e.text("outlet"),
                authors=e.texts("authors"),
                place=e.text("place"),
                published_precision=published.choice("precision", DatePrecision),
                published_earliest=earliest,
                published_latest=latest,
                published_at=at,
                published_basis=published.text("basis"),
                original_name=e.text("original_name"),
                text=text,
            )
        )
    return entries


def read_seed_sources(seeds: Path) -> SeedSources:
    """Read and type-check every data file under ``seeds``; raise the first file-level error."""
    vocabulary = seeds / "vocabulary"

    def load(path: Path) -> tuple[str, Any]:
        return str(path.relative_to(seeds.parent)), _load_yaml(path, seeds)

    file, data = load(seeds / "manifest.yaml")
    documents = _read_manifest(file, data, seeds)
    # The full GB/T 2260 table with the reviewed places over it (stats.extraction.divisions).
    from stats.extraction.divisions import merge_districts, national_districts

    file, data = load(vocabulary / "districts.yaml")
    districts = merge_districts(file, _read_districts(file, data), national_districts())
    tiers = _read_tiers(*load(vocabulary / "tiers.yaml"))
    indicators = _read_indicators(*load(vocabulary / "indicators.yaml"))
    initiatives = _read_initiatives(*load(vocabulary / "initiatives.yaml"))
    annotation_dir = seeds / "annotations"
    annotations: list[DocumentAnnotations] = []
    errors: list[AnnotationError] = []
    for path in sorted(annotation_dir.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        # One document's broken file must not hide the state of the others.
        try:
            annotations.append(_read_annotations(*load(path)))
        except AnnotationError as error:
            errors.append(error)
    return SeedSources(
        tuple(documents),
        tuple(districts),
        tuple(tiers),
        tuple(indicators),
        tuple(initiatives),
        tuple(annotations),
        tuple(errors),
    )
