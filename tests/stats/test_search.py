"""Text search over observations through the character-bigram index, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stats import search
from stats.extraction.search_terms import query_terms, search_terms_of
from stats.loading import load_corpus
from stats.models import Observation, ObservationTerm
from stats.search import candidates, deferred_reindex, matching, reindex_observations

pytestmark = pytest.mark.django_db
API = "/api/v1"


def unindexed(q: str) -> set[int]:
    """The ids the search must find: the plain substring match of every term, no index."""
    condition = Q()
    for term in q.split():
        condition &= (
            Q(quote__icontains=term)
            | Q(raw__icontains=term)
            | Q(sub_unit__icontains=term)
            | Q(indicator__name_zh__icontains=term)
            | Q(indicator__name_en__icontains=term)
            | Q(district__name_zh__icontains=term)
            | Q(district__name_en__icontains=term)
            | Q(initiative__name_zh__icontains=term)
            | Q(note__icontains=term)
        )
    return set(Observation.objects.filter(condition).values_list("pk", flat=True))


def found(q: str) -> set[int]:
    return set(matching(Observation.objects.all(), q).values_list("pk", flat=True))


def api(client: Client, **params: object) -> list[dict]:
    response = client.get(f"{API}/observations/", {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def own_text(o: Observation) -> str:
    return "\x1f".join([o.quote, o.raw, o.sub_unit, o.note])


@pytest.mark.parametrize(
    "q",
    [
        "党建",
        "社区",
        "小区党支部",
        "党建 社区",
        "集美",
        "思明",
        "Jimei",
        "jimei district",
        "party",
        "PARTY members",
        "responsibility",
        "e家",
        "\uff45家",  # full-width e
        "1.6万名",
        "1100余",
        "党",
        "e",
        "%",
        "（",
        "社区大党工委",
        "支部成立",
        "不存在的词",
    ],
)
def test_the_index_finds_what_the_substring_match_finds(q: str):
    assert found(q) == unindexed(q)


def test_two_character_words_match_in_the_text(client: Client):
    for word in ("党建", "社区"):
        rows = api(client, q=word)
        assert rows
        assert all(
            word
            in r["source"]["quote"]
            + r["note"]
            + r["sub_unit"]
            + r["indicator"]["name_zh"]
            + r["district"]["name_zh"]
            + (r["initiative"] or {}).get("name_zh", "")
            for r in rows
        )
    # 党建 is found in the text itself, not only in names.
    assert any("党建" in r["source"]["quote"] for r in api(client, q="党建"))


def test_a_compound_word_finds_the_compound_branches(client: Client):
    rows = api(client, q="小区党支部")
    assert {r["raw"] for r in rows} >= {"386个", "304个", "115个"}
    assert all(
        "小区党支部" in r["source"]["quote"] + r["note"] + r["indicator"]["name_zh"] for r in rows
    )


def test_an_english_indicator_name(client: Client):
    rows = api(client, q="party members")
    assert rows
    assert {r["indicator"]["code"] for r in rows} >= {"party_members"}
    zones = api(client, q="Responsibility Zones")
    assert {r["indicator"]["code"] for r in zones} >= {"party_member_responsibility_zones"}


def test_a_term_only_in_a_place_name(client: Client):
    # 思明 is in no observation's text, only in the name 思明区.
    assert not Observation.objects.filter(quote__contains="思明").exists()
    rows = api(client, q="思明")
    assert rows
    assert {r["district"]["code"] for r in rows} == {"350203"}
    jimei = api(client, q="集美")
    assert {r["district"]["code"] for r in jimei} >= {"350211"}


def test_no_match(client: Client):
    assert api(client, q="不存在的词") == []
    assert api(client, q="党建 不存在的词") == []


def test_bigrams_that_all_occur_apart_do_not_match():
    # 23个防疫工作专班全部成立临时党支部 has the bigrams 支部, 部成 (全部成立) and 成立 …
    o = Observation.objects.get(document__slug="huli-2021", raw="23个")
    assert "全部成立临时党支部" in o.quote
    narrowed = set(candidates(query_terms("支部成立")).values_list("observation_id", flat=True))
    assert o.pk in narrowed
    # … but not the word 支部成立: the substring match rules it out (科华数能's 党支部成立仅一年
    # has the word itself).
    assert o.pk not in found("支部成立")
    assert found("支部成立") == unindexed("支部成立")
    assert {Observation.objects.get(pk=pk).sub_unit for pk in found("支部成立")} == {"科华数能"}


def test_every_observation_is_indexed_after_the_load():
    indexed = ObservationTerm.objects.values("observation").distinct().count()
    assert indexed == Observation.objects.count()
    o = Observation.objects.get(document__slug="jimei-2021", raw="1100余个")
    stored = set(o.search_terms.values_list("term", flat=True))
    assert stored == search_terms_of([o.quote, o.raw, o.sub_unit, o.note])


def test_saving_an_observation_reindexes_it():
    o = Observation.objects.filter(quote__contains="党建").first()
    assert o is not None
    assert o.pk in found("党建")
    o.note = "一条测试备注：楼宇党群驿站"
    o.quote = o.quote.replace("党建", "工作")
    o.save()
    terms = set(o.search_terms.values_list("term", flat=True))
    assert terms == search_terms_of([o.quote, o.raw, o.sub_unit, o.note])
    assert "党群" in terms
    assert o.pk in found("楼宇党群驿站")
    assert (o.pk in found("党建")) == (o.pk in unindexed("党建"))


def test_a_save_of_other_fields_leaves_the_terms_alone():
    o = Observation.objects.first()
    assert o is not None
    with CaptureQueriesContext(connection) as queries:
        o.save(update_fields=["period_label"])
    assert not any("stats_observationterm" in q["sql"] for q in queries.captured_queries)


def test_deleting_an_observation_deletes_its_terms():
    o = Observation.objects.first()
    assert o is not None
    pk = o.pk
    o.delete()
    assert not ObservationTerm.objects.filter(observation_id=pk).exists()


def test_saves_in_a_deferred_block_are_reindexed_together(monkeypatch: pytest.MonkeyPatch):
    calls: list[set[int]] = []
    original = search.reindex_observations

    def spy(ids=None, using="default"):
        calls.append(set(ids or ()))
        return original(ids, using=using)

    monkeypatch.setattr(search, "reindex_observations", spy)
    first, second = Observation.objects.all()[:2]
    with deferred_reindex():
        for o in (first, second):
            o.note = "延后重建索引"
            o.save()
        assert not ObservationTerm.objects.filter(term="延后").exists()
    assert calls == [{first.pk, second.pk}]
    assert found("延后重建索引") == {first.pk, second.pk}


@pytest.mark.slow
def test_a_load_reindexes_only_what_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, fixtures)
    path = fixtures / "09_observations.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["fields"]["note"] = "载入时改动的备注"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    changed = Observation.objects.get(
        document__slug=rows[0]["fields"]["document"][0],
        figure_start=rows[0]["fields"]["figure_start"],
    )
    calls: list[set[int]] = []
    original = search.reindex_observations

    def spy(ids=None, using="default"):
        calls.append(set(ids or ()))
        return original(ids, using=using)

    monkeypatch.setattr(search, "reindex_observations", spy)
    others = set(ObservationTerm.objects.exclude(observation=changed).values_list("pk", "term"))
    report = load_corpus(fixtures)
    assert report.updated["observation"] == 1
    assert calls == [{changed.pk}]
    assert found("载入时改动的备注") == {changed.pk}
    changed.refresh_from_db()
    assert set(changed.search_terms.values_list("term", flat=True)) == search_terms_of(
        [changed.quote, changed.raw, changed.sub_unit, changed.note]
    )
    # The terms of the other observations are the very same rows.
    assert set(ObservationTerm.objects.exclude(observation=changed).values_list("pk", "term")) == (
        others
    )


def test_the_search_adds_no_query(client: Client):
    client.get(f"{API}/observations/")  # warm whatever the API caches
    counts = []
    for params in ({}, {"q": "小区党支部 集美"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/observations/", {"page_size": 5, **params}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert any("stats_observationterm" in q["sql"] for q in queries.captured_queries)


def _index_names() -> set[str]:
    """The names of the indexes of the term table whose first column is ``term``."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "stats_observationterm")
        names = {
            name
            for name, c in constraints.items()
            if (c["index"] or c["unique"]) and c["columns"][:1] == ["term"]
        }
        if connection.vendor == "sqlite":
            # A unique constraint is enforced by an automatic index named by SQLite.
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                ["stats_observationterm"],
            )
            names |= {row[0] for row in cursor.fetchall()}
    return names


