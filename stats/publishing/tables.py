"""The corpus as tables: every row the API can return, with typed columns, keys and references.

One description serves every format (stats.publishing.formats): a :class:`Table` has its
fields (name, type, meaning, allowed codes), its primary key, its foreign keys and its rows as
Python values (``str``, ``int``, ``Decimal``, ``bool``, ``date``, ``datetime``, lists of
strings, ``None``).

``observations`` is the API's own representation of each figure (the serializer of
``/api/v1/observations/``), flattened exactly as the API's CSV flattens it, with ``_`` for the
CSV's ``.`` (``indicator.code`` is ``indicator_code``, ``source.quote`` is ``source_quote``), so
a column added to the API appears here too. It holds **every** observation, whatever its status
or rank, so any API query (``status=any&rank=any`` included) can be answered from it. The other
tables are the vocabularies the observations refer to, keyed by the codes the API uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from rest_framework import serializers as drf

from stats.api.v1.serializers import ObservationSerializer
from stats.models import (
    PUBLICATION_FIELDS,
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)

#: The column types every format knows (Frictionless Table Schema's names).
TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "array")


@dataclass(frozen=True)
class Field:
    """A column: its name, type (one of :data:`TYPES`), meaning and, for coded columns, the
    codes it may hold."""

    name: str
    type: str
    description: str = ""
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table name a row of ``table`` by its ``reference`` columns."""

    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass
class Table:
    """One table: what it is, its columns, keys, and its rows in a stable order."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


# --- Columns from the model and from the API's serializer --------------------------------------

_MODEL_TYPES: tuple[tuple[type[models.Field[Any, Any]], str], ...] = (
    (models.ForeignKey, "string"),  # published as the code it refers to
    (models.BooleanField, "boolean"),
    (models.DecimalField, "number"),
    (models.DateTimeField, "datetime"),  # before DateField, its base
    (models.DateField, "date"),
    (models.IntegerField, "integer"),  # and the Positive… and Small… kinds
    (models.JSONField, "array"),  # the corpus's JSON columns hold lists of strings
)


def model_field(model: type[models.Model], name: str, column: str | None = None) -> Field:
    """The column for a model field: type, meaning (its help text) and codes (its choices)."""
    source = model._meta.get_field(name)
    assert isinstance(source, models.Field)
    kind = next((t for cls, t in _MODEL_TYPES if isinstance(source, cls)), "string")
    description = str(source.help_text or source.verbose_name)
    enum = tuple(str(value) for value, _label in source.choices or () if value != "")
    return Field(column or name, kind, description, enum)


_API_TYPES: tuple[tuple[type[drf.Field[Any, Any, Any, Any]], str], ...] = (
    (drf.BooleanField, "boolean"),
    (drf.DecimalField, "number"),
    (drf.DateTimeField, "datetime"),
    (drf.DateField, "date"),
    (drf.IntegerField, "integer"),
    (drf.ListField, "array"),
)


def api_fields(serializer: drf.BaseSerializer[Any], prefix: str = "") -> list[tuple[str, Field]]:
    """The dotted CSV column of each field of an API representation (as
    stats.api.renderers.csv_columns names them), with its published column."""
    found: list[tuple[str, Field]] = []
    for name, source in serializer.fields.items():  # type: ignore[attr-defined]
        dotted = f"{prefix}{name}"
        if isinstance(source, drf.BaseSerializer) and not isinstance(source, drf.ListSerializer):
            found += api_fields(source, f"{dotted}.")
            continue
        kind = next((t for cls, t in _API_TYPES if isinstance(source, cls)), "string")
        choices = getattr(source, "choices", None) if isinstance(source, drf.ChoiceField) else None
        enum = tuple(str(code) for code in choices or () if code != "")
        found.append(
            (dotted, Field(dotted.replace(".", "_"), kind, str(source.help_text or ""), enum))
        )
    return found


def _typed(value: Any, kind: str) -> Any:
    """A representation's value (decimal and date strings) as the Python value of its type."""
    if value is None:
        return None
    if kind == "number":
        return Decimal(str(value))
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind == "datetime" and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value)  # as the API writes it: in TIME_ZONE, with its offset
    if kind == "integer":
        return int(value)
    if kind == "array":
        return [str(item) for item in value]
    return value


def _lookup(item: Mapping[str, Any], dotted: str) -> Any:
    value: Any = item
    for key in dotted.split("."):
        if value is None:
            return None
        value = value.get(key)
    return value


# --- The tables ---------------------------------------------------------------------------------


