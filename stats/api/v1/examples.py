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
