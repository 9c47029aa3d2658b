"""A few whole responses, saved as JSON files and compared exactly: any change to the v1
contract (a key renamed, a value formatted differently, an order changed) shows up here.

After an intended change, rewrite them with SAVE_RESPONSES=1 and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
SAVED = Path(__file__).parent / "saved"

REQUESTS = {
    "observation-jimei-members": "/api/v1/observations/jimei-2021:444/",
    "observations-more-than-in-huli": (
        "/api/v1/observations/?qualifier=more_than&district=350206"
        "&facets=indicator&ordering=-value&page_size=3"
    ),
    "observations-xiaoqu-branches-latest": (
        "/api/v1/observations/?tier=residential_compound_branch&latest=true"
    ),
    "district-xiamen": "/api/v1/districts/350200/",
    "tier-chain-jimei": "/api/v1/tier-chains/jimei-2021:754/",
    "indicator-party-members": "/api/v1/indicators/party_members/",
    "series-huli-members": "/api/v1/series/party_members.350206._T._T.level.actual._Z._Z/",
    "series-school-places-any-status": ("/api/v1/series/?indicator=school_places_added&status=any"),
    "panel-grassroots-organisations-districts": (
        "/api/v1/panel/?indicator=grassroots_party_organisations&place_level=district"
    ),
    "codelist-sex": "/api/v1/codelists/sex/",
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_saved_response(client: Client, name: str):
    response = client.get(REQUESTS[name])
    assert response.status_code == 200, response.content
    body = response.json()
    path = SAVED / f"{name}.json"
    if os.environ.get("SAVE_RESPONSES") == "1":
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
    assert body == json.loads(path.read_text(encoding="utf-8")), (
        f"{REQUESTS[name]} answers differently from {path.name}"
    )
