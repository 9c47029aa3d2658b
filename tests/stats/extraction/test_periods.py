"""Period phrases resolve against the publication window."""

from datetime import date

import pytest

from stats.extraction.periods import PeriodError, PublicationWindow, resolve_period
from stats.vocabulary import PeriodKind

FUZHOU = PublicationWindow(date(2021, 7, 8), date(2021, 7, 8))  # printed timestamp
JIMEI = PublicationWindow(date(2021, 1, 1), date(2021, 12, 31))  # year inferred
XIAMEN = PublicationWindow(date(2024, 6, 1), date(2024, 12, 31))

S, F, C = PeriodKind.STOCK, PeriodKind.FLOW, PeriodKind.CUMULATIVE
CASES = [
    ("去年", JIMEI, date(2020, 1, 1), date(2020, 12, 31), F),
    ("去年以来", JIMEI, date(2020, 1, 1), date(2021, 12, 31), C),
    ("去年1—9月", JIMEI, date(2020, 1, 1), date(2020, 9, 30), F),
    ("2020年", JIMEI, date(2020, 1, 1), date(2020, 12, 31), F),
    ("2018年以来", JIMEI, date(2018, 1, 1), date(2021, 12, 31), C),
    ("自2018年以来", JIMEI, date(2018, 1, 1), date(2021, 12, 31), C),
    ("目前", FUZHOU, date(2021, 7, 8), date(2021, 7, 8), S),
    ("目前", JIMEI, date(2021, 1, 1), date(2021, 12, 31), S),
    ("截至2023年12月底", XIAMEN, date(2023, 12, 31), date(2023, 12, 31), S),
    ("截至2024年6月", XIAMEN, date(2024, 6, 30), date(2024, 6, 30), S),
    ("7年来", XIAMEN, date(2017, 6, 1), date(2024, 12, 31), C),
    ("近三年", XIAMEN, date(2021, 6, 1), date(2024, 12, 31), C),
    ("近年来", XIAMEN, None, date(2024, 12, 31), C),
    ("2022年以来", XIAMEN, date(2022, 1, 1), date(2024, 12, 31), C),
    ("2023年", XIAMEN, date(2023, 1, 1), date(2023, 12, 31), F),
    ("2022年9月13日", XIAMEN, date(2022, 9, 13), date(2022, 9, 13), F),
    ("2017年5月起", XIAMEN, date(2017, 5, 1), date(2024, 12, 31), C),
    ("每年", XIAMEN, None, None, F),
]


@pytest.mark.parametrize(
    ("phrase", "window", "start", "end", "kind"), CASES, ids=[c[0] for c in CASES]
)
def test_period_phrase_resolves_to_dates_and_kind(phrase, window, start, end, kind):
    resolved = resolve_period(phrase, window)
    assert (resolved.start, resolved.end, resolved.kind) == (start, end, kind)


def test_unknown_period_phrase_asks_for_explicit_dates():
    with pytest.raises(PeriodError, match=r"unknown period phrase '活动开展以来'.*period_start"):
        resolve_period("活动开展以来", JIMEI)
