"""Read one Chinese figure as written ("1100余个", "超千万元", "近600人次") into a quantity.

The grammar follows ``shared/reference/quantities.md``::

    [prefix qualifier] mantissa [余/多/来] [scale word] [余/多] [measure word/unit] [suffix]

plus ranges (``1—2名``, ``10至20万元``), vague expressions (``数十万人``, ``十几``) and ``零下``.
All arithmetic is in :class:`~decimal.Decimal`. cn2an is used only for the integer part of a
bare Chinese numeral core (``一千三百`` → 1300); everything around it is read here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

import cn2an

from stats.extraction.reading import fold, without_layout_space
from stats.vocabulary import UNITS, Qualifier, Unit

__all__ = [
    "MEASURE_WORDS",
    "UNITS",
    "FigureError",
    "Qualifier",
    "Quantity",
    "StoredQuantity",
    "Unit",
    "parse_quantity",
    "quantity_columns",
]


class FigureError(ValueError):
    """A figure that cannot be read; the message says which part and why."""


_PERSON = UNITS["person"]
_PERSON_TIME = UNITS["person_time"]
_COUNT = UNITS["count"]
_SESSION = UNITS["session"]
_ITEM = UNITS["item"]
_BATCH = UNITS["batch"]
_KIND = UNITS["kind"]

#: Measure words and units as written → canonical unit. Longer spellings are tried first.
MEASURE_WORDS: dict[str, Unit] = {
    "名": _PERSON,
    "人": _PERSON,
    "位": _PERSON,  # people; a rank change (上升24位) is annotated with unit "place" instead
    "人次": _PERSON_TIME,
    "户": UNITS["household"],
    "个": _COUNT,
    "家": UNITS["organisation"],
    "所": UNITS["institution"],
    "支": UNITS["team"],
    "场": _SESSION,
    "场次": _SESSION,
    "期": _SESSION,
    "堂": _SESSION,
    "次": UNITS["occurrence"],
    "轮": UNITS["round"],
    "批": _BATCH,
    "批次": _BATCH,
    "件": _ITEM,
    "项": _ITEM,
    "条": _ITEM,
    "部": _ITEM,  # films, books: 5部红色专题电视片
    "篇": _ITEM,
    "班次": UNITS["flight"],
    "页": UNITS["page"],
    "类": _KIND,
    "种": _KIND,
    "元": UNITS["CNY"],
    "平方米": UNITS["m2"],
    "㎡": UNITS["m2"],
    "平方公里": UNITS["km2"],
    "平方千米": UNITS["km2"],
    "公里": UNITS["km"],
    "亩": UNITS["mu"],
    "公顷": UNITS["ha"],
    "%": UNITS["percent"],
    "个百分点": UNITS["percentage_point"],
    "°C": UNITS["celsius"],
    "℃": UNITS["celsius"],
    "岁": UNITS["year_of_age"],
    "倍": UNITS["multiple"],
    # Calendar words: figures with these are usually dates or periods, annotated as such.
    "年": UNITS["year"],
    "周年": UNITS["year"],
    "月": UNITS["month"],
    "日": UNITS["day"],
    "天": UNITS["day"],
}

#: The same table keyed by the NFKC form, which is what parse_quantity sees (㎡ → m2, ℃ → °C).
_UNITS_FOLDED: dict[str, Unit] = {
    unicodedata.normalize("NFKC", w): u for w, u in MEASURE_WORDS.items()
}

#: Every canonical unit code, for validating annotations.
UNIT_CODES: frozenset[str] = frozenset(UNITS)

#: Scale words and their powers of ten; a bare scale word has an implicit mantissa of 1.
SCALE_POWERS: dict[str, int] = {
    "十": 1,
    "百": 2,
    "千": 3,
    "万": 4,
    "十万": 5,
    "百万": 6,
    "千万": 7,
    "亿": 8,
    "十亿": 9,
    "百亿": 10,
    "千亿": 11,
    "万亿": 12,
}

#: Markers written before the number. 共/达/累计/高达 state an exact figure.
PREFIX_QUALIFIERS: dict[str, Qualifier] = {
    "共": Qualifier.EXACT,
    "共有": Qualifier.EXACT,
    "达": Qualifier.EXACT,
    "达到": Qualifier.EXACT,
    "高达": Qualifier.EXACT,
    "累计": Qualifier.EXACT,
    "约": Qualifier.APPROXIMATE,
    "大约": Qualifier.APPROXIMATE,
    "超": Qualifier.MORE_THAN,
    "超过": Qualifier.MORE_THAN,
    "逾": Qualifier.MORE_THAN,
    "突破": Qualifier.MORE_THAN,
    "多于": Qualifier.MORE_THAN,
    "不少于": Qualifier.AT_LEAST,
    "至少": Qualifier.AT_LEAST,
    "上": Qualifier.AT_LEAST,  # only before a bare 千/万: 上千, 上万
    "近": Qualifier.NEARLY,
    "将近": Qualifier.NEARLY,
    "接近": Qualifier.NEARLY,
    "逼近": Qualifier.NEARLY,
    "不到": Qualifier.LESS_THAN,
    "不足": Qualifier.LESS_THAN,
    "不满": Qualifier.LESS_THAN,
    "少于": Qualifier.LESS_THAN,
    "不超过": Qualifier.AT_MOST,
    "最多": Qualifier.AT_MOST,
}

#: Markers written after the figure (after its unit).
SUFFIX_QUALIFIERS: dict[str, Qualifier] = {
    "以上": Qualifier.AT_LEAST,
    "左右": Qualifier.APPROXIMATE,
    "上下": Qualifier.APPROXIMATE,
    "前后": Qualifier.APPROXIMATE,
    "以下": Qualifier.AT_MOST,
    "以内": Qualifier.AT_MOST,
}

#: Written after the number (or after its scale word): more than n, below the next step of n's
#: last written significant digit. 来 follows the number only.
BOUNDED_INFIXES = ("余", "多", "来")

#: Vague expressions: no point value; conventional bounds (lower inclusive, upper exclusive,
#: or both inclusive for 十几 = 11..19).
VAGUE_BOUNDS: dict[str, tuple[Decimal, Decimal, bool]] = {
    "成千上万": (Decimal(1000), Decimal(10000), False),
    "数十万": (Decimal(200000), Decimal(1000000), False),
    "数百万": (Decimal(2000000), Decimal(10000000), False),
    "数千万": (Decimal(20000000), Decimal(100000000), False),
    "几十万": (Decimal(200000), Decimal(1000000), False),
    "几百万": (Decimal(2000000), Decimal(10000000), False),
    "十几万": (Decimal(110000), Decimal(190000), True),
    "数十": (Decimal(20), Decimal(100), False),
    "数百": (Decimal(200), Decimal(1000), False),
    "数千": (Decimal(2000), Decimal(10000), False),
    "数万": (Decimal(20000), Decimal(100000), False),
    "几十": (Decimal(20), Decimal(100), False),
    "几百": (Decimal(200), Decimal(1000), False),
    "几千": (Decimal(2000), Decimal(10000), False),
    "几万": (Decimal(20000), Decimal(100000), False),
    "十几": (Decimal(11), Decimal(19), True),
}

#: Range separators between two numbers.
RANGE_SEPARATORS = ("—", "–", "-", "～", "~", "至", "到")

CHINESE_DIGITS = "〇零一二两三四五六七八九壹贰叁肆伍陆柒捌玖廿卅"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "十百千万亿拾佰仟"
_FRACTION_DIGITS: dict[str, int] = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": 0,
    "两": 2,
}

_SCALE_ALTERNATION = "|".join(sorted(SCALE_POWERS, key=len, reverse=True))
_ARABIC_CORE = re.compile(
    rf"^(?P<mantissa>[0-9]+(?:\.[0-9]+)?)(?P<infix>[余多来])?(?P<scale>{_SCALE_ALTERNATION})?"
    rf"(?P<post>[余多])?$"
)
_CHINESE_CORE = re.compile(
    rf"^(?P<mantissa>[{CHINESE_NUMERAL_CHARS}]+(?:点[{CHINESE_DIGITS}]+)?)(?P<infix>[余多来])?"
    rf"(?P<scale>{_SCALE_ALTERNATION})?(?P<post>[余多])?$"
)
_LAYOUT_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Quantity:
    """A figure read into a value with bounds. ``None`` means "not stated". The names are those
    of the Observation columns that store it (:class:`StoredQuantity`)."""

    raw: str
    value: Decimal | None
    lower_bound: Decimal | None
    lower_inclusive: bool | None
    upper_bound: Decimal | None
    upper_inclusive: bool | None
    upper_by_convention: bool
    qualifier: Qualifier
    unit: str
    measure_word: str
    mantissa: str
    scale: str
    scale_power: int


@dataclass(frozen=True)
class StoredQuantity:
    """A quantity as a row stores it and verify_corpus compares it: the fields of
    :class:`Quantity` of the same names, the qualifier as its code, ``raw`` without the
    layout's white space. ``unit`` and ``measure_word`` are left out: the unit stored is the
    observation's, and the measure word follows from ``raw``."""

    raw: str
    value: Decimal | None
    lower_bound: Decimal | None
    lower_inclusive: bool | None
    upper_bound: Decimal | None
    upper_inclusive: bool | None
    upper_by_convention: bool
    qualifier: str
    mantissa: str
    scale: str
    scale_power: int

    @classmethod
    def of(cls, quantity: Quantity) -> StoredQuantity:
        """How ``quantity`` is stored."""
        stored = {f.name: getattr(quantity, f.name) for f in fields(cls)}
        stored["raw"] = without_layout_space(quantity.raw)
        stored["qualifier"] = quantity.qualifier.value
        return cls(**stored)


