"""The observation serializer builds its representation directly for speed; it must be exactly
what its declared fields would give, for every observation of the corpus and for edge values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework import serializers as drf

from stats.api.v1.serializers import ObservationSerializer
from stats.models import Observation

pytestmark = pytest.mark.django_db


def declared(observation: Observation) -> dict:
    """DRF's field-by-field representation, which the fast one replaces."""
    return drf.ModelSerializer.to_representation(ObservationSerializer(), observation)


def row(observation: Observation) -> dict:
    """The row the views fetch for ``observation``, with its fields as they are in memory."""
    values = Observation.objects.filter(pk=observation.pk).values(*ObservationSerializer.columns)
    fetched = dict(values.get())
    for name in fetched:
        if "__" not in name:
            fetched[name] = getattr(observation, name)
    return fetched


def test_every_observation_is_represented_as_its_declared_fields():
    observations = Observation.objects.select_related(
        "indicator", "district", "tier", "initiative", "document"
    )
    compared = 0
    for observation in observations:
        fast = ObservationSerializer(row(observation)).data
        assert fast == declared(observation), observation.pk
        assert list(fast) == list(declared(observation))  # the same key order
        compared += 1
    assert compared == Observation.objects.count() == 158


def test_jimei_party_members_in_full():
    observation = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
    data = ObservationSerializer(row(observation)).data
    assert data["id"] == "jimei-2021:444"
    assert (data["raw"], data["value"], data["qualifier"]) == ("1.6万名", "16000", "exact")
    assert (
        data["source"]["quote"]
        == observation.document.text[data["source"]["start"] : data["source"]["end"]]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("16000.0000"), "16000"),
        (Decimal("95.3000"), "95.3"),
        (Decimal("0.0050"), "0.005"),
        (Decimal("1000000000000.0000"), "1000000000000"),
        (None, None),
    ],
)
def test_quantities_render_as_the_declared_decimal_field(value, expected):
    observation = Observation.objects.select_related(
        "indicator", "district", "tier", "initiative", "document"
    ).get(document__slug="jimei-2021", figure_start=444)
    observation.value = observation.upper_bound = value
    observation.period_start, observation.period_end = date(2021, 1, 1), None
    fast = ObservationSerializer(
        {**row(observation), "tier__code": None, "initiative__code": None}
    ).data
    observation.tier = observation.initiative = None
    assert fast["value"] == fast["upper_bound"] == expected
    assert fast == declared(observation)


def test_every_series_is_represented_as_its_declared_fields():
    """SeriesSerializer builds its representation directly, from a series or from the row a
    list reads (SERIES_COLUMNS); DRF's nested fields declare it."""
    from stats.api.v1.serializers import SERIES_COLUMNS, SeriesSerializer
    from stats.models import Series

    series = Series.objects.select_related(
        "indicator", "district__parent", "tier", "initiative", "latest__document"
    )
    rows = {row["key"]: row for row in Series.objects.values(*SERIES_COLUMNS)}
    compared = with_tier = 0
    for one in series:
        fast = SeriesSerializer(one).data
        slow = drf.ModelSerializer.to_representation(SeriesSerializer(), one)
        assert fast == slow, one.key
        assert SeriesSerializer(rows[one.key]).data == slow, one.key
        assert list(fast) == list(slow)
        assert list(fast["latest"]) == list(slow["latest"])
        compared += 1
        with_tier += one.tier_id is not None
    assert compared == Series.objects.count() == 153
    assert with_tier > 0
    jimei = SeriesSerializer(series.get(key="party_members.350211._T._T.level.actual._Z._Z")).data
    assert jimei["latest"]["value"] == "16000"
    assert jimei["district"]["parent"] == "350200"


def test_every_place_is_represented_as_its_declared_fields():
    """PlaceSerializer reads its fields directly (a panel has a place per row)."""
    from stats.api.v1.serializers import PlaceSerializer
    from stats.models import District

    compared = without_parent = 0
    for place in District.objects.select_related("parent"):
        fast = PlaceSerializer(place).data
        assert fast == drf.ModelSerializer.to_representation(PlaceSerializer(), place), place.code
        compared += 1
        without_parent += fast["parent"] is None
    assert compared == District.objects.count() > 3000
    assert without_parent == District.objects.filter(parent__isnull=True).count() >= 1
