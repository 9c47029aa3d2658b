"""The API documentation pages render in a real browser, from the app's own static files.

Swagger UI (/api/v1/docs/) and ReDoc (/api/v1/redoc/) come from drf-spectacular-sidecar's
assets under /static/; each must show every operation of the committed schema
(schema/openapi-v1.yaml) and must not ask any other host than the app for anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Page, expect

from tests.e2e.conftest import REPO, Traffic

SCHEMA = REPO / "schema" / "openapi-v1.yaml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class Operation(NamedTuple):
    method: str
    path: str
    summary: str
    operation_id: str


def committed_operations() -> list[Operation]:
    """Every operation in the committed schema (14 when this was written)."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    return [
        Operation(method.upper(), path, operation["summary"], operation["operationId"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_swagger_ui_shows_every_operation_from_local_assets(
    page: Page, traffic: Traffic, shot: Callable[..., Path]
) -> None:
    operations = committed_operations()
    assert (
        "GET",
        "/api/v1/observations/",
        "List observations (figures), filtered and ordered",
        "observations_list",
    ) in operations

    response = page.goto("/api/v1/docs/")
    assert response is not None and response.status == 200
    blocks = page.locator("#swagger-ui .opblock")
    expect(blocks).to_have_count(len(operations))
    expect(page.locator("#swagger-ui .info .title")).to_contain_text(
        "Fujian grassroots party-building statistics API"
    )

    shown = [
        (
            block.locator(".opblock-summary-method").inner_text().strip(),
            block.locator(".opblock-summary-path").get_attribute("data-path"),
            block.locator(".opblock-summary-description").inner_text().strip(),
        )
        for block in blocks.all()
    ]
    assert sorted(shown) == sorted(op[:3] for op in operations)
    observations = page.locator(".opblock", has=page.locator("[data-path='/api/v1/observations/']"))
    expect(observations).to_have_count(1)
    expect(observations).to_contain_text("List observations (figures), filtered and ordered")

    # The page's script, styles and the schema all came from the live server.
    assert traffic.status_of(r"^/static/drf_spectacular_sidecar/swagger-ui-dist/.+\.js$")
    assert traffic.status_of(r"^/static/drf_spectacular_sidecar/swagger-ui-dist/.+\.css$") == [200]
    assert traffic.status_of(r"^/api/v1/schema/$") == [200]
    assert all(
        status == 200 for status in traffic.status_of(r"^/static/drf_spectacular_sidecar/")
    ), traffic.responses
    assert traffic.off_server() == [], traffic.off_server()
    assert traffic.blocked == []
    shot("10-swagger-ui")


def open_redoc(page: Page, traffic: Traffic) -> None:
    response = page.goto("/api/v1/redoc/")
    assert response is not None and response.status == 200
    # ReDoc gives each operation a section of its own, and an entry in its side menu.
    expect(page.locator("[data-section-id^='operation/']")).to_have_count(
        len(committed_operations())
    )
    assert traffic.status_of(r"^/static/drf_spectacular_sidecar/redoc/.+\.js$") == [200]
    assert traffic.status_of(r"^/api/v1/schema/$") == [200]


def test_redoc_shows_every_operation_from_local_assets(
    page: Page, traffic: Traffic, shot: Callable[..., Path]
) -> None:
    open_redoc(page, traffic)
    operations = committed_operations()

    sections = page.locator("[data-section-id^='operation/']")
    assert sorted(s.get_attribute("data-section-id") for s in sections.all()) == sorted(
        f"operation/{op.operation_id}" for op in operations
    )
    menu = page.locator("li[role=menuitem][data-item-id*='/operation/']")
    assert sorted(item.get_attribute("aria-label") for item in menu.all()) == sorted(
        op.summary for op in operations
    )
    observations = page.locator("[data-section-id='operation/observations_list']")
    expect(observations.locator("h2")).to_contain_text(
        "List observations (figures), filtered and ordered"
    )
    expect(observations).to_contain_text("/api/v1/observations/")
    shot("11-redoc", full_page=False)


def test_redoc_asks_no_other_host(page: Page, traffic: Traffic) -> None:
    """drf-spectacular's own page links Google Fonts, and the ReDoc bundle draws Redocly's logo
    from its CDN; config/templates/drf_spectacular/redoc.html drops the one and forbids the
    other."""
    # The logo is asked for once the menu is drawn: wait for it to be refused.
    with page.expect_event(
        "requestfailed", predicate=lambda r: urlsplit(r.url).netloc != traffic.origin
    ) as refused:
        open_redoc(page, traffic)
    assert (refused.value.url, refused.value.failure) == (
        "https://cdn.redoc.ly/redoc/logo-mini.svg",
        "csp",  # Chromium's reason: blocked by the Content-Security-Policy
    )
    assert traffic.blocked == []  # nothing reached the network layer
    assert traffic.off_server() == [], traffic.off_server()