def observations_table() -> Table:
    """Every observation, as the API represents it, in the order of its natural key."""
    serializer = ObservationSerializer()
    columns = api_fields(serializer)
    names = [f.name for _dotted, f in columns]
    assert len(set(names)) == len(names), "two API fields flatten to one column name"
    rows = (
        Observation.objects.order_by("document__slug", "figure_start")
        .values(*ObservationSerializer.columns)
        .iterator(chunk_size=2000)
    )
    return Table(
        name="observations",
        title="Observations (figures)",
        description=(
            "Every figure read from the texts, whatever its status or rank, with the columns of "
            "the API's CSV export (/api/v1/observations/?format=csv) with _ for its dots: what "
            "is counted, where and when, the quantity with its bounds and qualifier, and the "
            "quote it was read from (source_quote == documents.text[source_start:source_end])."
        ),
        fields=tuple(f for _dotted, f in columns),
        primary_key=("id",),
        foreign_keys=(
            ForeignKey(("indicator_code",), "indicators", ("code",)),
            ForeignKey(("district_code",), "districts", ("code",)),
            ForeignKey(("tier_code",), "tiers", ("code",)),
            ForeignKey(("initiative_code",), "initiatives", ("code",)),
            ForeignKey(("source_document",), "documents", ("id",)),
        ),
        rows=[
            tuple(_typed(_lookup(item, dotted), f.type) for dotted, f in columns)
            for item in (serializer.to_representation(row) for row in rows)
        ],
    )


@dataclass(frozen=True)
class Column:
    """How one column of a model table is read: the values it needs, and what it makes of them."""

    field: Field
    lookups: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]


def from_model(
    model: type[models.Model], column: str, source: str | None = None, lookup: str | None = None
) -> Column:
    """A column holding a model field (``source``, default ``column``), read through ``lookup``
    (``parent__code`` for a reference, published as the code)."""
    published = model_field(model, source or column, column)
    read = lookup or source or column
    return Column(published, (read,), lambda row: _typed(row[read], published.type))


def model_columns(model: type[models.Model], *names: str) -> list[Column]:
    """Columns holding the model's fields ``names``, each as :func:`from_model` publishes it."""
    return [from_model(model, name) for name in names]


def document_offset_id(description: str, slug: str, offset: str) -> Column:
    """The API's id of a row located in a text: ``document:offset`` (jimei-2021:754)."""
    return Column(
        Field("id", "string", description), (slug, offset), lambda r: f"{r[slug]}:{r[offset]}"
    )


def _model_table(
    *,
    name: str,
    title: str,
    description: str,
    queryset: models.QuerySet[Any],
    columns: Iterable[Column],
    primary_key: tuple[str, ...],
    foreign_keys: tuple[ForeignKey, ...] = (),
) -> Table:
    """A table read straight from a model, in the queryset's order."""
    columns = list(columns)
    lookups = dict.fromkeys(lookup for column in columns for lookup in column.lookups)
    rows = [
        tuple(column.compute(row) for column in columns)
        for row in queryset.values(*lookups).iterator(chunk_size=2000)
    ]
    fields = tuple(column.field for column in columns)
    return Table(name, title, description, fields, primary_key, foreign_keys, rows)


def districts_table() -> Table:
    """Every place, as /api/v1/districts/ gives it (children are the rows naming it parent)."""
    return _model_table(
        name="districts",
        title="Places (districts)",
        description="Every place a figure can be attributed to: the GB/T 2260 divisions and "
        "the project's two high-tech zones, as /api/v1/districts/ lists them.",
        queryset=District.objects.order_by("code"),
        columns=[
            *model_columns(District, "code", "name_zh", "short_zh", "name_en", "pinyin", "level"),
            from_model(District, "parent", lookup="parent__code"),
            *model_columns(District, "aliases", "note"),
        ],
        primary_key=("code",),
        foreign_keys=(ForeignKey(("parent",), "districts", ("code",)),),
    )


def tiers_table() -> Table:
    """Every organisation tier."""
    return _model_table(
        name="tiers",
        title="Organisation tiers",
        description="The levels of party organisation (区委, 街道党工委, 小区党支部 …); "
        "rank 10 is the highest.",
        queryset=OrganisationTier.objects.order_by("code"),
        columns=model_columns(
            OrganisationTier, "code", "name_zh", "name_en", "rank", "description", "aliases"
        ),
        primary_key=("code",),
    )


