"""The front door (/) in a real browser: both languages shown, every link followed to a page
that answers, and nothing asked of any other host."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test.utils import override_settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Traffic


@pytest.fixture(autouse=True)
def _downloads_elsewhere(tmp_path: Path) -> Iterator[None]:
    """The downloads the page links to are built in this test's own directory."""
    with override_settings(DOWNLOADS_DIR=tmp_path):
        yield


def test_the_front_door_says_what_the_service_is_in_chinese_and_english(
    page: Page, traffic: Traffic, shot: Callable[..., Path]
) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    expect(page).to_have_title("福建基层党建统计 · Fujian grassroots party-building statistics")
    expect(page.locator("h1")).to_contain_text("福建基层党建统计")
    expect(page.locator("h1 [lang=en]")).to_have_text("Fujian grassroots party-building statistics")
    expect(page.locator("#promise-zh")).to_contain_text("在 v1 之内，字段及其含义只增不改")
    expect(page.locator("#promise-en")).to_contain_text(
        "keys and their meanings are only ever added, never renamed or removed"
    )
    expect(page.locator("#promise-en")).to_contain_text(
        "Codes that disappear keep resolving as deprecated aliases"
    )
    assert traffic.off_server() == [] and traffic.blocked == []
    shot("20-front-door")


@pytest.mark.parametrize(
    ("link", "path", "shows"),
    [
        ("#link-api", "/api/v1/", '"observations"'),
        ("#link-downloads", "/api/v1/downloads/", '"data_version"'),
        ("#link-swagger", "/api/v1/docs/", "Fujian grassroots party-building statistics API"),
        ("#link-redoc", "/api/v1/redoc/", "Fujian grassroots party-building statistics API"),
        ("#link-admin", "/admin/login/", "福建基层党建统计"),
    ],
)
def test_each_link_of_the_front_door_opens_its_page(
    page: Page, traffic: Traffic, link: str, path: str, shows: str
) -> None:
    page.goto("/")
    with page.expect_navigation() as navigation:
        page.locator(link).click()
    response = navigation.value
    assert response is not None and response.status == 200
    assert page.url.split("?")[0].endswith(path)
    expect(page.locator("body")).to_contain_text(shows.strip('"'))
    assert traffic.blocked == []
