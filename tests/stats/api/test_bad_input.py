"""A catalogue of bad input: what clients and attackers send, and what each gets. Every case
answers with its status and an RFC 9457 problem whose detail names the problem; none is a 5xx,
none changes data. docs/api.md lists the same catalogue."""

from __future__ import annotations

import pytest
from django.test import Client

from stats import data_version
from stats.models import Observation

pytestmark = pytest.mark.django_db
API = "/api/v1"
OBS = f"{API}/observations/"

CATALOGUE = [
    # unknown or repeated filter values
    (f"{OBS}?indicator=no_such", 400, "indicator: Select a valid choice. no_such is not one"),
    (f"{OBS}?district=999999", 400, "district: Select a valid choice. 999999 is not one"),
    (f"{OBS}?tier=nope", 400, "tier: Select a valid choice. nope is not one"),
    (f"{OBS}?initiative=nope", 400, "initiative: Select a valid choice. nope is not one"),
    (f"{OBS}?document=nope", 400, "document: Select a valid choice. nope is not one"),
    (f"{OBS}?within=999999", 400, "within: Select a valid choice. That choice is not one"),
    (f"{OBS}?qualifier=roughly", 400, "qualifier: Select a valid choice. roughly is not one"),
    (f"{OBS}?period_kind=decade", 400, "period_kind: Select a valid choice. decade is not one"),
    (f"{OBS}?facets=nope", 400, "facets: unknown facet 'nope'; available: indicator"),
    (f"{OBS}?ordering=nope", 400, "ordering: unknown ordering 'nope'; available: district__code"),
    (f"{OBS}?ordering=-value,value", 400, "ordering: 'value' is named more than once"),
    (f"{OBS}?ordering=,", 400, "ordering: unknown ordering ''"),
    (f"{API}/documents/?ordering=slug", 400, "ordering: unknown parameter(s) 'ordering'; this "),
    (f"{OBS}?latest=maybe", 400, "latest: must be true or false, not 'maybe'"),
    (f"{OBS}?breakdown=sex:woman", 400, "breakdown: unknown sex category 'woman'; known: female"),
    (f"{OBS}?breakdown=colour:red", 400, "breakdown: unknown breakdown dimension 'colour'"),
    (f"{OBS}?statistic=mean", 400, "statistic: Select a valid choice. mean is not one"),
    (f"{OBS}?status=planned", 400, "status: Select a valid choice. planned is not one"),
    (f"{OBS}?rank=best", 400, "rank: Select a valid choice. best is not one"),
    (f"{OBS}?series=false", 400, "series: 'false' is not a series key (measure.place."),
    (f"{OBS}?place_level=town", 400, "place_level: Select a valid choice. town is not one"),
    (f"{API}/panel/", 400, "indicator: This field is required."),
    (f"{API}/panel/?indicator=party_members&mix_levels=2", 400, "mix_levels: must be true"),
    (f"{API}/codelists/?breakdown=maybe", 400, "breakdown: must be true or false, not 'maybe'"),
    (
        f"{API}/indicators/?in_bulletin=maybe",
        400,
        "in_bulletin: must be true or false, not 'maybe'",
    ),
    (f"{API}/indicators/?in_bulletin=50%25", 400, "in_bulletin: must be true or false, not '50%'"),
    # wrong types, malformed dates and decimals, inverted ranges
    (f"{OBS}?value_min=abc", 400, "value_min: Enter a number."),
    (f"{OBS}?value_min=NaN", 400, "value_min: Enter a number."),
    (f"{OBS}?value_max=Infinity", 400, "value_max: Enter a number."),
    (f"{OBS}?value_min=1e999", 400, "value_min: Ensure this value is less than or equal to"),
    (f"{OBS}?value_min=10&value_max=5", 400, "value_max: must not be less than value_min (10)"),
    (f"{OBS}?period_after=2021-13-45", 400, "period_after: must be a date YYYY-MM-DD"),
    (f"{OBS}?period_before=yesterday", 400, "period_before: must be a date YYYY-MM-DD"),
    (f"{OBS}?period_after=2021/01/01", 400, "period_after: must be a date YYYY-MM-DD"),
    # page sizes
    (f"{OBS}?page_size=0", 400, "page_size: must be a whole number from 1 to 1000, not '0'"),
    (f"{OBS}?page_size=-5", 400, "page_size: must be a whole number from 1 to 1000, not '-5'"),
    (f"{OBS}?page_size=1001", 400, "page_size: must be a whole number from 1 to 1000, not '1001'"),
    (f"{OBS}?page_size=" + "9" * 30, 400, "page_size: must be a whole number from 1 to 1000"),
    (f"{OBS}?page_size=ten", 400, "page_size: must be a whole number from 1 to 1000, not 'ten'"),
    # forged and truncated cursors
    (f"{OBS}?cursor=forged", 400, "cursor: invalid cursor: use the next or previous link"),
    (f"{OBS}?cursor=eyJvIjpbImlkIl0sInYiOls", 400, "cursor: invalid cursor"),  # truncated
    (f"{OBS}?cursor=" + "A" * 10_000, 400, "cursor: invalid cursor"),
    # NUL bytes, overlong and hostile strings
    (f"{OBS}?q=%00", 400, "q: Null characters are not allowed."),
    (f"{OBS}?indicator=%00", 400, "indicator: Null characters are not allowed."),
    (f"{OBS}?unit=%00", 400, "unit: Null characters are not allowed."),
    (f"{OBS}?q=" + "党" * 10_000, 400, "q: Ensure this value has at most 200 characters"),
    (f"{OBS}?unit=" + "x" * 10_000, 400, "unit: Ensure this value has at most 32 characters"),
    (f"{OBS}?indicator=" + "x" * 10_000, 400, "indicator: Select a valid choice."),
    # invalid UTF-8 in the query string
    (f"{OBS}?q=%FF%FE", 400, "the query string is not valid UTF-8: byte 0xFF"),
    (f"{API}/districts/?within=%C3", 400, "the query string is not valid UTF-8: byte 0xC3"),
    # unknown versions and paths
    (f"{API[:-1]}9/observations/", 404, "unknown API version in '/api/v9/observations/'"),
    (f"{API}/nothing-here/", 404, "no resource at '/api/v1/nothing-here/'"),
    (f"{OBS}jimei-2021:99999999999999999999/", 404, "Not found."),
    (f"{API}/districts/999999/", 404, "No District matches the given query."),
]