@pytest.mark.parametrize("q", ["党建", "小区党支部", "小区党支部 集美"])
def test_the_search_uses_the_term_index(q: str):
    queryset = matching(Observation.objects.select_related("indicator", "district"), q)
    if connection.vendor == "sqlite":
        plan = queryset.explain()
        lookups = [line for line in plan.splitlines() if "(term=?)" in line]
        assert lookups, plan
        assert all(any(name in line for name in _index_names()) for line in lookups), plan
        # The observations are reached by id (from the index) or by indexed foreign keys,
        # never by scanning the table and matching every quote.
        assert not re.search(r"SCAN (stats_observation|V\d)\b", plan), plan
    elif connection.vendor == "postgresql":
        # The tables are small, so the planner would rather read them whole; forbid sequential
        # scans to see that the index can serve the query.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        assert any(name in plan for name in _index_names()), plan
        # Quotes are matched only on the rows found by id from the index.
        lines = plan.splitlines()
        likes = [i for i, line in enumerate(lines) if "upper(quote)" in line]
        assert likes, plan
        assert all("Index Cond: (id = " in lines[i - 1] for i in likes), plan
    else:  # pragma: no cover
        pytest.skip(f"no plan check for {connection.vendor}")
    assert set(queryset.values_list("pk", flat=True)) == unindexed(q)


def test_reindexing_everything_gives_the_same_index():
    before = set(ObservationTerm.objects.values_list("observation_id", "term"))
    written = reindex_observations()
    assert written == len(before)
    assert set(ObservationTerm.objects.values_list("observation_id", "term")) == before
