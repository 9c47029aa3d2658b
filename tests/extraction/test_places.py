"""Generated pinyin agrees with the reference table of shared/reference/divisions.md."""

import pytest

from stats.extraction.places import place_pinyin

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
