"""The loaded corpus is traceable to the texts and reloads without change."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from stats.extraction.fixtures import FIXTURE_FILES
from stats.extraction.reading import without_layout_space
from stats.loading import load_corpus
from stats.models import (
    District,
    Indicator,
    InitiativeMention,
    Observation,
    SourceDocument,
    TierChain,
    TierChainLink,
)

pytestmark = pytest.mark.django_db


def test_every_observation_quote_equals_its_document_text_at_its_offsets():
    observations = list(Observation.objects.select_related("document"))
    assert len(observations) > 150
    for o in observations:
        assert o.document.text[o.start : o.end] == o.quote, (o.document.slug, o.start)
        assert o.start <= o.figure_start < o.figure_end <= o.end
        written = o.document.text[o.figure_start : o.figure_end]
        assert without_layout_space(written) == o.raw


def test_every_tier_chain_and_mention_quote_equals_the_text():
    for chain in TierChain.objects.select_related("document"):
        assert chain.document.text[chain.start : chain.end] == chain.quote
    for link in TierChainLink.objects.select_related("chain__document"):
        assert link.chain.document.text[link.start : link.end] == link.words
    for mention in InitiativeMention.objects.select_related("document"):
        assert mention.document.text[mention.start : mention.end] == mention.quote


def test_documents_keep_the_sha256_of_the_seed_bytes():
    for document in SourceDocument.objects.all():
        path = settings.SEEDS_DIR / f"{document.slug}.txt"
        assert path.read_bytes().decode("utf-8") == document.text
        import hashlib

        assert hashlib.sha256(path.read_bytes()).hexdigest() == document.sha256


def test_jimei_party_members_read_from_one_point_six_wan():
    o = Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")
    assert o.quote == "全区1.6万名党员"
    assert (o.indicator.code, o.district.code) == ("party_members", "350211")
    assert (o.value, o.qualifier, o.unit) == (Decimal(16000), "exact", "person")
    assert (o.mantissa, o.scale, o.scale_power) == ("1.6", "万", 4)
    assert o.period_label == "去年"
    assert (o.period_start.isoformat(), o.period_end.isoformat()) == ("2020-01-01", "2020-12-31")


def test_jimei_more_than_bounded_organisations_have_conventional_upper_bound():
    o = Observation.objects.get(document__slug="jimei-2021", raw="1100余个")
    assert o.indicator.code == "grassroots_party_organisations"
    assert (o.value, o.lower_bound, o.lower_inclusive) == (Decimal(1100), Decimal(1100), False)
    assert (o.upper_bound, o.upper_inclusive, o.upper_by_convention) == (Decimal(1200), False, True)
    assert o.qualifier == "more_than_bounded"


def test_huli_and_taijiang_compound_branches_share_one_indicator():
    huli = Observation.objects.get(document__slug="huli-2021", raw="386个")
    taijiang = Observation.objects.get(document__slug="fuzhou-2021", raw="304个")
    assert huli.indicator_id == taijiang.indicator_id
    assert huli.indicator.code == "residential_compound_party_branches"
    assert (huli.district.code, taijiang.district.code) == ("350206", "350103")
    assert (huli.value, taijiang.value) == (Decimal(386), Decimal(304))


def test_xiamen_layout_broken_figure_is_one_observation():
    o = Observation.objects.get(document__slug="xiamen-2024", raw="30余名")
    assert o.document.text[o.figure_start : o.figure_end] == "30余\n名"
    assert (o.value, o.upper_bound, o.unit) == (Decimal(30), Decimal(40), "person")


def test_more_than_figures_have_only_a_lower_bound():
    o = Observation.objects.get(document__slug="jimei-2021", raw="超1300人次")
    assert (o.value, o.lower_bound, o.lower_inclusive, o.upper_bound) == (
        Decimal(1300),
        Decimal(1300),
        False,
        None,
    )
    assert o.unit == "person_time"


def test_haicang_repeated_layout_yields_no_duplicate_observations():
    # The layout prints some sentences twice: each figure is read once, at its first printing.
    figures = list(
        Observation.objects.filter(document__slug="haicang-2022").values_list(
            "quote", "raw", "indicator__code"
        )
    )
    assert len(figures) == len(set(figures)) == 14


def test_tier_chains_keep_their_words_in_order():
    chain = TierChain.objects.get(quote="区委—街道大党工委—社区大党委—小区党支部")
    words = list(chain.links.order_by("position").values_list("words", "tier__code"))
    assert words == [
        ("区委", "district_committee"),
        ("街道大党工委", "subdistrict_working_committee"),
        ("社区大党委", "community_party_organisation"),
        ("小区党支部", "residential_compound_branch"),
    ]
    taijiang = TierChain.objects.get(district__code="350103")
    assert taijiang.links.count() == 6


def test_high_tech_zone_codes_cannot_clash_with_gb_codes():
    zones = District.objects.filter(level="development_zone")
    assert sorted(zones.values_list("code", flat=True)) == ["350100-HTZ", "350200-HTZ"]
    assert all(not code.isdigit() for code in zones.values_list("code", flat=True))
    assert District.objects.get(code="350200-HTZ").parent.code == "350200"


def test_second_load_changes_nothing_and_writes_no_history():
    history_before = Observation.history.count()
    report = load_corpus(settings.FIXTURES_DIR)
    fixture_rows = sum(
        len(json.loads(path.read_text(encoding="utf-8")))
        for path in settings.FIXTURES_DIR.glob("*.json")
    )
    assert report.changed == 0
    assert sum(report.unchanged.values()) == fixture_rows
    assert report.unchanged["observation"] == Observation.objects.count()
    assert Observation.history.count() == history_before


def _every_row() -> dict[str, list[dict[str, object]]]:
    """Every row of every table of the app: the corpus, its history, the search index and the
    data version."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_app_config("stats").get_models()
    }


