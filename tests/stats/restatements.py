"""A later report restating a figure the corpus has: Jimei's 2020 party membership
(jimei-2021:444), in a new document of its own. It is a claim of the same series and period,
so the series refresh ranks it against the original (tests of the API's claims and of the
stored representations)."""

from __future__ import annotations

import hashlib
from datetime import date

from stats.models import Observation, SourceDocument


def restate_jimei_members(
    slug: str, published: date, raw: str, qualifier: str, value: int, *, title_en: str = ""
) -> Observation:
    """Jimei's 2020 membership as a document ``slug`` published on ``published`` words it:
    ``raw`` (超1.6万名, 16012名) read as ``value`` with ``qualifier`` (exact or more_than)."""
    original = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
    text = f"2020年，全区{raw}党员参加主题教育。"
    document = SourceDocument.objects.create(
        slug=slug,
        title=f"集美区党建回顾（{slug}）",
        title_en=title_en,
        outlet="test",
        place=original.district,
        published_precision="day",
        published_earliest=published,
        published_latest=published,
        published_basis="written for the tests",
        original_name=f"{slug}.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
    )
    start = text.index(raw)
    exact = qualifier == "exact"
    return Observation.objects.create(
        indicator=original.indicator,
        district=original.district,
        period_label="2020年",
        period_start=original.period_start,
        period_end=original.period_end,
        period_kind=original.period_kind,
        value=value,
        lower_bound=value,
        lower_inclusive=True,
        upper_bound=value if exact else None,
        upper_inclusive=True if exact else None,
        qualifier=qualifier,
        unit="person",
        raw=raw,
        document=document,
        start=start - 2,
        end=start + len(raw) + 2,
        quote=text[start - 2 : start + len(raw) + 2],
        figure_start=start,
        figure_end=start + len(raw),
    )
