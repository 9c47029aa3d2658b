"""The domain's words, once: enums, codelists, units and the unit rule.

Everything that names a kind of thing in this product is defined here and imported by the seed
readers, the corpus builder, the models, the ingest suggestions and the API. This module is pure
and imports nothing of the project's own, so any layer may depend on it.

The statistical structure follows SDMX: an observation of a *measure* (``Indicator``) is
located by its dimensions (place, sub-unit, breakdown, statistic, status, tier, initiative,
period), and the dimensions other than the period make its *series key*
(:func:`series_key`). Codelists give the categories a breakdown may use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CODELISTS",
    "COUNTED_THING_UNITS",
    "NOT_APPLICABLE",
    "TOTAL",
    "UNITS",
    "BreakdownError",
    "Category",
    "ClaimRank",
    "Codelist",
    "DatePrecision",
    "DistrictLevel",
    "InitiativeKind",
    "NotStatisticReason",
    "PeriodKind",
    "Qualifier",
    "Statistic",
    "Status",
    "Unit",
    "breakdown_key",
    "observation_unit",
    "parse_breakdown",
    "series_key",
    "statistic_unit",
    "unit_problem",
]


# --------------------------------------------------------------------------------------------
# Enums


class Qualifier(StrEnum):
    """How the written number relates to the true quantity (quantities.md, "Qualifiers")."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    MORE_THAN = "more_than"
    MORE_THAN_BOUNDED = "more_than_bounded"
    AT_LEAST = "at_least"
    NEARLY = "nearly"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    RANGE = "range"
    VAGUE = "vague"


class PeriodKind(StrEnum):
    """Stocks are counted at a moment, flows over an interval, cumulative counts since a start."""

    STOCK = "stock"
    FLOW = "flow"
    CUMULATIVE = "cumulative"


class Statistic(StrEnum):
    """What kind of number an observation is, given its measure (SDMX: unit measure type)."""

    LEVEL = "level"  # the count or amount itself: 党员2.46万名
    CHANGE = "change"  # a net increase or decrease of a stock: 比上年净增512名
    GROWTH_RATE = "growth_rate"  # a relative change, in percent or multiples: 增幅2.1%, 增长3倍
    SHARE = "share"  # percent of a stated total: 女党员…占党员总数33.8%
    DAILY_AVERAGE = "daily_average"  # 日均拆除1.8万平方米
    PER_UNIT_AVERAGE = "per_unit_average"  # 村均, 人均, 户均
    RANK_CHANGE = "rank_change"  # places gained in a ranking: 上升24位


class Status(StrEnum):
    """Whether a figure reports what happened or what is planned (SDMX: observation status)."""

    ACTUAL = "actual"
    TARGET = "target"  # plans and goals: 将, 力争, 计划, 目标, 未来五年
    ESTIMATE = "estimate"  # 预计


class ClaimRank(StrEnum):
    """How a figure ranks among the claims of several sources for one series and period, as
    Wikidata ranks statements: the preferred one answers, the others stay visible."""

    PREFERRED = "preferred"
    NORMAL = "normal"
    DEPRECATED = "deprecated"


class NotStatisticReason(StrEnum):
    """Why a numeral is not served as a statistic."""

    DATE = "date"  # 2010年2月, 2021-07-08
    PERIOD = "period"  # 1—9月, 7年来, 两年: the time a figure refers to
    TITLE = "title"  # 六连冠, 三等奖, 十佳: an honour or award
    STRUCTURE = "structure"  # 四级组织架构: describes a tier chain or a set of parts
    ORDINAL = "ordinal"  # 第一, 一是, 第四届
    RANK = "rank"  # 排名全市第二
    NAME = "name"  # 三会一课, “5+X”, “市政110”, 十四五: part of a name or slogan
    CITATION = "citation"  # 十九届五中全会, 二十大, 100周年大会: names an event or document
    WORD = "word"  # 进一步, 一线, 统一: a word, not a number
    LAYOUT_REPEAT = "layout_repeat"  # the layout printed the same text twice
    DUPLICATE = "duplicate"  # a figure the corpus already has from another report (note: which)
    CONTEXT = "context"  # context, not a statistic of party building or its work: 零下30℃, 2000公里