@pytest.mark.parametrize("failing_file", FIXTURE_FILES)
def test_load_failing_halfway_leaves_the_database_exactly_as_it_was(
    tmp_path: Path, failing_file: str
):
    """Every file is changed, so each one loaded before the failure has written rows (and
    history, and search terms); the failure comes after ``failing_file``."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, fixtures)
    changes = {
        "01_districts.json": ("集美区", "集美新区"),
        "02_tiers.json": ('"municipal party committee"', '"municipal committee (changed)"'),
        "03_documents.json": ('"title_en": "Holding', '"title_en": "Changed: Holding'),
        "04_indicators.json": ('"党员人数"', '"党员数量"'),
        "05_initiatives.json": ('"name_en": "Stay True', '"name_en": "Changed: Stay True'),
        "06_initiative_mentions.json": ('"quote": "楼宇党代表"', '"quote": "楼宇党代表（改）"'),
        "07_tier_chains.json": ('"label": "Taijiang', '"label": "Changed: Taijiang'),
        "08_tier_chain_links.json": ('"words": "街道党工委"', '"words": "街道党工委（改）"'),
        "09_observations.json": ('"note": ""', '"note": "改"'),
    }
    for name, (old, new) in changes.items():
        path = fixtures / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    before = _every_row()
    loaded: list[str] = []

    def fail_after(name: str) -> None:
        loaded.append(name)
        if name == failing_file:
            raise RuntimeError(f"simulated crash after {name}")

    with pytest.raises(RuntimeError, match="simulated crash"):
        load_corpus(fixtures, after_each_file=fail_after)
    assert loaded == list(FIXTURE_FILES[: FIXTURE_FILES.index(failing_file) + 1])
    assert _every_row() == before


def test_a_changed_fixture_updates_only_that_row_and_records_history(tmp_path: Path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, fixtures)
    indicators = fixtures / "04_indicators.json"
    indicators.write_text(
        indicators.read_text(encoding="utf-8").replace('"党员人数"', '"党员数量"'), encoding="utf-8"
    )
    report = load_corpus(fixtures)
    assert report.changed == 1
    assert report.updated["indicator"] == 1
    indicator = Indicator.objects.get(code="party_members")
    assert indicator.name_zh == "党员数量"
    assert indicator.history.first().history_change_reason == "load_corpus"
