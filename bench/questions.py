"""The questions `make bench` asks on SQLite of the API, the hand-written views
(bench/views.py) and Datasette, with Datasette's SQL for each: the same rows, joins and columns
as the API's answer, flat. Each question says how to read the rows of each answer, so the run can
check the three answer the same before it measures them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

API = "/api/v1"
DETAIL_ID = ("jimei-2021", 444)
INDICATOR = "party_members"
PANEL = f"indicator={INDICATOR}&place_level=district"

# Datasette gets the same questions as SQL over the same tables: the same rows, joins and
# columns as the API's answers (flat, as Datasette returns them).
SELECT = """
select o.id, i.code as indicator_code, i.name_zh as indicator_name_zh,
  i.name_en as indicator_name_en, i.unit as indicator_unit, d.code as district_code,
  d.name_zh as district_name_zh, d.name_en as district_name_en, d.level as district_level,
  p.code as district_parent, o.sub_unit,
  t.code as tier_code, t.name_zh as tier_name_zh, t.name_en as tier_name_en,
  n.code as initiative_code, n.name_zh as initiative_name_zh, n.name_en as initiative_name_en,
  o.breakdown, o.statistic, o.status, o.series, o.rank, o.rank_reason,
  o.period_label, o.period_start, o.period_end, o.period_kind, o.value, o.lower_bound,
  o.lower_inclusive, o.upper_bound, o.upper_inclusive, o.upper_by_convention, o.qualifier,
  o.unit, o.raw, o.mantissa, o.scale, o.scale_power, o.measure_word, s.slug as document,
  o.start, o."end", o.quote, o.figure_start, o.figure_end, o.note
from stats_observation o
join stats_indicator i on i.id = o.indicator_id
join stats_district d on d.id = o.district_id
left join stats_district p on p.id = d.parent_id
left join stats_organisationtier t on t.id = o.tier_id
left join stats_initiative n on n.id = o.initiative_id
join stats_sourcedocument s on s.id = o.document_id
"""
ANSWERING = "o.status = 'actual' and o.rank = 'preferred'"
_LATEST = f"""
o.id in (
  select id from (
    select o.id, row_number() over (
      partition by o.series
      order by coalesce(o.period_end, '0001-01-01') desc,
        case when o.rank = 'preferred' then 0 else 1 end, s.published_latest desc,
        s.slug desc, o.figure_start desc
    ) as newest
    from stats_observation o join stats_sourcedocument s on s.id = o.document_id
    where {ANSWERING}
  ) where newest = 1
)"""
_SERIES = """
select se.id, se.key, i.code as indicator_code, i.name_zh as indicator_name_zh,
  i.name_en as indicator_name_en, i.unit as indicator_unit, d.code as district_code,
  d.name_zh as district_name_zh, d.name_en as district_name_en, d.level as district_level,
  p.code as district_parent, se.sub_unit, se.breakdown, se.statistic, se.status,
  t.code as tier_code, t.name_zh as tier_name_zh, t.name_en as tier_name_en,
  n.code as initiative_code, n.name_zh as initiative_name_zh, n.name_en as initiative_name_en,
  se.unit, se.observation_count, se.period_start, se.period_end,
  ls.slug as latest_document, l.figure_start as latest_figure_start,
  l.period_label as latest_period_label, l.period_start as latest_period_start,
  l.period_end as latest_period_end, l.period_kind as latest_period_kind,
  l.value as latest_value, l.lower_bound as latest_lower_bound,
  l.upper_bound as latest_upper_bound, l.qualifier as latest_qualifier, l.raw as latest_raw