class DistrictLevel(StrEnum):
    """Administrative level of a place."""

    PROVINCE = "province"
    PREFECTURE_CITY = "prefecture_city"
    PREFECTURE = "prefecture"  # prefecture-level but not a city: 地区, 自治州, 盟
    DISTRICT = "district"
    COUNTY = "county"  # also 自治县, 旗, 自治旗, 特区, 林区
    COUNTY_CITY = "county_city"
    DEVELOPMENT_ZONE = "development_zone"


class InitiativeKind(StrEnum):
    """What sort of named thing an initiative is."""

    PROGRAMME = "programme"  # a long-running scheme with several parts
    CAMPAIGN = "campaign"  # a time-bound drive (百日攻坚行动)
    ACTION = "action"  # one action within a programme
    PLATFORM = "platform"  # software or a venue (厦门党建e家, 集美党群云图)
    METHOD = "method"  # a working method (五事工作法)
    MECHANISM = "mechanism"  # an institutional arrangement (双报到, 楼宇党代表)
    BRAND = "brand"  # a party-building brand (近邻党建, 红色物业)
    ACTIVITY = "activity"  # a recurring activity (我在乡间有亩田)


class DatePrecision(StrEnum):
    """How precisely a date is known."""

    SECOND = "second"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"  # only an earliest and a latest date can be inferred


# --------------------------------------------------------------------------------------------
# Units


@dataclass(frozen=True)
class Unit:
    """A canonical unit: code, English label, and UN/ECE Rec. 20 code where one exists."""

    code: str
    label: str
    unece: str = ""


#: Every canonical unit, by code. Measure words map onto these (stats.extraction.quantities).
UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("person", "people", "C62"),
        Unit("person_time", "person-times (attendances counted per occurrence)", "C62"),
        Unit("household", "households", "C62"),
        Unit("count", "things counted (个: the noun after it says what)", "C62"),
        Unit("organisation", "enterprises, units, institutions", "C62"),
        Unit("institution", "schools, hospitals", "C62"),
        Unit("team", "teams, squads", "C62"),
        Unit("session", "meetings, lectures, classes, training runs", "C62"),
        Unit("occurrence", "times something happened", "C62"),
        Unit("round", "rounds of a repeated effort", "C62"),
        Unit("batch", "batches", "C62"),
        Unit("item", "cases, matters, projects, measures, works", "C62"),
        Unit("flight", "scheduled runs (flights, buses)", "C62"),
        Unit("page", "pages", "C62"),
        Unit("kind", "kinds or categories", "C62"),
        Unit("CNY", "yuan renminbi (ISO 4217)"),
        Unit("m2", "square metres", "MTK"),
        Unit("km2", "square kilometres", "KMK"),
        Unit("km", "kilometres", "KMT"),
        Unit("mu", "mu (2000/3 m² exactly)"),
        Unit("ha", "hectares", "HAR"),
        Unit("percent", "percent: a share", "P1"),
        Unit("percentage_point", "percentage points: a difference of percents"),
        Unit("celsius", "degrees Celsius", "CEL"),
        Unit("year_of_age", "years of age", "ANN"),
        Unit("multiple", "times (a multiple of a base)"),
        Unit("year", "years", "ANN"),
        Unit("month", "months", "MON"),
        Unit("day", "days", "DAY"),
        Unit("place", "places in a ranking", "C62"),
        Unit("yuan_per_person", "yuan per person"),
    )
}

#: Units that all count discrete things; a 个 or 家 figure may serve a measure in any of them.
COUNTED_THING_UNITS = frozenset(
    {
        "count",
        "organisation",
        "institution",
        "team",
        "item",
        "kind",
        "batch",
        "session",
        "occurrence",
        "round",
        "household",
        "page",
    }
)

#: The units a statistic is stated in when it is not the measure's own unit.
_STATISTIC_UNITS: dict[Statistic, frozenset[str]] = {
    Statistic.SHARE: frozenset({"percent"}),
    Statistic.GROWTH_RATE: frozenset({"percent", "multiple"}),
    Statistic.RANK_CHANGE: frozenset({"place"}),
}


