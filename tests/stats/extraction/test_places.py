"""Generated pinyin agrees with the reference table of shared/reference/divisions.md; the
suggestions find places of the full GB/T 2260 table (stats/extraction/divisions.py)."""

from datetime import date
from pathlib import Path

import pytest

from stats.extraction.periods import PublicationWindow
from stats.extraction.places import place_pinyin
from stats.extraction.sources import read_seed_sources
from stats.extraction.suggest import Vocabulary, suggest
from stats.extraction.suggest.lexicon import lexicon_of
from stats.extraction.suggest.text import Text

# From the reference table (GB/T 2260 places named in the seed texts).
REFERENCE = {
    "福建": "Fújiàn",
    "福州": "Fúzhōu",
    "鼓楼": "Gǔlóu",
    "台江": "Táijiāng",
    "仓山": "Cāngshān",
    "马尾": "Mǎwěi",
    "晋安": "Jìn'ān",
    "长乐": "Chánglè",
    "闽侯": "Mǐnhòu",
    "连江": "Liánjiāng",
    "罗源": "Luóyuán",
    "闽清": "Mǐnqīng",
    "永泰": "Yǒngtài",
    "福清": "Fúqīng",
    "厦门": "Xiàmén",
    "思明": "Sīmíng",
    "海沧": "Hǎicāng",
    "湖里": "Húlǐ",
    "集美": "Jíměi",
    "同安": "Tóng'ān",
    "翔安": "Xiáng'ān",
}


@pytest.mark.parametrize(("name", "expected"), REFERENCE.items())
def test_place_pinyin_matches_reference_table(name, expected):
    assert place_pinyin(name) == expected


def test_mawei_is_not_read_as_mayi():
    # pypinyin alone reads 马尾 as mǎ yǐ; the override keeps the place name right.
    assert place_pinyin("马尾") == "Mǎwěi"


# --------------------------------------------------------------------------------------------
# The full GB/T 2260 table (stats/extraction/divisions.py) in the suggestions

SOURCES = read_seed_sources(Path(__file__).resolve().parents[3] / "seeds")
VOCABULARY = Vocabulary(SOURCES.districts, SOURCES.indicators, SOURCES.tiers, SOURCES.initiatives)
WINDOW = PublicationWindow(date(2024, 1, 1), date(2024, 3, 31))


def places(text: str, default: str | None = None) -> list[tuple[str, str]]:
    doc = Text(text, lexicon_of(VOCABULARY), default)
    return [(text[start:end], place.district.code) for start, end, place in doc.places]


def districts(text: str, default: str | None = None) -> list[tuple[str, str | None]]:
    return [(s.raw, s.district) for s in suggest(text, WINDOW, VOCABULARY, default)]


def test_the_longest_place_name_wins():
    assert places("晋江市深化党建引领") == [("晋江市", "350582")]
    assert places("泉州市鲤城区开元街道") == [("泉州市", "350500"), ("鲤城区", "350502")]
    assert places("厦门火炬高新区") == [("厦门火炬高新区", "350200-HTZ")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("截至2023年底，晋江市共有党员3.2万名。", [("3.2万名", "350582")]),
        ("截至2023年底，泉州市鲤城区共有党员1.6万名。", [("1.6万名", "350502")]),
        ("截至2023年底，宁德市共有基层党组织8000余个。", [("8000余个", "350900")]),
        ("漳州：全市新发展党员2100名。", [("2100名", "350600")]),
    ],
)
def test_a_report_from_a_place_the_seeds_never_name_is_suggested_its_place(text, expected):
    assert [d for d in districts(text, "350000") if d[0] != "2023年"] == expected


def test_a_name_several_places_share_is_the_one_the_text_or_its_place_says():
    # 鼓楼区: Nanjing 320106, Xuzhou 320302, Fuzhou 350102, Kaifeng 410204.
    assert places("鼓楼区", "350100") == [("鼓楼区", "350102")]
    assert places("鼓楼区", "350203") == [("鼓楼区", "350102")]  # same province
    assert places("南京市鼓楼区", "350100") == [("南京市", "320100"), ("鼓楼区", "320106")]
    assert places("鼓楼区") == [("鼓楼区", "320106")]  # nothing to go by: the lowest code


def test_county_short_names_are_read_alone_only_in_fujian():
    assert places("晋江、鲤城") == [("晋江", "350582"), ("鲤城", "350502")]
    assert places("通州区和通州") == [("通州区", "110112")]
    assert places("和平年代，富民政策") == []  # 和平区, 富民县: words, not places
    assert places("城区党员和县级") == []  # 城区 and 和县 are read only as part of a longer name


def test_a_short_name_before_a_meeting_or_a_spirit_is_not_a_place():
    assert places("传承古田会议精神") == []
    assert places("古田县") == [("古田县", "350922")]
