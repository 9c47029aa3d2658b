"""The codelists of the coded components: the breakdown categories, statistic, status, units,
qualifiers and period kinds from ``stats.vocabulary``; measures, places, tiers, initiatives
and documents from their tables (every row, so any code the data can hold is listed)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stats.models import District, Indicator, Initiative, OrganisationTier, SourceDocument
from stats.vocabulary import (
    CODELISTS,
    NOT_APPLICABLE,
    TOTAL,
    UNITS,
    PeriodKind,
    Qualifier,
    Statistic,
    Status,
)

__all__ = ["Code", "Codelist", "codelists", "vocabulary_codelists"]


@dataclass(frozen=True)
class Code:
    """One code with its English and (where there is one) Chinese name."""

    id: str
    name_en: str
    name_zh: str = ""


@dataclass(frozen=True)
class Codelist:
    """An SDMX codelist: its id (``CL_…``), names and codes."""

    id: str
    name_en: str
    name_zh: str
    codes: tuple[Code, ...]


_TOTAL_CODE = Code(TOTAL, "total", "合计")
_NOT_APPLICABLE_CODE = Code(NOT_APPLICABLE, "not applicable", "不适用")


def _enum_codelist(id: str, name_en: str, name_zh: str, enum: type[StrEnum]) -> Codelist:
    return Codelist(
        id, name_en, name_zh, tuple(Code(m.value, m.value.replace("_", " ")) for m in enum)
    )


def vocabulary_codelists() -> list[Codelist]:
    """The codelists ``stats.vocabulary`` defines: one per breakdown dimension (with
    ``_T``, the total, first), statistic, status, unit, qualifier and period kind."""
    lists = [
        Codelist(
            f"CL_{c.code.upper()}",
            c.name_en,
            c.name_zh,
            (_TOTAL_CODE, *(Code(k.code, k.name_en, k.name_zh) for k in c.categories)),
        )
        for c in CODELISTS.values()
    ]
    return [
        *lists,
        _enum_codelist("CL_STATISTIC", "statistic", "统计量", Statistic),
        _enum_codelist("CL_STATUS", "status", "状态", Status),
        Codelist("CL_UNIT", "unit", "单位", tuple(Code(u.code, u.label) for u in UNITS.values())),
        _enum_codelist("CL_QUALIFIER", "qualifier", "限定", Qualifier),
        _enum_codelist("CL_PERIOD_KIND", "period kind", "时期类型", PeriodKind),
    ]


def codelists() -> list[Codelist]:
    """Every codelist of the structure, those read from the database included (five
    queries)."""
    return [
        Codelist(
            "CL_MEASURE",
            "measure",
            "指标",
            tuple(
                Code(*row)
                for row in Indicator.objects.order_by("code").values_list(
                    "code", "name_en", "name_zh"
                )
            ),
        ),
        Codelist(
            "CL_AREA",
            "place",
            "地区",
            tuple(
                Code(*row)
                for row in District.objects.order_by("code").values_list(
                    "code", "name_en", "name_zh"
                )
            ),
        ),
        *vocabulary_codelists(),
        Codelist(
            "CL_TIER",
            "organisation tier",
            "组织层级",
            (
                _NOT_APPLICABLE_CODE,
                *(
                    Code(*row)
                    for row in OrganisationTier.objects.order_by("rank", "code").values_list(
                        "code", "name_en", "name_zh"
                    )
                ),
            ),
        ),
        Codelist(
            "CL_INITIATIVE",
            "initiative",
            "工作品牌",
            (
                _NOT_APPLICABLE_CODE,
                *(
                    Code(*row)
                    for row in Initiative.objects.order_by("code").values_list(
                        "code", "name_en", "name_zh"
                    )
                ),
            ),
        ),
        Codelist(
            "CL_DOCUMENT",
            "source document",
            "来源文献",
            tuple(
                Code(*row)
                for row in SourceDocument.objects.order_by("slug").values_list(
                    "slug", "title_en", "title"
                )
            ),
        ),
    ]
