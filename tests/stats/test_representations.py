"""Stored representations (stats.representations): a page of observations is read from bytes
rendered when the data changed, so they must always be what a fresh render gives, whatever
changed: the observation, a name it shows, a claim rank set by another figure, or the code."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.test import Client

from stats.api.v1.serializers import ObservationSerializer
from stats.models import District, Indicator, Observation, RenderedObservation
from stats.representations import COLUMNS, FORMAT, differing, render, stale
from tests.stats.restatements import restate_jimei_members

pytestmark = pytest.mark.django_db

API = "/api/v1/observations"


def stored(observation_id: str) -> dict:
    slug, _, offset = observation_id.partition(":")
    body = RenderedObservation.objects.get(
        observation__document__slug=slug, observation__figure_start=int(offset)
    ).body
    return orjson.loads(bytes(body))


def fresh_page(client: Client, query: str) -> bytes:
    for alias in ("default", "responses"):
        caches[alias].clear()
    response = client.get(f"{API}/?{query}")
    assert response.status_code == 200
    return response.content


def test_every_observation_is_stored_as_the_serializer_renders_it():
    assert RenderedObservation.objects.count() == Observation.objects.count() == 158
    assert set(RenderedObservation.objects.values_list("format", flat=True)) == {FORMAT}
    assert differing() == []
    row = Observation.objects.filter(document__slug="jimei-2021", figure_start=444).values(*COLUMNS)
    assert stored("jimei-2021:444") == ObservationSerializer(row.get()).data
    assert stored("jimei-2021:444")["value"] == "16000"
    assert stored("jimei-2021:444")["raw"] == "1.6万名"


@pytest.mark.parametrize(
    "query",
    [
        "page_size=1000",
        "indicator=party_members&ordering=-value",
        "latest=true&place_level=district",
        "q=党员&facets=indicator",
    ],
)
def test_a_page_has_the_same_bytes_stored_or_rendered_afresh(client: Client, query: str):
    from_stored = fresh_page(client, query)
    RenderedObservation.objects.all().delete()
    assert fresh_page(client, query) == from_stored
    assert len(orjson.loads(from_stored)["results"]) > 0


def test_a_detail_has_the_same_bytes_stored_or_rendered_afresh(client: Client):
    for alias in ("default", "responses"):
        caches[alias].clear()
    from_stored = client.get(f"{API}/jimei-2021:444/").content
    RenderedObservation.objects.all().delete()
    caches["responses"].clear()
    assert client.get(f"{API}/jimei-2021:444/").content == from_stored
    assert orjson.loads(from_stored)["value"] == "16000"


def test_renaming_a_measure_renders_its_observations_again(client: Client):
    indicator = Indicator.objects.get(code="party_members")
    indicator.name_en = "Members of the Party"
    indicator.save()
    assert stored("jimei-2021:444")["indicator"]["name_en"] == "Members of the Party"
    page = orjson.loads(fresh_page(client, "indicator=party_members"))
    assert {o["indicator"]["name_en"] for o in page["results"]} == {"Members of the Party"}
    assert differing() == []


def test_renaming_a_place_renders_its_observations_and_its_childrens_again():
    jimei = District.objects.get(code="350211")
    jimei.name_en = "Jimei District"
    jimei.save()
    assert stored("jimei-2021:444")["district"]["name_en"] == "Jimei District"
    xiamen = District.objects.get(code="350200")
    xiamen.code = "350299"  # a parent's code shows in its children's observations
    xiamen.save()
    assert stored("jimei-2021:444")["district"]["parent"] == "350299"
    assert differing() == []


def _restatement(slug: str, published: date, value: int) -> Observation:
    """A later, exact restatement of Jimei's 2020 membership: it becomes the preferred claim."""
    return restate_jimei_members(slug, published, f"{value}名", "exact", value)


def test_a_rank_another_figure_changed_is_in_the_stored_representation():
    assert stored("jimei-2021:444")["rank"] == "preferred"
    _restatement("jimei-restated-2023", date(2023, 7, 1), 16012)
    # jimei-2021:444 was not saved: the series refresh changed its rank by update().
    assert stored("jimei-2021:444")["rank"] == "normal"
    assert stored("jimei-2021:444")["rank_reason"].startswith("jimei-restated-2023 is preferred")
    assert stored("jimei-restated-2023:8")["rank"] == "preferred"
    assert differing() == []


def test_a_deleted_observation_takes_its_stored_representation_with_it():
    Observation.objects.get(document__slug="jimei-2021", figure_start=444).delete()
    assert RenderedObservation.objects.count() == 157
    assert differing() == []


def test_a_body_rendered_by_other_code_is_never_served_and_the_command_renders_it(
    client: Client,
):
    observation = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
    RenderedObservation.objects.filter(observation=observation).update(
        format="an-old-release", body=b'{"value":"1"}'
    )
    assert stale() == [observation.pk]
    caches["responses"].clear()
    assert client.get(f"{API}/jimei-2021:444/").json()["value"] == "16000"
    page = orjson.loads(fresh_page(client, "indicator=party_members&district=350211"))
    assert "16000" in {o["value"] for o in page["results"]}
    with pytest.raises(CommandError, match=r"1 stored representations differ"):
        call_command("refresh_representations", "--check")
    call_command("refresh_representations", "--stale")
    assert stale() == []
    assert differing() == []
    assert stored("jimei-2021:444") == orjson.loads(
        render(Observation.objects.filter(pk=observation.pk).values(*COLUMNS).get())
    )
