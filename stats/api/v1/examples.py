"""Examples shown in the OpenAPI schema: real responses for real figures of the corpus.
tests/stats/api/test_examples.py checks each equals what the API answers now."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

#: 全区1.6万名党员 (Jimei, 2021): an exact figure with a scale word and a measure word.
OBSERVATION_JIMEI_MEMBERS: dict[str, Any] = {
    "id": "jimei-2021:444",
    "indicator": {
        "code": "party_members",
        "name_zh": "党员人数",
        "name_en": "party members",
        "unit": "person",
    },
    "district": {
        "code": "350211",
        "name_zh": "集美区",
        "name_en": "Jimei District",
        "level": "district",
        "parent": "350200",
    },
    "sub_unit": "",
    "tier": None,
    "initiative": None,
    "breakdown": "",
    "statistic": "level",
    "status": "actual",
    "series": "party_members.350211._T._T.level.actual._Z._Z",
    "rank": "preferred",
    "rank_reason": "the only source for this period",
    "period": {"label": "去年", "start": "2020-01-01", "end": "2020-12-31", "kind": "stock"},
    "value": "16000",
    "lower_bound": "16000",
    "lower_inclusive": True,
    "upper_bound": "16000",
    "upper_inclusive": True,
    "upper_by_convention": False,
    "qualifier": "exact",
    "unit": "person",
    "raw": "1.6万名",
    "mantissa": "1.6",
    "scale": "万",
    "scale_power": 4,
    "measure_word": "名",
    "source": {
        "document": "jimei-2021",
        "start": 442,
        "end": 451,
        "quote": "全区1.6万名党员",
        "figure_start": 444,
        "figure_end": 449,
    },
    "note": (
        "All party members of the district in 2020, said to have taken part in the campaign "
        "深化大学习、提振精气神; the campaign is only the occasion, so the figure is the "
        "district's membership (a stock), as in the documentation's example."
    ),
}

#: 集美区, a district of Xiamen.
DISTRICT_JIMEI: dict[str, Any] = {
    "code": "350211",
    "name_zh": "集美区",
    "short_zh": "集美",
    "name_en": "Jimei District",
    "pinyin": "Jíměi",
    "level": "district",
    "parent": "350200",
    "children": [],
    "aliases": [],
    "note": "",
}

OBSERVATION_EXAMPLE = OpenApiExample(
    "全区1.6万名党员",
    value=OBSERVATION_JIMEI_MEMBERS,
    summary="Jimei's 16,000 party members (jimei-2021:444)",
    response_only=True,
    media_type="application/json",
)
OBSERVATION_PAGE_EXAMPLE = OpenApiExample(
    "party members in Jimei",
    value={
        "next": None,
        "previous": None,
        "results": [OBSERVATION_JIMEI_MEMBERS],
        "facets": {"qualifier": [{"value": "exact", "label": "exact", "count": 1}]},
    },
    summary="?indicator=party_members&district=350211&facets=qualifier",
    response_only=True,
    media_type="application/json",
)
DISTRICT_EXAMPLE = OpenApiExample(
    "集美区",
    value=DISTRICT_JIMEI,
    summary="Jimei District of Xiamen",
    response_only=True,
    media_type="application/json",
)

#: 湖里区 as the place of a figure: with its level and the place above it.
PLACE_HULI: dict[str, Any] = {
    "code": "350206",
    "name_zh": "湖里区",
    "name_en": "Huli District",
    "level": "district",
    "parent": "350200",
}
SCHOOL_PLACES = {
    "code": "school_places_added",
    "name_zh": "新增学位数",
    "name_en": "school places added",
    "unit": "count",
}


def _school_places_series(status: str, figure: dict[str, Any]) -> dict[str, Any]:
    period = figure["period"]
    return {
        "key": f"school_places_added.350206._T._T.level.{status}._Z._Z",
        "indicator": SCHOOL_PLACES,
        "district": PLACE_HULI,
        "sub_unit": "",
        "breakdown": "",
        "statistic": "level",
        "status": status,
        "tier": None,
        "initiative": None,
        "unit": "count",
        "observation_count": 1,
        "period_start": period["start"],
        "period_end": period["end"],
        "latest": figure,
    }


#: Huli's school places: 5466 added in 2020 (actual), 30000 planned for five years (a target).
SERIES_SCHOOL_PLACES: dict[str, Any] = {
    "next": None,
    "previous": None,
    "results": [
        _school_places_series(
            "actual",
            {
                "id": "huli-2021:2459",
                "period": {
                    "label": "去年",
                    "start": "2020-01-01",
                    "end": "2020-12-31",
                    "kind": "flow",
                },
                "value": "5466",
                "lower_bound": "5466",
                "upper_bound": "5466",
                "qualifier": "exact",
                "raw": "5466个",
            },
        ),
        _school_places_series(
            "target",
            {
                "id": "huli-2021:2479",
                "period": {
                    "label": "未来五年",
                    "start": "2021-01-01",
                    "end": "2025-12-31",
                    "kind": "flow",
                },
                "value": "30000",
                "lower_bound": "30000",
                "upper_bound": "30000",
                "qualifier": "exact",
                "raw": "3万个",
            },
        ),
    ],
}
SERIES_PAGE_EXAMPLE = OpenApiExample(
    "school places Huli plans to add",
    value=SERIES_SCHOOL_PLACES["results"][1],
    summary="?indicator=school_places_added&status=target",
    response_only=True,
    media_type="application/json",
)

#: Grassroots party organisations of the districts, by the year their periods end.
PANEL_ORGANISATIONS: dict[str, Any] = {
    "indicator": {
        "code": "grassroots_party_organisations",
        "name_zh": "基层党组织数",
        "name_en": "primary-level party organisations",
        "unit": "organisation",
    },
    "breakdown": "",
    "statistic": "level",
    "status": "actual",
    "unit": "organisation",
    "periods": ["2020", "2021"],
    "rows": [
        {
            "district": PLACE_HULI,
            "values": {
                "2020": None,
                "2021": {
                    "id": "huli-2021:852",
                    "value": "1400",
                    "qualifier": "more_than_bounded",
                    "raw": "1400余个",
                },
            },
        },
        {
            "district": {
                "code": "350211",
                "name_zh": "集美区",
                "name_en": "Jimei District",
                "level": "district",
                "parent": "350200",
            },
            "values": {
                "2020": {
                    "id": "jimei-2021:452",
                    "value": "1100",
                    "qualifier": "more_than_bounded",
                    "raw": "1100余个",
                },
                "2021": None,
            },
        },
    ],
}
PANEL_EXAMPLE = OpenApiExample(
    "grassroots party organisations of the districts",
    value=PANEL_ORGANISATIONS,
    summary="?indicator=grassroots_party_organisations&place_level=district",
    response_only=True,
    media_type="application/json",
)