#: The columns of a figure's quantity that every listing of it shows, in this order (the API's
#: observation, the admin's form, the SDMX attributes, the stored representation): the value,
#: its bounds and what the wording says of them (:class:`StoredQuantity` holds them all).
QUANTITY_COLUMNS = (
    "value",
    "lower_bound",
    "lower_inclusive",
    "upper_bound",
    "upper_inclusive",
    "upper_by_convention",
    "qualifier",
)


def quantity_columns(quantity: Quantity) -> dict[str, object]:
    """The Observation columns that hold ``quantity`` (the fixtures and an accepted candidate
    store it so): its stored form and its measure word."""
    return {**asdict(StoredQuantity.of(quantity)), "measure_word": quantity.measure_word}


@dataclass(frozen=True)
class _Core:
    value: Decimal
    step: Decimal  # the next step of the last written significant digit, scaled
    bounded: bool  # 余/多/来 present
    mantissa: str
    scale: str
    power: int


def _strip_longest_prefix(text: str, table: dict[str, Qualifier]) -> tuple[str, str]:
    for marker in sorted(table, key=len, reverse=True):
        if text.startswith(marker) and len(text) > len(marker):
            return marker, text[len(marker) :]
    return "", text


def _strip_longest_suffix(text: str, options: list[str]) -> tuple[str, str]:
    for marker in sorted(options, key=len, reverse=True):
        if text.endswith(marker) and len(text) > len(marker):
            return marker, text[: -len(marker)]
    return "", text