def statistic_unit(measure_unit: str, statistic: Statistic) -> frozenset[str]:
    """The units an observation of ``statistic`` of a measure counted in ``measure_unit`` may
    be in: a share in percent, a growth rate in percent or multiples, a rank change in places;
    a level, change or average in the measure's own unit (or a percentage-point change of a
    percent measure)."""
    if statistic in _STATISTIC_UNITS:
        return _STATISTIC_UNITS[statistic]
    if statistic is Statistic.CHANGE and measure_unit == "percent":
        return frozenset({"percent", "percentage_point"})
    return frozenset({measure_unit})


def unit_problem(
    raw: str,
    read_unit: str,
    given_unit: str | None,
    measure_code: str,
    measure_unit: str,
    statistic: Statistic = Statistic.LEVEL,
) -> str | None:
    """Why figure ``raw``, read in ``read_unit`` (its measure word), cannot be a ``statistic``
    of measure ``measure_code`` (counted in ``measure_unit``) in the unit the analyst gave
    (``given_unit``, else the one the statistic implies); None when it can. Persons and
    person-times are never swapped: one measure, one unit."""
    unit = given_unit or observation_unit(read_unit, None, measure_unit, statistic)
    allowed = statistic_unit(measure_unit, statistic)
    # An explicit unit is the analyst's reading of the measure word (上升24位: places, not
    # people), except that persons and person-times are never swapped.
    explicit = given_unit is not None and {read_unit, unit} != {"person", "person_time"}
    if not (
        explicit
        or read_unit == unit
        or read_unit == "count"
        or (read_unit in COUNTED_THING_UNITS and unit in COUNTED_THING_UNITS)
    ):
        return (
            f"figure {raw!r} is in {read_unit} but a {statistic} of {measure_code!r} is in "
            f"{unit}; set 'unit', 'statistic' or choose another indicator"
        )
    if unit not in allowed and not (unit in COUNTED_THING_UNITS and allowed & COUNTED_THING_UNITS):
        # One measure, one unit: persons and person-times must never be added together.
        return (
            f"figure {raw!r} is in {unit} but a {statistic} of {measure_code!r} is in "
            f"{', '.join(sorted(allowed))}; use another indicator or statistic"
        )
    return None


def observation_unit(
    read_unit: str, given_unit: str | None, measure_unit: str, statistic: Statistic
) -> str:
    """The unit an observation is stored in: the analyst's, else the measure's for a level,
    change or average, else what the figure's measure word says (a share in percent)."""
    if given_unit:
        return given_unit
    allowed = statistic_unit(measure_unit, statistic)
    if measure_unit in allowed:
        return measure_unit
    return read_unit if read_unit in allowed else min(allowed)


# --------------------------------------------------------------------------------------------
# Codelists: the categories a breakdown may use


@dataclass(frozen=True)
class Category:
    """One category of a codelist; ``words`` are how texts write it (used by suggestions).
    Age bands carry their bounds in whole years, both inclusive; None is open."""

    code: str
    name_zh: str
    name_en: str
    words: tuple[str, ...] = ()
    lower: int | None = None
    upper: int | None = None


@dataclass(frozen=True)
class Codelist:
    """A breakdown dimension and its categories (SDMX: a codelist)."""

    code: str
    name_zh: str
    name_en: str
    description: str
    categories: tuple[Category, ...]

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)


def _age(code: str, name_zh: str, lower: int | None, upper: int | None, *words: str) -> Category:
    if lower is None:
        name_en = f"aged {upper} or under"
    elif upper is None:
        name_en = f"aged {lower} or over"
    else:
        name_en = f"aged {lower} to {upper}"
    return Category(code, name_zh, name_en, (name_zh, *words), lower, upper)