def indicators_table() -> Table:
    """Every measure, with the codes it replaced."""
    return _model_table(
        name="indicators",
        title="Measures (indicators)",
        description="What is counted, shared across places; replaces lists the codes a "
        "measure replaced, which the API still accepts as deprecated aliases.",
        queryset=Indicator.objects.order_by("code"),
        columns=[
            *model_columns(
                Indicator, "code", "name_zh", "name_en", "definition", "unit", "category"
            ),
            from_model(Indicator, "tier", lookup="tier__code"),
            *model_columns(Indicator, "national_term", "synonyms", "replaces"),
        ],
        primary_key=("code",),
        foreign_keys=(ForeignKey(("tier",), "tiers", ("code",)),),
    )


def initiatives_table() -> Table:
    """Every named initiative, with the codes of the places running it."""
    places: dict[int, list[str]] = {}
    links = Initiative.districts.through.objects.order_by("district__code")
    for initiative_id, code in links.values_list("initiative_id", "district__code"):
        places.setdefault(initiative_id, []).append(code)
    return _model_table(
        name="initiatives",
        title="Named initiatives",
        description="Named programmes, campaigns, platforms, methods and brands "
        "(金牌引领·百支齐行, 厦门党建e家).",
        queryset=Initiative.objects.order_by("code"),
        columns=[
            *model_columns(Initiative, "code", "name_zh", "name_en", "kind"),
            from_model(Initiative, "parent", lookup="parent__code"),
            Column(
                Field("districts", "array", "codes of the places running it"),
                ("id",),
                lambda row: places.get(row["id"], []),
            ),
            *model_columns(Initiative, "started_on", "started_precision", "description", "aliases"),
        ],
        primary_key=("code",),
        foreign_keys=(ForeignKey(("parent",), "initiatives", ("code",)),),
    )


def documents_table() -> Table:
    """Every source document with its verbatim text."""
    return _model_table(
        name="documents",
        title="Source documents",
        description="The report texts every figure is read from, verbatim: offsets count the "
        "Unicode code points of text.",
        queryset=SourceDocument.objects.order_by("slug"),
        columns=[
            from_model(SourceDocument, "id", "slug"),
            *model_columns(SourceDocument, "sha256", "title", "title_en", "outlet", "authors"),
            from_model(SourceDocument, "place", lookup="place__code"),
            *model_columns(SourceDocument, *PUBLICATION_FIELDS, "original_name", "text"),
        ],
        primary_key=("id",),
        foreign_keys=(ForeignKey(("place",), "districts", ("code",)),),
    )


def tier_chains_table() -> Table:
    """Every tier chain (its tiers are in tier_chain_links)."""
    return _model_table(
        name="tier_chains",
        title="Tier chains",
        description="Chains of organisation tiers as the texts spell them out "
        "(区委—街道大党工委—社区大党委—小区党支部).",
        queryset=TierChain.objects.order_by("document__slug", "start"),
        columns=[
            document_offset_id("document id and offset of the chain", "document__slug", "start"),
            from_model(TierChain, "district", lookup="district__code"),
            from_model(TierChain, "label"),
            from_model(TierChain, "document", lookup="document__slug"),
            *model_columns(TierChain, "start", "end", "quote"),
        ],
        primary_key=("id",),
        foreign_keys=(
            ForeignKey(("district",), "districts", ("code",)),
            ForeignKey(("document",), "documents", ("id",)),
        ),
    )


def tier_chain_links_table() -> Table:
    """Every link of every tier chain, top first."""
    chain = document_offset_id("id of the chain", "chain__document__slug", "chain__start")
    return _model_table(
        name="tier_chain_links",
        title="Tier chain links",
        description="The tiers of each chain in order from the top, with their words as "
        "written and their offsets.",
        queryset=TierChainLink.objects.order_by(
            "chain__document__slug", "chain__start", "position"
        ),
        columns=[
            Column(Field("chain", "string", chain.field.description), chain.lookups, chain.compute),
            from_model(TierChainLink, "position"),
            from_model(TierChainLink, "tier", lookup="tier__code"),
            *model_columns(TierChainLink, "words", "start", "end"),
        ],
        primary_key=("chain", "position"),
        foreign_keys=(
            ForeignKey(("chain",), "tier_chains", ("id",)),
            ForeignKey(("tier",), "tiers", ("code",)),
        ),
    )


#: The published tables, each after the tables it refers to.
TABLE_BUILDERS: tuple[Callable[[], Table], ...] = (
    districts_table,
    tiers_table,
    indicators_table,
    initiatives_table,
    documents_table,
    tier_chains_table,
    tier_chain_links_table,
    observations_table,
)


def corpus_tables() -> list[Table]:
    """Every published table, read from the database now (the caller makes it consistent)."""
    return [build() for build in TABLE_BUILDERS]