def _last_significant_step(mantissa: str) -> Decimal:
    """10 to the power of the last non-zero written digit: 1100 → 100, 460 → 10, 1.6 → 0.1."""
    digits = mantissa.replace(".", "")
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    stripped = digits.rstrip("0")
    if not stripped:
        return Decimal(1)
    trailing_zeros = len(digits) - len(stripped)
    return Decimal(1).scaleb(trailing_zeros - decimals)


def _chinese_integer(text: str) -> Decimal:
    try:
        number = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError) as error:
        raise FigureError(f"{text!r} is not a Chinese numeral") from error
    if not isinstance(number, int):
        raise FigureError(f"{text!r} is not a whole Chinese numeral")
    return Decimal(number)


def _chinese_mantissa(text: str) -> tuple[Decimal, str]:
    """Value of a Chinese numeral core, and the same number in Arabic digits (for the step)."""
    if "点" in text:
        whole, fraction = text.split("点", 1)
        integer = _chinese_integer(whole) if whole else Decimal(0)
        try:
            fraction_digits = "".join(str(_FRACTION_DIGITS[c]) for c in fraction)
        except KeyError as error:
            raise FigureError(f"{text!r}: the digits after 点 must be single digits") from error
        arabic = f"{integer}.{fraction_digits}"
        return Decimal(arabic), arabic
    value = _chinese_integer(text)
    return value, str(value)