#: Every breakdown dimension, in the order a series key lists them. Bands differ by year and
#: place (bulletin.md): each band is its own category, never re-cut.
CODELISTS: dict[str, Codelist] = {
    c.code: c
    for c in (
        Codelist(
            "sex",
            "性别",
            "sex",
            "Sex of the members counted.",
            (
                Category("female", "女", "female", ("女党员", "女性")),
                Category("male", "男", "male", ("男党员", "男性")),
            ),
        ),
        Codelist(
            "ethnicity",
            "民族",
            "ethnicity",
            "Ethnic group of the members counted.",
            (
                Category("ethnic_minority", "少数民族", "ethnic minority", ("少数民族党员",)),
                Category("han", "汉族", "Han", ("汉族党员",)),
            ),
        ),
        Codelist(
            "education",
            "学历",
            "education",
            "Highest education completed.",
            (
                Category(
                    "junior_college_or_higher",
                    "大专及以上",
                    "junior college or higher",
                    ("大专及以上学历", "大专以上学历", "大专及以上"),
                ),
                Category(
                    "undergraduate_or_higher",
                    "本科及以上",
                    "undergraduate or higher",
                    ("本科及以上学历", "本科以上学历"),
                ),
                Category("postgraduate", "研究生", "postgraduate", ("研究生学历",)),
                Category(
                    "below_junior_college", "大专以下", "below junior college", ("高中及以下",)
                ),
            ),
        ),
        Codelist(
            "age",
            "年龄",
            "age band",
            "Age in whole years, both bounds inclusive; bands as the text cuts them.",
            (
                _age("30_or_under", "30岁及以下", None, 30, "30岁以下"),
                _age("31_35", "31至35岁", 31, 35, "31岁至35岁"),
                _age("35_or_under", "35岁及以下", None, 35, "35岁以下"),
                _age("36_40", "36至40岁", 36, 40, "36岁至40岁"),
                _age("36_45", "36至45岁", 36, 45, "36岁至45岁"),
                _age("36_60", "36至60岁", 36, 60, "36岁至60岁"),
                _age("41_45", "41至45岁", 41, 45, "41岁至45岁"),
                _age("46_50", "46至50岁", 46, 50, "46岁至50岁"),
                _age("46_60", "46至60岁", 46, 60, "46岁至60岁"),
                _age("51_55", "51至55岁", 51, 55, "51岁至55岁"),
                _age("56_60", "56至60岁", 56, 60, "56岁至60岁"),
                _age("61_or_over", "61岁及以上", 61, None, "61岁以上"),
            ),
        ),
        Codelist(
            "occupation",
            "职业",
            "occupation",
            "Occupation as the national bulletin groups it.",
            (
                Category("worker", "工人（工勤技能人员）", "workers", ("工人", "工勤技能人员")),
                Category("farmer_herder_fisher", "农牧渔民", "farmers, herders and fishers"),
                Category(
                    "professional_technical",
                    "专业技术人员",
                    "professional and technical staff",
                    ("专业技术人员",),
                ),
                Category("manager", "管理人员", "managers", ("管理人员",)),
                Category(
                    "party_government_staff",
                    "党政机关工作人员",
                    "party and government staff",
                    ("党政机关工作人员",),
                ),
                Category("student", "学生", "students", ("学生党员", "学生")),
                Category("other_occupation", "其他职业人员", "other occupations"),
                Category("retired", "离退休人员", "retired", ("离退休党员", "离退休人员")),
            ),
        ),
        Codelist(
            "employment_sector",
            "就业单位性质",
            "employment sector",
            "Whether members work in publicly or non-publicly owned units.",
            (
                Category("public_sector", "公有制单位在岗职工", "employees of public-sector units"),
                Category(
                    "non_public_sector",
                    "非公有制企业和社会组织在岗职工",
                    "employees of non-public enterprises and social organisations",
                ),
            ),
        ),
        Codelist(
            "unit_kind",
            "单位类型",
            "kind of unit",
            "The kind of unit an organisation is in, or the units counted.",
            (
                Category("village", "村", "villages", ("行政村", "建制村", "村", "农村")),
                Category("community", "社区", "communities", ("社区", "居委会")),
                Category("subdistrict", "街道", "subdistricts", ("城市街道", "街道")),
                Category("township", "乡镇", "townships", ("乡镇", "镇")),
                Category("government_agency", "机关", "government agencies", ("机关",)),
                Category("public_institution", "事业单位", "public institutions", ("事业单位",)),
                Category("enterprise", "企业", "enterprises", ("企业",)),
                Category(
                    "state_owned_enterprise", "国有企业", "state-owned enterprises", ("国企",)
                ),
                Category(
                    "non_public_enterprise",
                    "非公有制企业",
                    "non-public enterprises",
                    ("非公企业", "非公有制企业", "非公"),
                ),
                Category("social_organisation", "社会组织", "social organisations", ("社会组织",)),
                Category("school", "学校", "schools", ("学校", "高校")),
                Category(
                    "residential_compound", "小区", "residential compounds", ("小区", "住宅小区")
                ),
            ),
        ),
        Codelist(
            "joining_period",
            "入党时间",
            "joining period",
            "When the members joined the party.",
            (
                Category("before_1949", "新中国成立前", "before 1949"),
                Category("1949_1978", "1949至十一届三中全会前", "1949 to the end of 1978"),
                Category("1978_2012", "十一届三中全会后至十八大前", "1979 to the 18th Congress"),
                Category("since_2012", "十八大以来", "since the 18th Congress (2012)"),
            ),
        ),
        Codelist(
            "work_position",
            "工作岗位",
            "work position",
            "Where members work.",
            (Category("frontline", "生产、工作一线", "on the front line", ("一线",)),),
        ),
    )
}


