"""The figure parser against shared/reference/quantities.md and the figures of the seed texts.

The table ``CASES`` is the spec in executable form: one row per written figure, with the value,
the bounds and their inclusiveness, the qualifier and the canonical unit that the reference says
it reads as. Rows marked ``seed`` are copied from seeds/*.txt as they are written there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stats.extraction.quantities import (
    MEASURE_WORDS,
    SCALE_POWERS,
    FigureError,
    Qualifier,
    Quantity,
    parse_quantity,
)

EXACT = Qualifier.EXACT
APPROX = Qualifier.APPROXIMATE
MORE = Qualifier.MORE_THAN
BOUNDED = Qualifier.MORE_THAN_BOUNDED
AT_LEAST = Qualifier.AT_LEAST
NEARLY = Qualifier.NEARLY
LESS = Qualifier.LESS_THAN
AT_MOST = Qualifier.AT_MOST
RANGE = Qualifier.RANGE
VAGUE = Qualifier.VAGUE


@dataclass(frozen=True)
class Case:
    """One written figure and how it reads. Numbers are strings in their canonical form."""

    raw: str
    value: str | None
    lower: str | None
    lower_inclusive: bool | None
    upper: str | None
    upper_inclusive: bool | None
    qualifier: Qualifier
    unit: str
    seed: bool = False

    @property
    def id(self) -> str:
        return self.raw.replace("\n", "⏎")


def exact(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, n, True, n, True, EXACT, unit, seed)


def approx(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, None, None, None, None, APPROX, unit, seed)


def more(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, n, False, None, None, MORE, unit, seed)


def bounded(raw: str, n: str, up: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, n, False, up, False, BOUNDED, unit, seed)


def at_least(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, n, True, None, None, AT_LEAST, unit, seed)


def nearly(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, None, None, n, False, NEARLY, unit, seed)


def less(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, None, None, n, False, LESS, unit, seed)


def at_most(raw: str, n: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, n, None, None, n, True, AT_MOST, unit, seed)


def span(raw: str, low: str, high: str, unit: str, *, seed: bool = False) -> Case:
    return Case(raw, None, low, True, high, True, RANGE, unit, seed)


def vague(raw: str, low: str, high: str, high_inclusive: bool, unit: str, *, seed: bool = False):
    return Case(raw, None, low, True, high, high_inclusive, VAGUE, unit, seed)


CASES: list[Case] = [
    # ── Figures exactly as they occur in the seed texts ─────────────────────────────────────
    exact("1.6万名", "16000", "person", seed=True),
    bounded("1100余个", "1100", "1200", "count", seed=True),
    more("超1300人次", "1300", "person_time", seed=True),
    nearly("近600人次", "600", "person_time", seed=True),
    more("超千万元", "10000000", "CNY", seed=True),
    exact("89%", "89", "percent", seed=True),
    exact("达95.3%", "95.3", "percent", seed=True),
    bounded("140余万元", "1400000", "1500000", "CNY", seed=True),
    bounded("16万余名", "160000", "170000", "person", seed=True),
    bounded("30余\n名", "30", "40", "person", seed=True),  # line break from the layout
    span("1—2名", "1", "2", "person", seed=True),
    bounded("460多个", "460", "470", "count", seed=True),
    bounded("6300多名", "6300", "6400", "person", seed=True),
    bounded("300多名", "300", "400", "person", seed=True),
    bounded("1万多名", "10000", "20000", "person", seed=True),
    approx("约49万人", "490000", "person", seed=True),
    nearly("累计近300亩", "300", "mu", seed=True),
    nearly("近500万次", "5000000", "occurrence", seed=True),
    exact("高达32万人", "320000", "person", seed=True),
    more("超100万家", "1000000", "organisation", seed=True),
    bounded("2000多公里", "2000", "3000", "km", seed=True),
    exact("27.5岁", "27.5", "year_of_age", seed=True),
    bounded("十来年", "10", "20", "year", seed=True),
    vague("数十万人", "200000", "1000000", False, "person", seed=True),
    bounded("共有460多个", "460", "470", "count", seed=True),
    exact("达480家", "480", "organisation", seed=True),
    exact("达到90.9%", "90.9", "percent", seed=True),
    more("超过80%", "80", "percent", seed=True),
    more("超过1.2万平方米", "12000", "m2", seed=True),
    more("超600万平方米", "6000000", "m2", seed=True),
    more("超640亿元", "64000000000", "CNY", seed=True),
    exact("1.66亿元", "166000000", "CNY", seed=True),
    exact("113.13万元", "1131300", "CNY", seed=True),
    exact("13.19万件", "131900", "item", seed=True),
    exact("17.9万人次", "179000", "person_time", seed=True),
    exact("1.9万名", "19000", "person", seed=True),
    exact("2.5平方公里", "2.5", "km2", seed=True),
    exact("900万平方米", "9000000", "m2", seed=True),
    exact("零下30℃", "-30", "celsius", seed=True),
    exact("86.2%", "86.2", "percent", seed=True),
    exact("3942班次", "3942", "flight", seed=True),
    exact("570批次", "570", "batch", seed=True),
    exact("1481场次", "1481", "session", seed=True),
    exact("215场", "215", "session", seed=True),
    exact("一堂", "1", "session", seed=True),
    exact("三期", "3", "session", seed=True),
    exact("5所", "5", "institution", seed=True),
    exact("6户", "6", "household", seed=True),
    exact("5支", "5", "team", seed=True),
    exact("19次", "19", "occurrence", seed=True),
    exact("一批", "1", "batch", seed=True),
    exact("22项", "22", "item", seed=True),
    exact("78条", "78", "item", seed=True),
    exact("一位", "1", "person", seed=True),
    exact("百万人", "1000000", "person", seed=True),
    exact("百支", "100", "team", seed=True),
    bounded("250多页", "250", "260", "page", seed=True),
    bounded("1600余人次", "1600", "1700", "person_time", seed=True),
    bounded("1100余场次", "1100", "1200", "session", seed=True),
    bounded("2000余场", "2000", "3000", "session", seed=True),
    bounded("500余支", "500", "600", "team", seed=True),
    span("1—9月", "1", "9", "month", seed=True),  # a reporting period, but it reads as a range
    # ── Prefix qualifiers: exact ────────────────────────────────────────────────────────────
    exact("共5个", "5", "count"),
    exact("达10家", "10", "organisation"),
    exact("累计20次", "20", "occurrence"),
    exact("高达30万元", "300000", "CNY"),
    # ── approximate, before and after ───────────────────────────────────────────────────────
    approx("约5名", "5", "person"),
    approx("大约6人", "6", "person"),
    approx("100人左右", "100", "person"),
    approx("50名上下", "50", "person"),
    approx("200人前后", "200", "person"),
    # ── more_than ───────────────────────────────────────────────────────────────────────────
    more("超过3项", "3", "item"),
    more("逾百人", "100", "person"),
    more("突破1万户", "10000", "household"),
    more("多于8场", "8", "session"),
    # ── more_than_bounded: 余/多/来 before and after the scale word ─────────────────────────
    bounded("百余人", "100", "200", "person"),
    bounded("百多人", "100", "200", "person"),
    bounded("十来人", "10", "20", "person"),
    bounded("50来人", "50", "60", "person"),
    bounded("5万余人", "50000", "60000", "person"),
    bounded("5余万人", "50000", "60000", "person"),
    bounded("1.2万余人", "12000", "13000", "person"),  # one step of the last decimal
    bounded("1.6万多名", "16000", "17000", "person"),
    bounded("一点二万余人", "12000", "13000", "person"),
    bounded("三百余人", "300", "400", "person"),
    bounded("五十多名", "50", "60", "person"),
    bounded("十六万余名", "160000", "170000", "person"),  # as 16万余名
    bounded("三十万余人", "300000", "310000", "person"),  # as 30万余人
    bounded("三百余万元", "3000000", "4000000", "CNY"),  # as 300余万元
    # ── at_least ────────────────────────────────────────────────────────────────────────────
    at_least("20人以上", "20", "person"),
    at_least("不少于3次", "3", "occurrence"),
    at_least("至少2名", "2", "person"),
    at_least("上千人", "1000", "person"),
    at_least("上万人", "10000", "person"),
    # ── nearly ──────────────────────────────────────────────────────────────────────────────
    nearly("近千人", "1000", "person"),
    nearly("将近百人", "100", "person"),
    nearly("接近50%", "50", "percent"),
    nearly("逼近1亿元", "100000000", "CNY"),
    # ── less_than ───────────────────────────────────────────────────────────────────────────
    less("不到10人", "10", "person"),
    less("不足5%", "5", "percent"),
    less("不满18岁", "18", "year_of_age"),
    less("少于3次", "3", "occurrence"),
    # ── at_most ─────────────────────────────────────────────────────────────────────────────
    at_most("10人以下", "10", "person"),
    at_most("50名以内", "50", "person"),
    at_most("不超过3个", "3", "count"),
    at_most("最多5人", "5", "person"),
    # ── ranges: every separator; a right-hand scale word applies to both ends ───────────────
    span("1–2名", "1", "2", "person"),
    span("1-2名", "1", "2", "person"),
    span("1～2名", "1", "2", "person"),
    span("1~2名", "1", "2", "person"),
    span("1至2名", "1", "2", "person"),
    span("1到2名", "1", "2", "person"),
    span("10至20万元", "100000", "200000", "CNY"),
    span("10～20万元", "100000", "200000", "CNY"),
    span("1万至2万元", "10000", "20000", "CNY"),
    span("5-10%", "5", "10", "percent"),
    span("一至两名", "1", "2", "person"),
    span("三到五人", "3", "5", "person"),
    # ── vague: no point value, conventional bounds ─────────────────────────────────────────
    vague("数十", "20", "100", False, "count"),
    vague("数百名", "200", "1000", False, "person"),
    vague("数千", "2000", "10000", False, "count"),
    vague("数万", "20000", "100000", False, "count"),
    vague("数十万", "200000", "1000000", False, "count"),
    vague("几十个", "20", "100", False, "count"),
    vague("几百", "200", "1000", False, "count"),
    vague("十几", "11", "19", True, "count"),
    vague("十几人", "11", "19", True, "person"),
    vague("成千上万", "1000", "10000", False, "count"),
    # ── every scale word, bare (implicit mantissa 1) and after digits ───────────────────────
    exact("十", "10", "count"),
    exact("百", "100", "count"),
    exact("千", "1000", "count"),
    exact("万家", "10000", "organisation"),
    exact("十万元", "100000", "CNY"),
    exact("百万", "1000000", "count"),
    exact("千万", "10000000", "count"),
    exact("亿元", "100000000", "CNY"),
    exact("十亿", "1000000000", "count"),
    exact("百亿", "10000000000", "count"),
    exact("千亿", "100000000000", "count"),
    exact("万亿", "1000000000000", "count"),
    exact("2十人", "20", "person"),
    exact("5百人", "500", "person"),
    exact("8千人", "8000", "person"),
    exact("4十万元", "400000", "CNY"),
    exact("6百万", "6000000", "count"),
    exact("3千万元", "30000000", "CNY"),
    exact("3十亿元", "3000000000", "CNY"),
    exact("5百亿元", "50000000000", "CNY"),
    exact("2千亿元", "200000000000", "CNY"),
    exact("1.2万亿元", "1200000000000", "CNY"),
    # ── Chinese numerals ────────────────────────────────────────────────────────────────────
    exact("六", "6", "count"),
    exact("两", "2", "count"),
    exact("一千三百", "1300", "count"),
    exact("两千三", "2300", "count"),
    exact("两千三百人", "2300", "person"),
    exact("二〇二三", "2023", "count"),
    exact("廿", "20", "count"),
    exact("壹仟壹佰元", "1100", "CNY"),
    exact("一点六万", "16000", "count"),
    exact("一千三百万", "13000000", "count"),
    exact("十九", "19", "count"),
    exact("零", "0", "count"),
    # ── decimals, exactly ───────────────────────────────────────────────────────────────────
    exact("13.19万", "131900", "count"),
    exact("1.23456万", "12345.6", "count"),
    exact("0.5%", "0.5", "percent"),
    exact("12.50%", "12.5", "percent"),
    # ── full-width digits and percent sign (NFKC folds them) ──────────────────────────────────────
    exact("\uff15\uff10\uff05", "50", "percent"),
    exact("\uff11\uff12\uff13名", "123", "person"),
    exact("\uff11\uff0e\uff16万名", "16000", "person"),
    # ── 零下 and temperature ────────────────────────────────────────────────────────────────
    exact("零下5°C", "-5", "celsius"),
    exact("25℃", "25", "celsius"),
    # ── every unit and measure word of the reference table ─────────────────────────────────
    exact("5名", "5", "person"),
    exact("5人", "5", "person"),
    exact("5位", "5", "person"),
    exact("5人次", "5", "person_time"),
    exact("5户", "5", "household"),
    exact("5个", "5", "count"),
    exact("5家", "5", "organisation"),
    exact("5场次", "5", "session"),
    exact("5期", "5", "session"),
    exact("5堂", "5", "session"),
    exact("5批", "5", "batch"),
    exact("5件", "5", "item"),
    exact("5页", "5", "page"),
    exact("5元", "5", "CNY"),
    exact("5平方米", "5", "m2"),
    exact("120㎡", "120", "m2"),
    exact("5平方千米", "5", "km2"),
    exact("5亩", "5", "mu"),
    exact("5公顷", "5", "ha"),
    exact("1.5个百分点", "1.5", "percentage_point"),
]


def _as_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _numbers(q: Quantity) -> dict[str, Decimal | None]:
    return {"value": q.value, "lower": q.lower_bound, "upper": q.upper_bound}


def test_table_is_large_and_unique() -> None:
    assert len(CASES) >= 90
    raws = [case.raw for case in CASES]
    assert len(raws) == len(set(raws)), "duplicate rows in the table"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_figure_reads_as_the_reference_says(case: Case) -> None:
    q = parse_quantity(case.raw)
    assert q.qualifier is case.qualifier
    assert q.unit == case.unit
    assert q.value == _as_decimal(case.value)
    assert q.lower_bound == _as_decimal(case.lower)
    assert q.lower_inclusive is case.lower_inclusive
    assert q.upper_bound == _as_decimal(case.upper)
    assert q.upper_inclusive is case.upper_inclusive
    # Decimal, never float; written without exponent (1.66亿 is "166000000", not "1.66E+8").
    expected = {"value": case.value, "lower": case.lower, "upper": case.upper}
    for name, number in _numbers(q).items():
        if number is None:
            continue
        assert type(number) is Decimal, name
        assert str(number) == expected[name], name
    # Bounds that are a convention of reading are marked as such.
    assert q.upper_by_convention is (case.qualifier in (BOUNDED, VAGUE))


def test_seed_rows_occur_in_the_seed_texts(seed_texts: dict[str, str]) -> None:
    corpus = "\n".join(seed_texts.values())
    missing = [case.raw for case in CASES if case.seed and case.raw not in corpus]
    assert not missing


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))}


@pytest.mark.parametrize(
    ("raw", "mantissa", "scale", "power", "measure_word"),
    [
        ("1.6万名", "1.6", "万", 4, "名"),  # precision: two significant digits stay visible
        ("140余万元", "140", "万", 4, "元"),
        ("16万余名", "16", "万", 4, "名"),
        ("超千万元", "", "千万", 7, "元"),
        ("1.66亿元", "1.66", "亿", 8, "元"),
        ("10至20万元", "10—20", "万", 4, "元"),
        ("一千三百万", "一千三百", "万", 4, ""),
        ("超1300人次", "1300", "", 0, "人次"),
        ("5㎡", "5", "", 0, "m2"),  # NFKC form, like ℃ → °C
    ],
)
def test_mantissa_and_scale_are_kept_as_written(
    raw: str, mantissa: str, scale: str, power: int, measure_word: str
) -> None:
    q = parse_quantity(raw)
    assert (q.mantissa, q.scale, q.scale_power, q.measure_word) == (
        mantissa,
        scale,
        power,
        measure_word,
    )


def test_persons_and_person_times_are_different_units() -> None:
    assert parse_quantity("600人").unit == "person"
    assert parse_quantity("600人次").unit == "person_time"
    assert parse_quantity("5%").unit != parse_quantity("5个百分点").unit


def test_negative_range_below_zero_keeps_lower_below_upper() -> None:
    q = parse_quantity("零下5至10℃")
    assert (q.lower_bound, q.upper_bound) == (Decimal(-10), Decimal(-5))


# ── Errors ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        (" \n ", "empty"),
        ("abc", "not a number"),
        ("队伍", "not a number"),
        ("党员", "not a number"),
        ("约", "not a number"),
        ("5斤", "unknown unit or measure word '斤'"),
        ("零下十度", "unknown unit or measure word '度'"),
        ("20至10人", "runs backwards (20 > 10)"),
        ("10万至20", "runs backwards (100000 > 20)"),
        ("约100人左右", "two qualifiers"),
        ("超过100人以上", "two qualifiers"),
        ("约超100人", "two qualifiers"),
        ("近不到100人", "two qualifiers"),
        ("近100余人", "余/多 cannot follow the qualifier nearly"),
        ("约1至2名", "a range cannot carry another qualifier"),
        ("1至2余名", "余/多 cannot end a range"),
        ("数十万人以上", "a vague figure cannot carry another qualifier"),
        ("1余万余", "余/多 both before and after the scale word"),
        ("5来万", "来 goes after the number"),
    ],
)
def test_unreadable_figures_raise_with_a_message_naming_the_problem(raw: str, message: str) -> None:
    with pytest.raises(FigureError) as caught:
        parse_quantity(raw)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "core"), [("十十人", "十十"), ("百千人", "百千"), ("三万五万人", "三万五万")]
)
def test_a_chinese_numeral_cn2an_cannot_read_is_a_figure_error_naming_it(
    raw: str, core: str
) -> None:
    with pytest.raises(FigureError) as caught:
        parse_quantity(raw)
    assert str(caught.value) == f"{core!r} is not a Chinese numeral"
    assert str(caught.value.__cause__) == f"不符合格式的数据：{core}"  # cn2an's reason, kept


# ── Properties ─────────────────────────────────────────────────────────────────────────────

_SCALES = ["", *SCALE_POWERS]
_UNIT_WORDS = sorted(MEASURE_WORDS)


@given(
    n=st.integers(min_value=0, max_value=10**15),
    scale=st.sampled_from(_SCALES),
    word=st.sampled_from(_UNIT_WORDS),
)
def test_arabic_integer_with_scale_and_unit_reads_back_exactly(
    n: int, scale: str, word: str
) -> None:
    q = parse_quantity(f"{n}{scale}{word}")
    expected = Decimal(n) * 10 ** SCALE_POWERS.get(scale, 0)
    assert q.qualifier is EXACT
    assert q.value == q.lower_bound == q.upper_bound == expected
    assert q.lower_inclusive is q.upper_inclusive is True
    assert q.unit == MEASURE_WORDS[word].code
    assert q.measure_word == unicodedata.normalize("NFKC", word)
    assert str(q.value) == str(expected)


@given(
    whole=st.integers(min_value=0, max_value=99_999),
    fraction=st.integers(min_value=0, max_value=9999),
    places=st.integers(min_value=1, max_value=4),
    scale=st.sampled_from(_SCALES),
)
def test_arabic_decimal_with_scale_is_exact(
    whole: int, fraction: int, places: int, scale: str
) -> None:
    mantissa = f"{whole}.{fraction % 10**places:0{places}d}"
    q = parse_quantity(f"{mantissa}{scale}元")
    expected = Decimal(mantissa).scaleb(SCALE_POWERS.get(scale, 0))
    assert q.value == expected
    assert "E" not in str(q.value)
    assert q.mantissa == mantissa


@settings(deadline=None)
@given(n=st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numeral_reads_back(n: int) -> None:
    written = cn2an.an2cn(n)
    q = parse_quantity(written)
    assert q.value == Decimal(n), written
    assert q.qualifier is EXACT


@settings(deadline=None)
@given(n=st.integers(min_value=1, max_value=9999), scale=st.sampled_from(["万", "亿"]))
def test_chinese_numeral_with_scale_word_reads_back(n: int, scale: str) -> None:
    written = cn2an.an2cn(n) + scale + "人"
    q = parse_quantity(written)
    assert q.value == Decimal(n) * 10 ** SCALE_POWERS[scale], written
    assert q.unit == "person"


@settings(deadline=None)
@given(n=st.integers(min_value=1, max_value=9), scale=st.sampled_from(list(SCALE_POWERS)))
def test_chinese_digit_with_any_scale_word_reads_back(n: int, scale: str) -> None:
    written = cn2an.an2cn(n) + scale + "元"
    assert parse_quantity(written).value == Decimal(n) * 10 ** SCALE_POWERS[scale], written


def _last_digit_step(n: int) -> int:
    digits = str(n)
    return 10 ** (len(digits) - len(digits.rstrip("0")))


@given(
    n=st.integers(min_value=1, max_value=10**9),
    infix=st.sampled_from(["余", "多"]),
    scale=st.sampled_from(_SCALES),
    after_scale=st.booleans(),
    word=st.sampled_from(["名", "个", "人次", "万元", ""]),
)
def test_n_yu_and_n_duo_are_bounded_above_n(
    n: int, infix: str, scale: str, after_scale: bool, word: str
) -> None:
    if word == "万元" and scale:
        word = "元"
    written = f"{n}{scale}{infix}{word}" if after_scale and scale else f"{n}{infix}{scale}{word}"
    q = parse_quantity(written)
    power = SCALE_POWERS.get(scale, 0) + (4 if word == "万元" else 0)
    n_scaled = Decimal(n) * 10**power
    assert q.qualifier is BOUNDED
    assert q.value == q.lower_bound == n_scaled
    assert q.lower_inclusive is False
    assert q.upper_bound is not None and q.upper_bound > q.lower_bound
    assert q.upper_inclusive is False
    assert q.upper_by_convention is True
    # The upper bound is the next step of the last written digit (16万余: one 万).
    step = 10**power if after_scale and scale else _last_digit_step(n) * 10**power
    assert q.upper_bound - q.lower_bound == step, written