from stats_series se
join stats_indicator i on i.id = se.indicator_id
join stats_district d on d.id = se.district_id
left join stats_district p on p.id = d.parent_id
left join stats_organisationtier t on t.id = se.tier_id
left join stats_initiative n on n.id = se.initiative_id
left join stats_observation l on l.id = se.latest_id
left join stats_sourcedocument ls on ls.id = l.document_id
"""
_PANEL = f"""
select * from (
  select d.code as district_code, d.name_zh as district_name_zh,
    d.name_en as district_name_en, d.level as district_level, p.code as district_parent,
    o.series, strftime('%Y', o.period_end) as year, s.slug as document, o.figure_start,
    o.value, o.qualifier, o.raw,
    row_number() over (
      partition by o.series, strftime('%Y', o.period_end)
      order by o.period_end desc, o.rank = 'preferred' desc, o.figure_start desc
    ) as newest
  from stats_series se
  join stats_indicator i on i.id = se.indicator_id
  join stats_observation o on o.series = se.key
  join stats_district d on d.id = se.district_id
  left join stats_district p on p.id = d.parent_id
  join stats_sourcedocument s on s.id = o.document_id
  where i.code = '{INDICATOR}' and se.sub_unit = '' and se.initiative_id is null
    and se.breakdown = '' and se.statistic = 'level' and se.status = 'actual'
    and d.level = 'district' and o.rank != 'deprecated' and o.period_end is not null
) where newest = 1 order by district_code, series, year"""


# --- what a question's answer holds, to check the three answer alike ---------------------------


def observation_ids(body: Any) -> list[str]:
    return [row["id"] for row in body["results"]]


def values_ids(body: Any) -> list[str]:
    return [f"{row['document__slug']}:{row['figure_start']}" for row in body["results"]]


def _datasette_ids(rows: Any) -> list[str]:
    return [f"{row['document']}:{row['figure_start']}" for row in rows]


def panel_cells(body: Any, place: Callable[[Any], str]) -> list[tuple[str, ...]]:
    """A panel's cells as (place, year, figure as written, qualifier): two figures of the same
    place, year and period end are a tie the panel may break either way, with the same words."""
    return sorted(
        (place(row), year, cell["raw"], cell["qualifier"])
        for row in body["rows"]
        for year, cell in row["values"].items()
        if cell
    )


@dataclass
class Question:
    """One question asked of the API, the hand-written view and Datasette, and how to read
    the rows each answers (the same list for all three, or the run stops)."""

    name: str
    api: str
    ceiling: str
    sql: str
    api_rows: Callable[[Any], list[Any]]
    ceiling_rows: Callable[[Any], list[Any]]
    datasette_rows: Callable[[Any], list[Any]]


def sqlite_questions(series_key: str) -> list[Question]:
    slug, start = DETAIL_ID
    key_sql = series_key.replace("'", "''")
    one_series = (
        SELECT + f"where o.series = '{key_sql}' order by coalesce(o.period_end, '9999-12-31'), "
        "coalesce(o.period_start, '9999-12-31'), s.slug, o.figure_start"
    )
    return [
        Question(
            "list of 100",
            f"{API}/observations/?page_size=100",
            "/bench/values/?page_size=100",
            SELECT + f"where {ANSWERING} order by o.id limit 100",
            observation_ids,
            values_ids,
            _datasette_ids,
        ),
        Question(
            "filtered by one indicator",
            f"{API}/observations/?indicator={INDICATOR}",
            f"/bench/values/?indicator={INDICATOR}",
            SELECT + f"where {ANSWERING} and i.code = '{INDICATOR}' order by o.id limit 100",
            observation_ids,
            values_ids,
            _datasette_ids,
        ),
        Question(
            "detail",
            f"{API}/observations/{slug}:{start}/",
            f"/bench/values/{slug}:{start}/",
            SELECT + f"where s.slug = '{slug}' and o.figure_start = {start}",
            lambda body: [body["id"]],
            lambda body: [f"{body['document__slug']}:{body['figure_start']}"],
            _datasette_ids,
        ),
        Question(
            "series list (a page of 100)",
            f"{API}/series/?page_size=100",
            "/bench/series/?page_size=100",
            _SERIES + "where se.status = 'actual' order by se.id limit 100",
            lambda body: [row["key"] for row in body["results"]],
            lambda body: [row["key"] for row in body["results"]],
            lambda rows: [row["key"] for row in rows],
        ),
        Question(
            "one series",
            f"{API}/series/{series_key}/",
            f"/bench/series/{series_key}/",
            one_series,
            lambda body: [row["id"] for row in body["observations"]],
            lambda body: [
                f"{row['document__slug']}:{row['figure_start']}" for row in body["observations"]
            ],
            _datasette_ids,
        ),
        Question(
            "panel (one indicator, districts)",
            f"{API}/panel/?{PANEL}",
            f"/bench/panel/?{PANEL}",
            _PANEL,
            lambda body: panel_cells(body, lambda row: row["district"]["code"]),
            lambda body: panel_cells(body, lambda row: row["district"][0]),
            lambda rows: sorted(
                (row["district_code"], row["year"], row["raw"], row["qualifier"]) for row in rows
            ),
        ),
        Question(
            "latest=true (a page of 100)",
            f"{API}/observations/?latest=true&page_size=100",
            "/bench/values/?latest=true&page_size=100",
            SELECT + f"where {ANSWERING} and {_LATEST} order by o.id limit 100",
            observation_ids,
            values_ids,
            _datasette_ids,
        ),
    ]
