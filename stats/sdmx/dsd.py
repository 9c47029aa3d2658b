"""The data structure definition (DSD) of the dataset, and how one observation row becomes
SDMX values.

Pure: no ORM, no HTTP. The components follow the statistical structure of
``stats.vocabulary`` (docs/data-model.md): every dimension of the series key is a dimension
here, the breakdown split into one dimension per codelist (SEX, AGE …, ``_T`` for the total,
as Eurostat and the OECD publish breakdowns), so that SDMX tools can slice by any of them
without parsing ``sex:female,age:35_or_under``. The series key's tier and initiative are
dimensions too (``_Z`` where nothing scopes the figure): without them two series would share an
SDMX key. What the text says about the figure (its unit, the multiplier it was written with,
qualifier and bounds, the period phrase, the document and the offsets of its words) are
attributes of the observation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from stats.extraction.quantities import QUANTITY_COLUMNS
from stats.vocabulary import CODELISTS, NOT_APPLICABLE, TOTAL, parse_breakdown

__all__ = [
    "AGENCY",
    "ATTRIBUTES",
    "COMPONENTS",
    "DATAFLOW",
    "DATAFLOW_URN",
    "DIMENSIONS",
    "DSD",
    "DSD_URN",
    "OBSERVATION_COLUMNS",
    "STRUCTURE_ID",
    "VERSION",
    "Component",
    "codelist_urn",
    "concept_urn",
    "observation_values",
    "scaled",
    "time_period",
]

#: The maintenance agency, the dataflow and its structure (SDMX 3.0 semantic version).
AGENCY = "FJ_PARTY_STATS"
DATAFLOW = "PARTY_BUILDING"
DSD = "DSD_PARTY_BUILDING"
CONCEPT_SCHEME = "CS_PARTY_BUILDING"
VERSION = "1.0.0"
#: How SDMX-CSV names the dataflow (the STRUCTURE_ID column).
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"
DSD_URN = f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{DSD}({VERSION})"
DATAFLOW_URN = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={STRUCTURE_ID}"


def codelist_urn(codelist: str) -> str:
    """The URN of one of this agency's codelists."""
    return f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={AGENCY}:{codelist}({VERSION})"


def concept_urn(concept: str) -> str:
    """The URN of a concept of the dataset's concept scheme."""
    return (
        f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept="
        f"{AGENCY}:{CONCEPT_SCHEME}({VERSION}).{concept}"
    )


Role = Literal["dimension", "time", "measure", "attribute"]
#: SDMX text types used here (the SDMX-ML TextFormat textType / SDMX-JSON format.dataType).
TextType = Literal[
    "String", "Decimal", "Integer", "Boolean", "ObservationalTimePeriod", "GregorianDay"
]


@dataclass(frozen=True)
class Component:
    """A dimension, the measure or an attribute: its id (the SDMX-CSV column), names, the
    codelist it takes its values from (None: free values of ``text_type``)."""

    id: str
    name_en: str
    name_zh: str
    role: Role
    description: str
    codelist: str | None = None
    text_type: TextType = "String"
    mandatory: bool = False


def _breakdown_dimension(code: str) -> Component:
    codelist = CODELISTS[code]
    return Component(
        code.upper(),
        codelist.name_en,
        codelist.name_zh,
        "dimension",
        f"{codelist.description} {TOTAL}: every category (the figure is not broken down so).",
        codelist=f"CL_{code.upper()}",
    )


#: Dimensions in key order: the series key's, then the time period.
DIMENSIONS: tuple[Component, ...] = (
    Component("MEASURE", "measure", "指标", "dimension", "What is counted.", "CL_MEASURE"),
    Component(
        "REF_AREA",
        "place",
        "地区",
        "dimension",
        "GB/T 2260 code of the place, or the project's code of a high-tech zone.",
        "CL_AREA",
    ),
    Component(
        "SUB_UNIT",
        "sub-unit",
        "下级单位",
        "dimension",
        f"The street, community, village or enterprise named, as written; {TOTAL}: the place "
        "as a whole.",
    ),
    *(_breakdown_dimension(code) for code in CODELISTS),
    Component(
        "STATISTIC", "statistic", "统计量", "dimension", "What kind of number.", "CL_STATISTIC"
    ),
    Component("STATUS", "status", "状态", "dimension", "Actual, target or estimate.", "CL_STATUS"),
    Component(
        "TIER",
        "organisation tier",
        "组织层级",
        "dimension",
        f"The organisation tier counted; {NOT_APPLICABLE}: not scoped to one.",
        "CL_TIER",
    ),
    Component(
        "INITIATIVE",
        "initiative",
        "工作品牌",
        "dimension",
        f"The named initiative the figure counts within; {NOT_APPLICABLE}: none.",
        "CL_INITIATIVE",
    ),
    Component(
        "TIME_PERIOD",
        "time period",
        "时期",
        "time",
        "The period as an SDMX time period: a year (2021), a month (2021-03), a day "
        "(2021-07-08) or a range from a day (2020-01-01/P4Y); the end day when only the end "
        "is known; empty when neither end is known.",
        text_type="ObservationalTimePeriod",
    ),
)