class BreakdownError(ValueError):
    """A breakdown naming a dimension or category that no codelist has."""


#: How a series key writes "the total" (no breakdown, no sub-unit) and "not applicable" (no
#: tier or initiative scopes the figure): SDMX's reserved codes.
TOTAL = "_T"
NOT_APPLICABLE = "_Z"


def parse_breakdown(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """Read a breakdown (``"sex:female"``, ``"age:35_or_under,sex:female"``, a mapping, or
    empty/``_T``/``total`` for the total) into a checked mapping dimension → category."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        pairs = [(str(d), str(c)) for d, c in text.items()]
    else:
        text = text.strip()
        if text in ("", TOTAL, "total"):
            return {}
        pairs = []
        for part in text.split(","):
            dimension, sep, category = part.strip().partition(":")
            if not sep:
                raise BreakdownError(f"breakdown {part!r} is not dimension:category (sex:female)")
            pairs.append((dimension.strip(), category.strip()))
    result: dict[str, str] = {}
    for dimension, category in pairs:
        codelist = CODELISTS.get(dimension)
        if codelist is None:
            raise BreakdownError(
                f"unknown breakdown dimension {dimension!r}; known: {', '.join(CODELISTS)}"
            )
        if codelist.category(category) is None:
            known = ", ".join(c.code for c in codelist.categories)
            raise BreakdownError(f"unknown {dimension} category {category!r}; known: {known}")
        if dimension in result:
            raise BreakdownError(f"breakdown names {dimension!r} twice")
        result[dimension] = category
    return result


def breakdown_key(breakdown: Mapping[str, str]) -> str:
    """The canonical text of a breakdown: ``dimension:category`` pairs in codelist order,
    joined by commas; empty for the total."""
    order = list(CODELISTS)
    return ",".join(f"{d}:{breakdown[d]}" for d in sorted(breakdown, key=lambda d: order.index(d)))


#: What a figure means, as its columns name it: the dimensions of its series key other than
#: the status (what it counts, where, of which sub-unit, tier and initiative, broken down how,
#: which kind of number), in the order the API, the admin and the exports list them.
MEANING_COLUMNS = (
    "indicator",
    "district",
    "sub_unit",
    "tier",
    "initiative",
    "breakdown",
    "statistic",
)


def series_key(
    *,
    indicator: str,
    district: str,
    sub_unit: str = "",
    breakdown: str = "",
    statistic: str = Statistic.LEVEL,
    status: str = Status.ACTUAL,
    tier: str | None = None,
    initiative: str | None = None,
) -> str:
    """The key of the series an observation belongs to, SDMX style: its dimensions other than
    the period, joined by dots, ``_T`` for a total and ``_Z`` where no tier or initiative
    scopes it: ``party_members.350211._T.sex:female.share.actual._Z._Z``."""
    parts: Iterable[str] = (
        indicator,
        district,
        sub_unit or TOTAL,
        breakdown or TOTAL,
        str(statistic),
        str(status),
        tier or NOT_APPLICABLE,
        initiative or NOT_APPLICABLE,
    )
    return ".".join(p.replace(".", "·") for p in parts)
