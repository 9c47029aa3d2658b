"""The words and marks of Chinese report texts that the suggestions read.

Punctuation and the segments it makes; markers of ranks, structures, titles and comparison
bases; the period phrases searched for; the words that link a counted noun to its figure, head
it or end it; and the cues of a statistic (share, growth, change, average, rank change) and of
a status (target, estimate).
Constants only: what reads them is in the other modules of this package. The words that hold
a numeral character without being a number are :mod:`stats.extraction.common_words`, which the
corpus build reads too.
"""

from __future__ import annotations

import re

from stats.extraction.periods import PERIOD_IN_TEXT, YEAR_COUNT
from stats.extraction.quantities import CHINESE_NUMERAL_CHARS, MEASURE_WORDS

# Punctuation, digits and the shapes of numerals

#: Clause punctuation (full-width and ASCII). ``.`` is not one: it is a decimal point.
CLAUSE_MARKS = "，、；：。！？…,;:!?"
#: Phrase punctuation: the clause marks without the enumeration comma 、.
PHRASE_MARKS = "，；：。！？…,;:!?"
#: Sentence ends. ； does not end a sentence: a period phrase carries over it.
SENTENCE_MARKS = "。！？!?"
#: A line of a narrow-column layout (a caption): this short and not ended by punctuation.
NARROW_LINE = 8
_LEFT_SINGLE, RIGHT_SINGLE = "\u2018", "\u2019"
QUOTE_PAIRS = {"“": "”", _LEFT_SINGLE: RIGHT_SINGLE, "「": "」", "『": "』", '"': '"'}
#: Quoted text this short is a name, title or slogan, not speech.
SHORT_QUOTE = 16
#: Marks skipped when matching words: quotation marks and book-title marks.
IGNORED_MARKS = f'“”{_LEFT_SINGLE}{RIGHT_SINGLE}"《》「」『』'
_FULL_WIDTH_DIGITS = "".join(chr(0xFF10 + d) for d in range(10))
_DIGITS = f"0-9{_FULL_WIDTH_DIGITS[0]}-{_FULL_WIDTH_DIGITS[-1]}"
NUMERAL_CHARS = frozenset(CHINESE_NUMERAL_CHARS + "0123456789" + _FULL_WIDTH_DIGITS)
PLUS = "+\uff0b"
HAN = re.compile(r"[\u4e00-\u9fff]")
CHINESE_ONLY = re.compile(rf"^[^{_DIGITS}]*$")
WEEKDAY = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")
YEARS_OR_MONTHS = re.compile(rf"[{_DIGITS}{CHINESE_NUMERAL_CHARS}]+[年月]")

# Markers of numerals that are not statistics

#: Before 第N or after a count of placings (9次位列…第一): a ranking, not an ordinal.
RANK_MARKERS = ("排名", "位列", "名列", "排在", "位居", "居")
#: Nouns that name the parts of a structure or programme, not things counted in the world.
STRUCTURE_NOUNS = (
    "方面",
    "篇章",
    "章节",
    "环节",
    "板块",
    "维度",
    "原则",
    "机制",
    "体系",
    "方案",
    "专项行动",
    "专项活动",
    "大行动",
    "功能",
    "步骤",
    "层级",
    "梯队",
)
#: After the number: an honour or award (三等奖, 六连冠, 十佳, 百强).
TITLE_AFTER = ("等奖", "连冠", "佳", "强", "优")
#: Words that make a quoted name a title.
TITLE_IN_QUOTE = ("冠", "奖", "佳", "强", "优秀", "先进", "示范", "标兵")
#: Markers of a comparison base: 较2019年 is not the period of the figure after it.
COMPARISON_MARKERS = ("较", "比", "同比", "相比", "与")
#: Suffix qualifiers a figure may leave outside its clause's noun.
TRAILING_QUALIFIERS = ("以上", "左右", "以下", "以内")

# Period phrases

#: A plan's years (未来五年, 今后3年): the period resolver does not read them.
_FUTURE_YEARS = rf"(?:未来|今后){YEAR_COUNT}?年"
#: The period phrases searched for: those the resolver reads, then the future years, which end
#: the search for an earlier phrase.
PERIOD_PHRASE = re.compile(f"{PERIOD_IN_TEXT}|{_FUTURE_YEARS}")
DIGIT_BEFORE = re.compile(rf"[{_DIGITS}]$")
TO_ASCII_DIGITS = str.maketrans(_FULL_WIDTH_DIGITS, "0123456789")