MEASURE = Component(
    "OBS_VALUE",
    "value",
    "数值",
    "measure",
    "The number as written, in units of 10^UNIT_MULT (1.6 for 1.6万 with UNIT_MULT 4); empty "
    "for ranges and vague figures.",
    text_type="Decimal",
)


def _attribute(
    id: str,
    name_en: str,
    name_zh: str,
    description: str,
    codelist: str | None = None,
    text_type: TextType = "String",
    mandatory: bool = False,
) -> Component:
    return Component(id, name_en, name_zh, "attribute", description, codelist, text_type, mandatory)


ATTRIBUTES: tuple[Component, ...] = (
    _attribute("UNIT_MEASURE", "unit", "单位", "The canonical unit.", "CL_UNIT", mandatory=True),
    _attribute(
        "UNIT_MULT",
        "unit multiplier",
        "数量级",
        "The scale word as written, as a power of ten (万 is 4): OBS_VALUE and the bounds "
        "times 10^UNIT_MULT are the quantity.",
        text_type="Integer",
        mandatory=True,
    ),
    _attribute(
        "QUALIFIER",
        "qualifier",
        "限定",
        "How the text bounds the figure (超 more_than, 近 nearly …).",
        "CL_QUALIFIER",
        mandatory=True,
    ),
    _attribute(
        "LOWER_BOUND",
        "lower bound",
        "下限",
        "In units of 10^UNIT_MULT; empty: none.",
        text_type="Decimal",
    ),
    _attribute(
        "LOWER_INCLUSIVE",
        "lower bound inclusive",
        "含下限",
        "Whether the lower bound itself is possible; empty: no bound.",
        text_type="Boolean",
    ),
    _attribute(
        "UPPER_BOUND",
        "upper bound",
        "上限",
        "In units of 10^UNIT_MULT; empty: none.",
        text_type="Decimal",
    ),
    _attribute(
        "UPPER_INCLUSIVE",
        "upper bound inclusive",
        "含上限",
        "Whether the upper bound itself is possible; empty: no bound.",
        text_type="Boolean",
    ),
    _attribute(
        "UPPER_BY_CONVENTION",
        "upper bound by convention",
        "上限按惯例",
        "The upper bound is a reading convention (余, 多, vague words), not stated.",
        text_type="Boolean",
        mandatory=True,
    ),
    _attribute("AS_WRITTEN", "figure as written", "原文数字", "1.6万名, 超1300.", mandatory=True),
    _attribute(
        "PERIOD_LABEL",
        "period as written",
        "时期原文",
        "The period phrase as written (去年, 截至2023年底), or 未写明 when the text states none.",
        mandatory=True,
    ),
    _attribute(
        "PERIOD_KIND",
        "period kind",
        "时期类型",
        "Stock (at a moment), flow (during the period) or cumulative (since a start).",
        "CL_PERIOD_KIND",
        mandatory=True,
    ),
    _attribute(
        "PERIOD_START",
        "period start",
        "起始日",
        "First day of the period; empty: not known.",
        text_type="GregorianDay",
    ),
    _attribute(
        "PERIOD_END",
        "period end",
        "截止日",
        "Last day of the period; empty: not known.",
        text_type="GregorianDay",
    ),
    _attribute(
        "SOURCE_DOCUMENT",
        "source document",
        "来源文献",
        "The report the figure is read from (/api/v1/documents/<id>/).",
        "CL_DOCUMENT",
        mandatory=True,
    ),
    _attribute(
        "QUOTE_START",
        "quote start",
        "引文起点",
        "Offset of the quote in the document's text, in code points.",
        text_type="Integer",
        mandatory=True,
    ),
    _attribute(
        "QUOTE_END",
        "quote end",
        "引文终点",
        "Offset just after the quote.",
        text_type="Integer",
        mandatory=True,
    ),
    _attribute(
        "FIGURE_START",
        "figure start",
        "数字起点",
        "Offset of the figure itself; with SOURCE_DOCUMENT it identifies the observation "
        "(/api/v1/observations/<document>:<figure start>/).",
        text_type="Integer",
        mandatory=True,
    ),
    _attribute(
        "FIGURE_END",
        "figure end",
        "数字终点",
        "Offset just after the figure.",
        text_type="Integer",
        mandatory=True,
    ),
    _attribute(
        "QUOTE",
        "quote",
        "引文",
        "The words the figure is read from: the document's text between the offsets.",
        mandatory=True,
    ),
)

