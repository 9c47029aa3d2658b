"""Sections 2 and 3 of `make bench` on SQLite, the corpus: the API with its rendered-response
cache off against Datasette (same file, immutable) and the hand-written ``.values()`` + orjson
views (bench/views.py), question by question, each checked to get the same rows from all
three; the cached list against the pre-rendered bytes; the whole CSV export against
Datasette's CSV of the same rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import (
    DATASETTE,
    OUT,
    Load,
    Results,
    datasette,
    datasette_url,
    django_env,
    drain,
    fetch,
    fetch_json,
    gunicorn,
    log,
    wrk,
)
from bench.questions import ANSWERING, API, SELECT, Question, sqlite_questions

SECTION = "sqlite"
CACHED_PORT, UNCACHED_PORT, DATASETTE_PORT = 8801, 8802, 8803


def same_rows(question: Question, api: Any, ceiling: Any, datasette: Any | None) -> int:
    """Stop the run unless the three answer the same rows; how many."""
    expected = question.api_rows(api)
    got = {"hand-written view": question.ceiling_rows(ceiling)}
    if datasette is not None:
        got["Datasette"] = question.datasette_rows(datasette)
    for who, rows in got.items():
        if rows != expected:
            raise SystemExit(
                f"{question.name}: {who} answers other rows than the API "
                f"({len(rows)} against {len(expected)}; first differences "
                f"{[r for r in rows if r not in expected][:3]} / "
                f"{[r for r in expected if r not in rows][:3]})"
            )
    if not expected:
        raise SystemExit(f"{question.name}: an empty answer measures nothing")
    return len(expected)


@dataclass
class Measured:
    """What the three answered to each question, and their loads by name (``api <question>``,
    ``ceiling <question>``, ``datasette <question>``, ``cached``, ``prerendered``)."""

    questions: list[Question]
    answers: dict[str, tuple[Any, Any]]
    loads: dict[str, Load] = field(default_factory=dict)
    csv_rows: int = 0
    datasette_csv_rows: int = 0


def sqlite_section(results: Results, url: str) -> None:
    """Every SQLite measurement and its targets, in the report's order."""
    have_datasette = Path(DATASETTE).exists()
    if not have_datasette:
        log(f"  Datasette not found at {DATASETTE}: its comparisons are MISSING (make bench)")
    measured = measure_django(results, url)
    if have_datasette:
        measure_datasette(results, measured)
    else:
        for q in measured.questions:
            same_rows(q, *measured.answers[q.name], None)
    check_questions(results, measured)
    cached, ceiling = measured.loads["cached"], measured.loads["prerendered"]
    results.check(
        SECTION,
        "list of 100, rendered cache / pre-rendered bytes",
        cached.requests_per_second / ceiling.requests_per_second,
        0.8,
        ">=",
        "x",
        f"cached {cached.requests_per_second:.0f}, bytes {ceiling.requests_per_second:.0f} req/s",
    )
    if have_datasette:
        check_csv(results, measured)


def measure_django(results: Results, url: str) -> Measured:
    """The API (cached and uncached) and the hand-written views, served by the production
    server: every question's answers, then their loads, then the whole CSV export's."""
    prerendered = OUT / "prerendered.json"
    env = django_env(url, BENCH_PRERENDERED=str(prerendered))
    with (
        gunicorn(env, "server-cached", CACHED_PORT) as cached,
        gunicorn({**env, "API_RESPONSE_CACHE_SECONDS": "0"}, "server-uncached", UNCACHED_PORT)
        as uncached,
    ):  # fmt: skip
        longest = f"{uncached.base}{API}/series/?ordering=-observation_count&page_size=1"
        series_key = str(fetch_json(longest)["results"][0]["key"])
        questions = sqlite_questions(series_key)
        answers = {
            q.name: (fetch_json(uncached.base + q.api), fetch_json(uncached.base + q.ceiling))
            for q in questions
        }
        measured = Measured(questions, answers)
        loads = measured.loads
        prerendered.write_bytes(fetch(uncached.base + questions[0].api))
        cached_page = fetch_json(cached.base + questions[0].api)["results"]
        assert cached_page == json.loads(prerendered.read_bytes())["results"]
        for q in questions:
            loads[f"api {q.name}"] = results.load(
                SECTION, wrk(f"API uncached: {q.name}", uncached.base + q.api)
            )
            loads[f"ceiling {q.name}"] = results.load(
                SECTION, wrk(f"hand-written view: {q.name}", uncached.base + q.ceiling)
            )
        loads["cached"] = results.load(
            SECTION, wrk("API rendered cache: list of 100", cached.base + questions[0].api)
        )
        loads["prerendered"] = results.load(
            SECTION, wrk("pre-rendered bytes: list of 100", uncached.base + "/bench/prerendered/")
        )
        loads["csv api"] = results.load(
            "csv",
            wrk("API CSV export, whole set", f"{uncached.base}{API}/observations/?format=csv"),
        )
        _, measured.csv_rows, _, _ = drain(f"{uncached.base}{API}/observations/?format=csv")
    return measured


