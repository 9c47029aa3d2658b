"""verify_corpus: the loaded corpus keeps every invariant, and each kind of damage is named."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stats.integrity import verify_corpus
from stats.models import (
    DataVersion,
    InitiativeMention,
    Observation,
    ObservationTerm,
    SourceDocument,
    TierChain,
    TierChainLink,
)

pytestmark = pytest.mark.django_db


def _jimei_members() -> Observation:
    return Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")


def _messages(check: str) -> list[str]:
    return [f"{p.row}: {p.message}" for p in verify_corpus().problems if p.check == check]


def test_the_loaded_corpus_keeps_every_invariant(capsys):
    report = verify_corpus()
    assert [str(p) for p in report.problems] == []
    assert report.checked["observations"] == Observation.objects.count() == 158
    assert report.checked["tier chains"] == TierChain.objects.count()
    assert report.checked["tier chain links"] == TierChainLink.objects.count()
    assert report.checked["initiative mentions"] == InitiativeMention.objects.count()
    assert report.checked["documents"] == SourceDocument.objects.count() == 5
    call_command("verify_corpus")
    assert capsys.readouterr().out.startswith("corpus verified: 158 observations, ")


def test_a_quote_that_is_not_the_text_is_named():
    Observation.objects.filter(pk=_jimei_members().pk).update(quote="全区1.7万名党员")
    assert _messages("quote") == [
        "observation jimei-2021:"
        f"{_jimei_members().figure_start}: quote '全区1.7万名党员' is not the text at "
        f"{_jimei_members().start}–{_jimei_members().end}: '全区1.6万名党员'"
    ]


def test_a_value_edited_away_from_its_words_is_named():
    # Value and bounds changed together (the database refuses a value outside its bounds):
    # the shape is right for "exact", but 1.6万名 is 16000.
    member = _jimei_members()
    sixteen_thousand_and_one = Decimal(16001)
    Observation.objects.filter(pk=member.pk).update(
        value=sixteen_thousand_and_one,
        lower_bound=sixteen_thousand_and_one,
        upper_bound=sixteen_thousand_and_one,
    )
    assert _messages("bounds") == []
    row = f"observation jimei-2021:{member.figure_start}"
    assert _messages("reading") == [
        f"{row}: value is Decimal('16001.0000'), but '1.6万名' reads Decimal('16000')",
        f"{row}: lower_bound is Decimal('16001.0000'), but '1.6万名' reads Decimal('16000')",
        f"{row}: upper_bound is Decimal('16001.0000'), but '1.6万名' reads Decimal('16000')",
    ]


def test_bounds_that_do_not_fit_the_qualifier_are_named():
    more_than = Observation.objects.get(document__slug="jimei-2021", raw="1100余个")
    Observation.objects.filter(pk=more_than.pk).update(upper_bound=None, upper_inclusive=None)
    row = f"observation jimei-2021:{more_than.figure_start}"
    assert _messages("bounds") == [
        f"{row}: has no upper bound, or does not say whether it is included"
    ]
    assert _messages("reading") == [
        f"{row}: upper_bound is None, but '1100余个' reads Decimal('1200')",
        f"{row}: upper_inclusive is None, but '1100余个' reads False",
    ]


def test_a_reference_to_nothing_is_named():
    # Foreign keys are checked when the transaction commits (deferred on SQLite and
    # PostgreSQL); this test's transaction never does, so the dangling key stays to be found.
    # The test puts the key back before its end, where Django checks deferred constraints.
    member = _jimei_members()
    Observation.objects.filter(pk=member.pk).update(tier_id=987654)
    try:
        assert _messages("reference") == [
            "stats.Observation tier: 987654 names no stats.OrganisationTier"
        ]
    finally:
        Observation.objects.filter(pk=member.pk).update(tier_id=member.tier_id)


def test_a_stale_search_index_is_named():
    member = _jimei_members()
    ObservationTerm.objects.filter(observation=member, term="党员").delete()
    assert _messages("search index") == [
        f"observation jimei-2021:{member.figure_start}: terms missing ['党员'], terms not in its "
        "text []: run stats.search.reindex_observations"
    ]


def test_a_data_version_older_than_the_last_change_is_named():
    DataVersion.objects.filter(pk=1).update(
        changed_at=DataVersion.objects.get().changed_at - timedelta(days=1)
    )
    problems = _messages("data version")
    # Every model with a history was loaded after that.
    assert [p.split(" changed at ")[0] for p in problems] == [
        f"data version 1: {name}"
        for name in (
            "District",
            "OrganisationTier",
            "SourceDocument",
            "Indicator",
            "Initiative",
            "TierChain",
            "TierChainLink",
            "Observation",
        )
    ]
    assert all(p.endswith("responses would be served stale") for p in problems)
    DataVersion.objects.all().delete()
    assert _messages("data version") == ["DataVersion: there is a corpus but no data version"]


def test_the_command_fails_listing_every_problem():
    Observation.objects.filter(pk=_jimei_members().pk).update(quote="全区1.7万名党员")
    with pytest.raises(CommandError) as failure:
        call_command("verify_corpus")
    message = str(failure.value)
    # The quote is wrong, the search index no longer holds its terms, and the stored
    # representation still shows the old quote (update() sends no signal).
    assert message.startswith("3 problem(s) in the corpus (checked 158 observations, ")
    lines = message.splitlines()[1:]
    assert [line.split(": ")[0] for line in lines] == ["quote", "search index", "representations"]
    assert "quote '全区1.7万名党员' is not the text at" in lines[0]
    assert "terms missing ['.7', '7万']" in lines[1]
    assert "run refresh_representations" in lines[2]


def test_a_stale_stored_representation_is_named_and_refresh_representations_mends_it():
    member = _jimei_members()
    Observation.objects.filter(pk=member.pk).update(note="edited by raw SQL")
    assert _messages("representations") == [
        f"observation {member.pk}: its stored representation is missing or differs from a "
        "fresh render: run refresh_representations"
    ]
    call_command("refresh_representations")
    assert _messages("representations") == []


def test_a_stale_series_key_or_table_is_reported_and_refresh_series_mends_the_table():
    from stats.models import Series

    Observation.objects.filter(document__slug="jimei-2021", figure_start=444).update(
        series="party_members.350211._T._T.level.actual._Z.wrong"
    )
    Series.objects.filter(key="school_places_added.350206._T._T.level.target._Z._Z").delete()
    problems = [str(p) for p in verify_corpus().problems]
    assert problems[0] == (
        "series: observation jimei-2021:444: key "
        "'party_members.350211._T._T.level.actual._Z.wrong', not "
        "'party_members.350211._T._T.level.actual._Z._Z'"
    )
    assert problems[1].startswith("series: Series: the series table differs from the observations")
    # The raw write left the stored representation showing the old key.
    assert problems[2].startswith("representations: observation ")
    assert len(problems) == 3

    Observation.objects.get(document__slug="jimei-2021", figure_start=444).save()
    call_command("refresh_series")
    assert verify_corpus().ok