#: Every component in SDMX-CSV column order: dimensions, the measure, attributes.
COMPONENTS: tuple[Component, ...] = (*DIMENSIONS, MEASURE, *ATTRIBUTES)

#: The columns of an observation row (``QuerySet.values``) that :func:`observation_values`
#: and the codelists of the data messages read.
OBSERVATION_COLUMNS = (
    "indicator__code",
    "indicator__name_zh",
    "indicator__name_en",
    "district__code",
    "district__name_zh",
    "district__name_en",
    "sub_unit",
    "breakdown",
    "statistic",
    "status",
    "tier__code",
    "tier__name_zh",
    "tier__name_en",
    "initiative__code",
    "initiative__name_zh",
    "initiative__name_en",
    "period_label",
    "period_start",
    "period_end",
    "period_kind",
    *QUANTITY_COLUMNS,
    "unit",
    "raw",
    "scale_power",
    "document__slug",
    "document__title",
    "document__title_en",
    "start",
    "end",
    "quote",
    "figure_start",
    "figure_end",
)

#: A value of a component: text, a whole number, a truth value, or None (no value).
Value = str | int | bool | None


def scaled(quantity: Decimal | None, power: int) -> str | None:
    """``quantity`` in units of 10^``power``, as an exact decimal string without exponent or
    trailing zeros: 16000 with power 4 is "1.6"."""
    if quantity is None:
        return None
    return format(quantity.scaleb(-power).normalize(), "f")


def _duration(start: date, end: date) -> str:
    """The ISO 8601 duration from the first day ``start`` to the last day ``end``: whole
    years and months when the period is a run of whole months from ``start``, else days."""
    after = end + timedelta(days=1)
    if after.day == start.day:
        months = (after.year - start.year) * 12 + after.month - start.month
        years, months = divmod(months, 12)
        return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")
    return f"P{(after - start).days}D"


def time_period(start: date | None, end: date | None) -> str:
    """The SDMX time period of the period from ``start`` to ``end`` (both days included):
    a calendar year ``2021``, a month ``2021-03``, a day ``2021-07-08``, else a time range
    from the first day, ``2020-01-01/P4Y`` or ``2019-12-31/P367D``. With one end unknown it is
    the known day (a stock or running total as at that day); with both unknown, empty."""
    if start is None or end is None:
        known = end or start
        return known.isoformat() if known else ""
    if start == end:
        return start.isoformat()
    after = end + timedelta(days=1)
    if start.day == 1 and after.day == 1:
        if start.month == 1 and after.month == 1 and after.year == start.year + 1:
            return f"{start.year}"
        if (after.year - start.year) * 12 + after.month - start.month == 1:
            return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()}/{_duration(start, end)}"


def observation_values(row: Mapping[str, Any]) -> dict[str, Value]:
    """The SDMX value of every component (:data:`COMPONENTS`, in order) for one observation
    row of :data:`OBSERVATION_COLUMNS`. Quantities are exact decimal strings; None is no
    value (an empty SDMX-CSV cell)."""
    breakdown = parse_breakdown(row["breakdown"])
    power = int(row["scale_power"])
    start, end = row["period_start"], row["period_end"]
    values: dict[str, Value] = {
        "MEASURE": row["indicator__code"],
        "REF_AREA": row["district__code"],
        "SUB_UNIT": row["sub_unit"] or TOTAL,
        **{code.upper(): breakdown.get(code, TOTAL) for code in CODELISTS},
        "STATISTIC": row["statistic"],
        "STATUS": row["status"],
        "TIER": row["tier__code"] or NOT_APPLICABLE,
        "INITIATIVE": row["initiative__code"] or NOT_APPLICABLE,
        "TIME_PERIOD": time_period(start, end),
        "OBS_VALUE": scaled(row["value"], power),
        "UNIT_MEASURE": row["unit"],
        "UNIT_MULT": power,
        "QUALIFIER": row["qualifier"],
        "LOWER_BOUND": scaled(row["lower_bound"], power),
        "LOWER_INCLUSIVE": row["lower_inclusive"],
        "UPPER_BOUND": scaled(row["upper_bound"], power),
        "UPPER_INCLUSIVE": row["upper_inclusive"],
        "UPPER_BY_CONVENTION": row["upper_by_convention"],
        "AS_WRITTEN": row["raw"],
        "PERIOD_LABEL": row["period_label"],
        "PERIOD_KIND": row["period_kind"],
        "PERIOD_START": start.isoformat() if start else None,
        "PERIOD_END": end.isoformat() if end else None,
        "SOURCE_DOCUMENT": row["document__slug"],
        "QUOTE_START": row["start"],
        "QUOTE_END": row["end"],
        "FIGURE_START": row["figure_start"],
        "FIGURE_END": row["figure_end"],
        "QUOTE": row["quote"],
    }
    return values