def measure_datasette(results: Results, measured: Measured) -> None:
    """Datasette on the same file: each question's rows checked against the API's, then its
    load; then its CSV of the rows the API exports."""
    with datasette(OUT / "corpus.sqlite3", DATASETTE_PORT) as base:
        for q in measured.questions:
            rows = fetch_json(datasette_url(base, q.sql, _shape="array"))
            api, ceiling = measured.answers[q.name]
            count = same_rows(q, api, ceiling, rows)
            log(f"  {q.name}: the same {count} rows from the API, the view and Datasette")
            measured.loads[f"datasette {q.name}"] = results.load(
                SECTION,
                wrk(f"Datasette: {q.name}", datasette_url(base, q.sql, _shape="array")),
            )
        csv_sql = SELECT + f"where {ANSWERING} order by o.id"
        csv_url = datasette_url(base, csv_sql, "csv", _stream="on", _size="max")
        _, measured.datasette_csv_rows, _, _ = drain(csv_url)
        measured.loads["csv datasette"] = results.load(
            "csv", wrk("Datasette CSV, the same rows", csv_url)
        )


def check_questions(results: Results, measured: Measured) -> None:
    """Each question: the API against Datasette (>= 1.0x) and the hand-written view (>= 0.9x)."""
    loads = measured.loads
    for q in measured.questions:
        api, ceiling = loads[f"api {q.name}"], loads[f"ceiling {q.name}"]
        figures = f"API {api.requests_per_second:.0f} req/s"
        if f"datasette {q.name}" in loads:
            other = loads[f"datasette {q.name}"]
            results.check(
                SECTION,
                f"{q.name}: API / Datasette",
                api.requests_per_second / other.requests_per_second,
                1.0,
                ">=",
                "x",
                f"{figures}, Datasette {other.requests_per_second:.0f} req/s",
            )
        else:
            results.check(
                SECTION, f"{q.name}: API / Datasette", 0.0, 1.0, ">=", "x", "no Datasette"
            )
        results.check(
            SECTION,
            f"{q.name}: API / hand-written view",
            api.requests_per_second / ceiling.requests_per_second,
            0.9,
            ">=",
            "x",
            f"{figures}, view {ceiling.requests_per_second:.0f} req/s",
        )


def check_csv(results: Results, measured: Measured) -> None:
    """The whole CSV export against Datasette's CSV of the same rows, req/s and MB/s."""
    csv_api, csv_datasette = measured.loads["csv api"], measured.loads["csv datasette"]
    rows_note = f"{measured.csv_rows - 1} rows (API), {measured.datasette_csv_rows - 1} (Datasette)"
    results.check(
        "csv",
        "CSV export / Datasette CSV, req/s (SQLite, the corpus)",
        csv_api.requests_per_second / csv_datasette.requests_per_second,
        1.0,
        ">=",
        "x",
        f"API {csv_api.requests_per_second:.0f}, Datasette "
        f"{csv_datasette.requests_per_second:.0f} req/s; {rows_note}",
    )
    results.check(
        "csv",
        "CSV export / Datasette CSV, MB/s",
        csv_api.megabytes_per_second / max(csv_datasette.megabytes_per_second, 1e-9),
        1.0,
        ">=",
        "x",
        f"API {csv_api.megabytes_per_second:.2f}, Datasette "
        f"{csv_datasette.megabytes_per_second:.2f} MB/s",
    )