def _read_core(text: str) -> _Core:
    """Read mantissa, 余/多/来 and scale word: ``1100余``, ``16万余``, ``百``, ``一千三百``."""
    if text in SCALE_POWERS:  # a bare scale word: 百余人, 超千万元
        power = SCALE_POWERS[text]
        return _Core(Decimal(1).scaleb(power), Decimal(1).scaleb(power), False, "", text, power)
    for bare in sorted(SCALE_POWERS, key=len, reverse=True):
        for infix in ("余", "多"):
            if text == bare + infix:
                power = SCALE_POWERS[bare]
                return _Core(
                    Decimal(1).scaleb(power), Decimal(1).scaleb(power), True, "", bare, power
                )
    match = _ARABIC_CORE.match(text) or _CHINESE_CORE.match(text)
    if not match:
        raise FigureError(f"{text!r} is not a number")
    mantissa, infix, scale, post = (match[g] or "" for g in ("mantissa", "infix", "scale", "post"))
    if (
        not scale
        and mantissa[-1] in "万亿"
        and mantissa[:-1]
        and not any(c in "万亿点" for c in mantissa[:-1])
    ):
        # The Chinese mantissa took the scale word in (三十万余, 一千三百万): split it off, so
        # that 余 after it reads like 16万余 and the scale is kept as written.
        mantissa, scale, infix, post = mantissa[:-1], mantissa[-1], "", infix
    if match.re is _ARABIC_CORE:
        number, arabic = Decimal(mantissa), mantissa
    else:
        number, arabic = _chinese_mantissa(mantissa)
    if infix and post:
        raise FigureError(f"{text!r} has 余/多 both before and after the scale word")
    if infix == "来" and scale:
        raise FigureError(f"{text!r}: 来 goes after the number, not before a scale word")
    power = SCALE_POWERS.get(scale, 0)
    bounded = bool(infix or post)
    if post:
        # 16万余: the step is one unit of the scale word (160000..170000), or of the last
        # decimal written before it (1.2万余: 12000..13000).
        decimals = len(arabic.split(".", 1)[1]) if "." in arabic else 0
        step = Decimal(1).scaleb(power - decimals)
    else:
        step = _last_significant_step(arabic).scaleb(power)
    return _Core(number.scaleb(power), step, bounded, mantissa, scale, power)


