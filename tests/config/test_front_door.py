"""The front door (/): what the service is, in Chinese and English, with its links."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINKS = {
    "link-api": "/api/v1/",
    "link-swagger": "/api/v1/docs/",
    "link-redoc": "/api/v1/redoc/",
    "link-schema": "/api/v1/schema/",
    "link-downloads": "/api/v1/downloads/",
    "link-admin": "/admin/",
}


@pytest.fixture
def client() -> Client:
    """Over HTTPS: with DJANGO_DEBUG off (as in CI) plain HTTP is redirected to it."""
    return HttpsClient()


class HttpsClient(Client):
    def generic(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def test_the_front_door_is_a_page_not_a_404(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert client.head("/").status_code == 200


def test_the_front_door_links_the_api_its_docs_the_downloads_and_admin(
    client: Client, settings, tmp_path
) -> None:
    settings.DOWNLOADS_DIR = tmp_path  # following the downloads link builds them
    html = client.get("/").content.decode()
    found = dict(re.findall(r'<a id="([\w-]+)" href="([^"]+)"', html))
    assert found == LINKS
    for path in LINKS.values():  # every link answers (admin: with its login page)
        response = client.get(path, follow=True)
        assert response.status_code == 200, path


def test_the_front_door_speaks_chinese_and_english_and_states_the_promise(
    client: Client,
) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<h1>福建基层党建统计<span lang="en">Fujian grassroots party-building statistics' in html
    assert "在 v1 之内，字段及其含义只增不改" in html
    assert "被取代的指标代码继续有效，作为已弃用的别名指向新代码" in html
    assert "keys and their meanings are only ever added, never renamed or removed" in html
    assert "Codes that disappear keep resolving as deprecated" in html
    assert (
        "curl 'https://testserver/api/v1/observations/?indicator=party_members&amp;latest=true'"
        in html
    )


def test_the_front_door_takes_no_writes(client: Client) -> None:
    assert client.post("/").status_code == 405