# The counted noun: its words, what links it to the figure, heads it and ends it

#: Suffixes of indicator names that say how it is counted (党员人数 → 党员).
NAME_SUFFIXES = ("人数", "人次", "场次", "次数", "件数", "页数", "批次", "金额", "面积", "数")
BRACKETS = re.compile(r"[（(][^（）()]*[）)]")


#: Words between a counted noun and its figure that leave the noun the head of what is
#: counted (党员总数为, 占比达到, 比上年净增): being and reaching, totals, qualifiers, comparison
#: bases and statistic words. Stripped from the end of the gap, repeatedly.
LINKING = re.compile(
    "(?:"
    + "|".join(
        [
            rf"(?:比|较|与|同)(?:上年|去年|上一年|前一年|同期|[{_DIGITS}]{{4}}年)(?:底|末)?"
            r"(?:同期)?(?:相比)?",
            r"同比|环比",
            r"所占比例|占比|比例|比重|覆盖率|占",
            r"净增加|净减少|净增|净减|增加|减少|增长率|增长|增幅|增速|涨幅|上升|下降|提高|提升|降低",
            r"总数|人数|数量|总量|总计|合计|共计|累计|总额|规模",
            r"共有|现有|拥有|已有|共|有",
            r"已达到|已达|达到|高达|多达|达",
            r"分别|均|全部|都|已经|已|仅|只有|为|是|约|了|的|中|至|到",
            r"超过|突破|不低于|不少于|不超过|不足|接近|近|逾|超|等|由|从|在|内|就|也|还|才|又",
            r"最初|当初|起初|原来|原有|此前|目前|现在|如今|当时|年初|年底|年末",
        ]
    )
    + r")$"
)
#: Heads that a counted noun may go on with after an indicator's word: 基层党组织书记 counts
#: secretaries, 招商项目组 teams, not organisations or projects.
NOUN_HEADS = (
    "书记",
    "委员",
    "干部",
    "人员",
    "成员",
    "代表",
    "群众",
    "工作者",
    "负责人",
    "组",
    "队",
    "员",
    "者",
    "长",
    "站",
    "点",
    "室",
    "中心",
    "基地",
    "阵地",
    "指挥部",
    "项目",
    "领导",
)
#: Verbs and adverbs that end a subject or begin a predicate: the counted noun is after the
#: last of them before the figure (组建|党员志愿服务队18支) or before the first after it
#: (12个小区|加装电梯).
_PREDICATE_WORDS = """
    参与 参加 投身 深入 成立 建立 建成 建有 组建 开展 完成 实现 获得 获评 荣获 被 全部 全面
    共同 担任 挂任 兼任 下沉 纳入 入驻 报到 签约 落地 涌现 通过 奋战 坚守 结对 联系 帮扶 走访
    得到 受到 进驻 进入 加入 覆盖 设立 设置 配备 选派 派驻 派出 认领 承接 发挥 带动 吸纳 提供
    开设 打造 形成 成为 率先 主动 积极 自发 先后 相继 陆续 同步 集中 定期 携手 联合 共建 推动
    实施 加装 整治 改造 新建 新增 收集 办理 办结 解决 化解 排查 培训 开放 认定 评选 命名 共有
    现有 拥有 招录 招聘 选聘 引进 培育 举办 召开 发放 发送 发布 慰问 转移 出动 抽调 聘请 安置
    帮助 惠及 吸引 孵化 培养 选树 表彰 挖掘 整合 盘活 投入 筹集 募集 捐赠 签订 征集 受理 调解
    开通 上线 注册 参训 轮训 宣讲 累计 达到 超过 突破 推广 落户 实行 进行 挂钩
    有 达 为 是 在 到 赴 向 对 从 与 和 及
"""
PREDICATE = re.compile("|".join(sorted(_PREDICATE_WORDS.split(), key=len, reverse=True)))
#: An indicator's word that says what units did rather than what they are (已建立党组织).
PREDICATE_START = re.compile(rf"(?:已|全|均|都)?(?:{PREDICATE.pattern})")
#: Single-character predicates that end a noun after a figure (850名干部|到机场).
GOING = frozenset("到在向对从赴")
#: Words that open a noun phrase without being part of what is counted.
LEADING = re.compile(
    r"^(?:其中|全(?:区|市|县|省|镇|乡|街道|国)|辖区内?|各级|各类|各|共|累计|今年以来|今年|"
    r"去年以来|去年|目前|当前|现已|已|年底|年末|新|占|计划|力争|预计|将)+"
)