def _normal(value: Decimal) -> Decimal:
    """Drop exponent noise (1.6E+4 → 16000) while keeping written decimals (13.19万 → 131900)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _split_range(text: str) -> tuple[str, str] | None:
    for separator in RANGE_SEPARATORS:
        if separator in text:
            left, right = text.split(separator, 1)
            if left and right:
                return left, right
    return None


def parse_quantity(raw: str) -> Quantity:
    """Read a figure as written into a :class:`Quantity`.

    The figure is read folded (:func:`stats.extraction.reading.fold`: ``近4萬名`` reads as
    ``近4万名``, ``億元`` as ``亿元``); ``raw`` is kept as written. Layout white space (line
    breaks inside a figure) is ignored; full-width digits, ％, ㎡ and ℃ are folded by NFKC.
    Raises :class:`FigureError` naming the part that cannot be read.
    """
    # NFKC turns ℃ into °C and ％ into %; both are in UNITS.
    text = _LAYOUT_SPACE.sub("", unicodedata.normalize("NFKC", fold(raw).text))
    if not text:
        raise FigureError("empty figure")
    negative = text.startswith("零下")
    if negative:
        text = text[2:]
    qualifier, text = _prefix_qualifier(raw, text)
    qualifier, text = _suffix_qualifier(raw, text, qualifier)
    measure_word, text = _measure_word(raw, text)
    if text in VAGUE_BOUNDS:
        reading = _vague(raw, text, qualifier)
    elif pair := _split_range(text):
        reading = _range(raw, pair, qualifier)
    else:
        reading = _single(raw, text, qualifier)
    return _quantity(raw, qualifier, measure_word, negative, reading)


def _prefix_qualifier(raw: str, text: str) -> tuple[Qualifier, str]:
    """The qualifier written before the number (超, 近, 约 …; 共/达 say "exact"), and the rest.
    上 is a qualifier only before 千 or 万 (上千, 上万)."""
    qualifier = Qualifier.EXACT
    while True:
        marker, rest = _strip_longest_prefix(text, PREFIX_QUALIFIERS)
        if not marker or (marker == "上" and rest[:1] not in ("千", "万")):
            return qualifier, text
        if PREFIX_QUALIFIERS[marker] is not Qualifier.EXACT:
            if qualifier is not Qualifier.EXACT:
                raise FigureError(f"{raw!r} has two qualifiers ({qualifier.value} and {marker})")
            qualifier = PREFIX_QUALIFIERS[marker]
        text = rest


def _suffix_qualifier(raw: str, text: str, qualifier: Qualifier) -> tuple[Qualifier, str]:
    """The qualifier written after the figure (以上, 左右 …), if any, and the rest."""
    suffix, text = _strip_longest_suffix(text, list(SUFFIX_QUALIFIERS))
    if not suffix:
        return qualifier, text
    if qualifier is not Qualifier.EXACT:
        raise FigureError(f"{raw!r} has two qualifiers ({qualifier.value} and {suffix})")
    return SUFFIX_QUALIFIERS[suffix], text


def _measure_word(raw: str, text: str) -> tuple[str, str]:
    """The measure word or unit after the number ("" when none), and the number."""
    measure_word, text = _strip_longest_suffix(text, list(_UNITS_FOLDED))
    numeral = f"0123456789{CHINESE_NUMERAL_CHARS}"
    if text and text not in VAGUE_BOUNDS and text[-1] not in f"{numeral}余多来":
        if not re.search(f"[{numeral}]", text):
            raise FigureError(f"{raw!r} is not a number")
        tail = re.search(f"[^{numeral}.余多来]+$", text)
        unknown = tail.group() if tail else text
        raise FigureError(f"{raw!r}: unknown unit or measure word {unknown!r} after the number")
    return measure_word, text


#: What a reading step gives: the fields of :class:`Quantity` it sets (the rest are unstated).
_Reading = dict[str, object]


def _vague(raw: str, text: str, qualifier: Qualifier) -> _Reading:
    """数十万, 十几: no value, the conventional bounds."""
    if qualifier is not Qualifier.EXACT:
        raise FigureError(f"{raw!r}: a vague figure cannot carry another qualifier")
    low, high, high_inclusive = VAGUE_BOUNDS[text]
    return {
        "qualifier": Qualifier.VAGUE,
        "lower_bound": low,
        "lower_inclusive": True,
        "upper_bound": high,
        "upper_inclusive": high_inclusive,
        "upper_by_convention": True,
        "mantissa": text,
    }


def _range(raw: str, pair: tuple[str, str], qualifier: Qualifier) -> _Reading:
    """1—2名, 10至20万元: no value, both ends included."""
    if qualifier is not Qualifier.EXACT:
        raise FigureError(f"{raw!r}: a range cannot carry another qualifier")
    left_text, right_text = pair
    right = _read_core(right_text)
    if right.bounded:
        raise FigureError(f"{raw!r}: 余/多 cannot end a range")
    try:
        left = _read_core(left_text)
    except FigureError as error:
        raise FigureError(f"{raw!r}: left end of the range: {error}") from error
    low = left.value
    if not left.scale and right.scale:
        # 10至20万元: the right-hand scale word applies to both ends.
        low = low.scaleb(right.power)
    if low > right.value:
        raise FigureError(
            f"{raw!r}: the range runs backwards ({_normal(low)} > {_normal(right.value)})"
        )
    return {
        "qualifier": Qualifier.RANGE,
        "lower_bound": low,
        "lower_inclusive": True,
        "upper_bound": right.value,
        "upper_inclusive": True,
        "mantissa": f"{left.mantissa or left.scale}—{right.mantissa}",
        "scale": right.scale,
        "scale_power": right.power,
    }


#: The bounds a qualifier gives a single number n: whether n is included as the lower and as
#: the upper bound; None: that side is left open.
_SINGLE_BOUNDS: dict[Qualifier, tuple[bool | None, bool | None]] = {
    Qualifier.EXACT: (True, True),
    Qualifier.APPROXIMATE: (None, None),
    Qualifier.MORE_THAN: (False, None),
    Qualifier.AT_LEAST: (True, None),
    Qualifier.NEARLY: (None, False),
    Qualifier.LESS_THAN: (None, False),
    Qualifier.AT_MOST: (None, True),
}


def _single(raw: str, text: str, qualifier: Qualifier) -> _Reading:
    """One number with its qualifier: 1100余 (more than, below the next step), 超1300, 近600."""
    core = _read_core(text)
    n = core.value
    reading: _Reading = {
        "value": n,
        "mantissa": core.mantissa,
        "scale": core.scale,
        "scale_power": core.power,
    }
    if core.bounded:
        if qualifier not in (Qualifier.EXACT, Qualifier.MORE_THAN):
            raise FigureError(f"{raw!r}: 余/多 cannot follow the qualifier {qualifier.value}")
        return reading | {
            "qualifier": Qualifier.MORE_THAN_BOUNDED,
            "lower_bound": n,
            "lower_inclusive": False,
            "upper_bound": n + core.step,
            "upper_inclusive": False,
            "upper_by_convention": True,
        }
    lower_inclusive, upper_inclusive = _SINGLE_BOUNDS[qualifier]
    if lower_inclusive is not None:
        reading |= {"lower_bound": n, "lower_inclusive": lower_inclusive}
    if upper_inclusive is not None:
        reading |= {"upper_bound": n, "upper_inclusive": upper_inclusive}
    return reading


def _quantity(
    raw: str, qualifier: Qualifier, measure_word: str, negative: bool, reading: _Reading
) -> Quantity:
    """The quantity of a reading: unstated fields empty, numbers normalised, and 零下 negating
    the numbers (and so swapping the bounds: 零下5至10℃ is -10 to -5)."""
    fields: dict[str, object] = {
        "raw": raw,
        "value": None,
        "lower_bound": None,
        "lower_inclusive": None,
        "upper_bound": None,
        "upper_inclusive": None,
        "upper_by_convention": False,
        "qualifier": qualifier,
        "unit": _UNITS_FOLDED[measure_word].code if measure_word else "count",
        "measure_word": measure_word,
        "mantissa": "",
        "scale": "",
        "scale_power": 0,
        **reading,
    }
    for key in ("value", "lower_bound", "upper_bound"):
        number = fields[key]
        if isinstance(number, Decimal):
            fields[key] = _normal(-number if negative else number)
    if negative and fields["lower_bound"] is not None and fields["upper_bound"] is not None:
        fields["lower_bound"], fields["upper_bound"] = fields["upper_bound"], fields["lower_bound"]
        fields["lower_inclusive"], fields["upper_inclusive"] = (
            fields["upper_inclusive"],
            fields["lower_inclusive"],
        )
    return Quantity(**fields)  # type: ignore[arg-type]
