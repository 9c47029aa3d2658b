"""The filters of the lists users narrow beyond observations: documents by place and
publication window, initiatives by kind and place."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
API = "/api/v1"


def codes(client: Client, path: str, key: str, **params: str) -> list[str]:
    response = client.get(f"{API}{path}", {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["results"]]


def test_documents_about_xiamen_and_the_districts_below_it():
    client = Client()
    assert codes(client, "/documents/", "id", within="350200") == [
        "haicang-2022",
        "huli-2021",
        "jimei-2021",
        "xiamen-2024",
    ]
    assert codes(client, "/documents/", "id", place="350100") == ["fuzhou-2021"]
    assert codes(client, "/documents/", "id", place="350211", within="350100") == []


def test_documents_by_the_window_they_can_have_appeared_in():
    client = Client()
    # haicang-2022 appeared between 2022-10-16 and 2023-12-31, xiamen-2024 in 2024.
    assert codes(client, "/documents/", "id", published_after="2022-01-01") == [
        "haicang-2022",
        "xiamen-2024",
    ]
    # fuzhou-2021 appeared on 2021-07-08; jimei and huli some time in 2021.
    assert codes(client, "/documents/", "id", published_before="2021-06-30") == [
        "huli-2021",
        "jimei-2021",
    ]
    assert codes(
        client,
        "/documents/",
        "id",
        published_after="2021-07-08",
        published_before="2021-07-08",
    ) == ["fuzhou-2021", "huli-2021", "jimei-2021"]


def test_a_bad_document_filter_is_a_400_naming_it():
    client = Client()
    response = client.get(f"{API}/documents/", {"published_after": "2021-13-01"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"published_after": ["must be a date YYYY-MM-DD"]}
    response = client.get(f"{API}/documents/", {"place": "999999"})
    assert response.status_code == 400
    assert "999999" in response.json()["errors"]["place"][0]


def test_initiatives_by_kind_and_place():
    client = Client()
    assert codes(client, "/initiatives/", "code", kind="method") == [
        "dangjian-jia-xiangmu",
        "wushi-gongzuofa",
    ]
    # 红色物业 runs in 350103, 350104 and 350206: named twice, listed once.
    assert codes(client, "/initiatives/", "code", district=["350103", "350104"]) == [
        "hongse-wuye",
        "hongse-yeweihui",
        "wushi-gongzuofa",
    ]
    assert codes(client, "/initiatives/", "code", kind="brand", district="350206") == [
        "hongse-wuye",
        "hongse-yeweihui",
    ]
    response = client.get(f"{API}/initiatives/", {"kind": "festival"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_a_request_copies_only_the_filters_it_names_and_the_required_ones():
    from django.http import QueryDict

    from stats.api.v1.filters import ObservationFilterSet, PanelFilterSet

    named = ObservationFilterSet(QueryDict("indicator=party_members&period_after=2021-01-01"))
    assert set(named.filters) == {"indicator", "period_after"}
    assert set(named.form.fields) == {"indicator", "period_after"}
    assert named.is_valid()
    panel = PanelFilterSet(QueryDict("place_level=district&page_size=10"))
    assert set(panel.filters) == {"indicator", "place_level"}
    assert not panel.is_valid()
    assert panel.errors == {"indicator": ["This field is required."]}
    assert len(ObservationFilterSet().filters) == len(ObservationFilterSet.base_filters)