# Cues of the statistic, the status and the categories of a breakdown

#: Words before a figure that make it a statistic other than a level (``read_statistic``).
RANK_CUE = re.compile(r"(?:上升|提升|前移|跃升|前进|进位|攀升|提高|下降|后退|下滑|后移)了?$")
RANKING = re.compile(r"排名|排位|位次|名次")
DAILY_CUE = re.compile(r"日均|平均每天|每天平均|每日平均")
PER_UNIT_CUE = re.compile(r"村均|人均|户均|校均|企均|平均每(?:个|户|人|村|名|家|所)")
SHARE_CUE = re.compile(r"所占比例|占比|比例|比重|覆盖率|占(?![地用领据])")
GROWTH_CUE = re.compile(
    r"(?:增长率|增长|增幅|增速|涨幅|提高|提升|上升|下降|降低|减少|增加|下滑|翻)了?(?![到至为])"
)
CHANGE_CUE = re.compile(
    r"(?:净增加|净减少|净增|净减|增加|减少|增长|下降|提高|提升|上升|降低)了?(?![到至为])"
)
COMPARISON_BASE = re.compile(r"比|较|同比|环比")
#: Change words that make a change without a comparison base when right before the figure
#: (增加22个); 提高102名干部素质 raises something else.
ADJACENT_CHANGE = frozenset({"增加", "减少", "增长", "下降"})

#: Words before a figure in its sentence that make it a plan or an estimate (``read_status``).
_FUTURE_AFTER_JIANG_WORDS = """
    会 要 再 继续 进一步 全面 持续 逐步 陆续 分批 重点 不断 新 增 达 建 实现 完成 开展 组织 发展
    培育 打造 推 累计 有 突破 超 投入 提 于 在 吸纳 招 选 覆盖 形成 成为 迎来 举办 启动 落实 扩大
    开通 惠及 带动 创建 深化 加快 加大 围绕 聚焦 坚持 着力 大力 集中 统筹 进行 开设 设立 配备 培训
    实施 构建 健全 完善 探索 出台 召开 全力 努力 积极 切实 更加 每年
"""
_FUTURE_AFTER_JIANG = _FUTURE_AFTER_JIANG_WORDS.split()
STATUS_CUE = re.compile(
    "|".join(
        [
            r"(?P<target>力争|争取|确保|计划(?!生育|单列)|目标(?=是|为|：|:|到|达)|预计到|拟|谋划"
            rf"|规划(?!面积)|{_FUTURE_YEARS}|即将"
            rf"|(?<!即)将(?={'|'.join(_FUTURE_AFTER_JIANG)}))",
            r"(?P<estimate>预计|预估|估计|预期)",
            r"(?P<actual>已经|已|目前|截至|现有|实际|如今)",
            rf"(?P<year>(?P<until>到|至)?(?P<number>[{_DIGITS}]{{4}})年(?:底|末)?(?P<before>前|以前)?)",
        ]
    )
)

#: How texts name the categories of a breakdown: each category's words and its name.
#: Single characters (村, 镇) only where their neighbours show they are the kind of unit.
PLACE_LIKE = frozenset({"village", "community", "subdistrict", "township", "residential_compound"})
NAME_PREFIXES = ("全区", "全市", "全县", "全省", "城市", "农村", "城乡", "城镇")
AFTER_SINGLE = {"村": "民均庄落道里口头委务史容貌", "镇": "长政府江区上里"}
#: Dimensions that break down counts of people; unit_kind breaks down counts of units.
UNIT_DIMENSIONS = frozenset({"unit_kind"})
#: Characters after which a place-like word is a kind of unit, not the end of a name: measure
#: words (118个社区, 28名农村…), 各, 的, conjunctions.
BEFORE_KIND = frozenset("各的和及与等或在" + "".join(w for w in MEASURE_WORDS if len(w) == 1))
