"""The schema's examples are real: each equals what the API answers for it now."""

from __future__ import annotations

import pytest
from django.test import Client

from stats.api.v1 import examples

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_observation_example_is_the_live_observation(client: Client):
    assert client.get(f"{API}/observations/jimei-2021:444/").json() == (
        examples.OBSERVATION_JIMEI_MEMBERS
    )


def test_observation_page_example_is_the_live_page(client: Client):
    response = client.get(
        f"{API}/observations/",
        {"indicator": "party_members", "district": "350211", "facets": "qualifier"},
    )
    assert response.json() == examples.OBSERVATION_PAGE_EXAMPLE.value


def test_district_example_is_the_live_district(client: Client):
    assert client.get(f"{API}/districts/350211/").json() == examples.DISTRICT_JIMEI


def test_series_example_is_the_live_list(client: Client):
    response = client.get(f"{API}/series/", {"indicator": "school_places_added", "status": "any"})
    assert response.json() == examples.SERIES_SCHOOL_PLACES
    targets = client.get(
        f"{API}/series/", {"indicator": "school_places_added", "status": "target"}
    ).json()
    assert targets["results"] == [examples.SERIES_PAGE_EXAMPLE.value]


def test_panel_example_is_the_live_panel(client: Client):
    response = client.get(
        f"{API}/panel/", {"indicator": "grassroots_party_organisations", "place_level": "district"}
    )
    assert response.json() == examples.PANEL_ORGANISATIONS