@pytest.mark.parametrize(("path", "status", "detail"), CATALOGUE, ids=lambda v: str(v)[:60])
def test_bad_input_gets_a_problem_naming_it(client: Client, path: str, status: int, detail: str):
    response = client.get(path)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"].startswith(detail), problem["detail"]


@pytest.mark.parametrize(
    "path",
    [
        f"{OBS}?q=%27%3B%20DROP%20TABLE%20stats_observation%3B--",  # SQL metacharacters
        f"{OBS}?q=.*%25_%5B%5C",  # regex and LIKE metacharacters: matched literally
    ],
)
def test_metacharacters_are_text_to_search_for_not_syntax(client: Client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert Observation.objects.count() == 158


def test_search_for_a_percent_sign_finds_the_figures_that_have_one(client: Client):
    results = client.get(OBS, {"q": "%", "page_size": 1000}).json()["results"]
    quotes = [o["source"]["quote"] for o in results]
    assert "其中一线干部数量占提拔总数的86.2%" in quotes
    # % is a character here, not a LIKE wildcard: every match has one, in its quote or names.
    assert all("%" in str(o) for o in results)
    assert len(results) < Observation.objects.count()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", [OBS, f"{OBS}jimei-2021:444/", f"{API}/districts/350211/"])
def test_anonymous_writes_are_refused_and_change_nothing(client: Client, method: str, path: str):
    version = data_version.current_version().number
    response = getattr(client, method)(path, data={"value": "1"}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert data_version.current_version().number == version
    assert Observation.objects.get(document__slug="jimei-2021", figure_start=444).value == 16000


def test_an_unsupported_accept_is_406_listing_what_is_offered(client: Client):
    response = client.get(OBS, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["detail"] == (
        "Accept 'application/xml' cannot be served here; available: application/json "
        "(format=json), text/csv (format=csv), application/vnd.sdmx.data+csv "
        "(format=sdmx-csv), application/vnd.sdmx.data+json (format=sdmx-json)"
    )
