"""Python client: a client generated from the committed OpenAPI schema reads the live API.

openapi-python-client turns schema/openapi-v1.yaml into a package in a temporary directory (any
warning it prints fails the test: it means part of the schema could not be turned into code), and
the generated ``Client`` then reads places, figures, every page of figures and a document from
the API served over HTTP by pytest-django's ``LiveServer`` in a thread.

The server is started here rather than through the ``live_server`` fixture: a test that requests
``live_server`` is made transactional by pytest-django, and a transactional test flushes the
database afterwards, which would throw away the corpus loaded once per session. These tests run
in the ordinary ``db`` transaction instead; the corpus was committed before it began, so the
server thread, on its own connection, reads the same rows.
"""

from __future__ import annotations

import hashlib
import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from stats.models import Observation
from stats.selectors import district_subtree_codes

REPO = Path(__file__).resolve().parent.parent.parent
SCHEMA = REPO / "schema" / "openapi-v1.yaml"
PACKAGE = "fujian_stats_client"
#: No post-generation hooks: the generated code is imported, never read, so it needs no ruff.
#: The downloads and the SDMX structure are files to the generator (its File type): it has no
#: model for SQLite, Parquet, a zip or SDMX-ML, and a client saves them as bytes.
CONFIG = """post_hooks: []
content_type_overrides:
  application/vnd.sqlite3: application/octet-stream
  application/vnd.apache.parquet: application/octet-stream
  application/zip: application/octet-stream
  application/vnd.sdmx.structure+xml;version=3.0.0: application/octet-stream
"""

pytestmark = [pytest.mark.django_db, pytest.mark.live_server]


def generator_binary() -> Path:
    """The openapi-python-client next to this interpreter (the project's virtualenv)."""
    beside = Path(sys.executable).parent / "openapi-python-client"
    if beside.exists():
        return beside
    found = shutil.which("openapi-python-client")
    if found is None:
        pytest.fail(
            "openapi-python-client is not installed: run `.venv/bin/pip install -e '.[dev]'`",
            pytrace=False,
        )
    return Path(found)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The client package generated from the committed schema, imported from a temporary dir."""
    root = tmp_path_factory.mktemp("python_client")
    config = root / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    command = [
        str(generator_binary()),
        "generate",
        "--path",
        str(SCHEMA),
        "--output-path",
        str(root / PACKAGE),
        "--meta",
        "none",
        "--config",
        str(config),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    output = (
        f"$ {' '.join(command)}\nexit code {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert result.returncode == 0, f"openapi-python-client failed\n{output}"
    if "warning" in (result.stdout + result.stderr).lower():
        pytest.fail(f"openapi-python-client warned about the schema\n{output}", pytrace=False)

    sys.path.insert(0, str(root))
    try:

        def load(name: str) -> ModuleType:
            return importlib.import_module(f"{PACKAGE}.{name}")

        yield SimpleNamespace(
            Client=load("client").Client,
            models=load("models"),
            districts_list=load("api.districts.districts_list"),
            districts_retrieve=load("api.districts.districts_retrieve"),
            observations_list=load("api.observations.observations_list"),
            documents_retrieve=load("api.documents.documents_retrieve"),
        )
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(django_db_setup: None) -> Iterator[LiveServer]:
    """The API served over HTTP from a thread, on the session's test database."""
    live = LiveServer("localhost")
    live._live_server_modified_settings.enable()  # its host in ALLOWED_HOSTS
    try:
        yield live
    finally:
        live._live_server_modified_settings.disable()
        live.stop()


@pytest.fixture(scope="module")
def api(generated: SimpleNamespace, server: LiveServer) -> Iterator[Any]:
    """A generated ``Client`` pointed at the live server."""
    with generated.Client(
        base_url=server.url, raise_on_unexpected_status=True, timeout=30.0
    ) as client:
        yield client


@pytest.fixture(autouse=True)
def _not_transactional() -> None:
    """Each test runs inside the ``db`` fixture's transaction: nothing will flush the corpus."""
    assert connection.in_atomic_block, "these tests must not be transactional"


@pytest.fixture(scope="module")
def jimei_text() -> str:
    return (REPO / "seeds" / "jimei-2021.txt").read_bytes().decode("utf-8")


def ok(response: Any) -> Any:
    """The parsed body of a 200 response from a generated ``sync_detailed``."""
    assert response.status_code == HTTPStatus.OK, response.content[:2000]
    assert response.parsed is not None, response.content[:2000]
    return response.parsed


def test_xiamen_and_its_places_come_on_one_page(generated: SimpleNamespace, api: Any) -> None:
    page = ok(generated.districts_list.sync_detailed(client=api, within="350200"))
    places = {place.code: place for place in page.results}

    assert set(places) == district_subtree_codes("350200")
    assert len(page.results) == len(places) == 8  # the city, its six districts, the zone
    assert page.next_ is None
    jimei = places["350211"]
    assert (
        jimei.name_zh,
        jimei.short_zh,
        jimei.name_en,
        jimei.pinyin,
        jimei.level,
        jimei.parent,
        jimei.children,
    ) == (
        "集美区",
        "集美",
        "Jimei District",
        "Jíměi",
        generated.models.LevelEnum.DISTRICT,
        "350200",
        [],
    )
    assert "350211" in places["350200"].children
    assert places["350200"].parent == "350000"
    # The schema declares parent a nullable string; the province has none.
    fujian = ok(generated.districts_retrieve.sync_detailed(client=api, code="350000"))
    assert (fujian.name_zh, fujian.parent) == ("福建省", None)


def test_party_members_of_jimei(generated: SimpleNamespace, api: Any, jimei_text: str) -> None:
    page = ok(
        generated.observations_list.sync_detailed(
            client=api, indicator=["party_members"], district=["350211"]
        )
    )

    assert len(page.results) == 1
    figure = page.results[0]
    assert figure.id == "jimei-2021:444"
    assert (figure.indicator.code, figure.indicator.unit) == ("party_members", "person")
    assert (figure.district.code, figure.district.name_zh) == ("350211", "集美区")
    assert figure.initiative is None
    assert figure.tier is None
    assert (figure.district.level, figure.district.parent) == ("district", "350200")
    assert figure.series == "party_members.350211._T._T.level.actual._Z._Z"
    assert (figure.breakdown, str(figure.statistic), str(figure.status), str(figure.rank)) == (
        "",
        "level",
        "actual",
        "preferred",
    )
    assert (figure.value, figure.lower_bound, figure.upper_bound) == ("16000", "16000", "16000")
    assert Decimal(figure.value) == 16000
    assert (figure.lower_inclusive, figure.upper_inclusive, figure.upper_by_convention) == (
        True,
        True,
        False,
    )
    assert figure.qualifier == generated.models.QualifierEnum.EXACT
    assert figure.unit == "person"
    assert (figure.raw, figure.mantissa, figure.scale, figure.scale_power, figure.measure_word) == (
        "1.6万名",
        "1.6",
        "万",
        4,
        "名",
    )
    period = figure.period
    assert (period.label, period.start, period.end, period.kind) == (
        "去年",
        date(2020, 1, 1),
        date(2020, 12, 31),
        "stock",
    )
    source = figure.source
    assert (source.document, source.start, source.end) == ("jimei-2021", 442, 451)
    assert (source.figure_start, source.figure_end) == (444, 449)
    assert source.quote == "全区1.6万名党员" == jimei_text[source.start : source.end]
    assert jimei_text[source.figure_start : source.figure_end] == figure.raw


def test_following_next_pages_through_every_observation(
    generated: SimpleNamespace, api: Any, server: LiveServer
) -> None:
    # The list holds actual figures, the preferred claim of each series and period.
    listed = Observation.objects.filter(status="actual", rank="preferred")
    expected = {
        f"{slug}:{start}" for slug, start in listed.values_list("document__slug", "figure_start")
    }
    total = listed.count()
    assert len(expected) == total == 156

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        if cursor is None:
            response = generated.observations_list.sync_detailed(client=api, page_size=50)
        else:
            response = generated.observations_list.sync_detailed(
                client=api, page_size=50, cursor=cursor
            )
        page = ok(response)
        pages += 1
        assert len(page.results) <= 50
        seen.extend(figure.id for figure in page.results)
        if page.next_ is None:
            break
        assert page.next_.startswith(f"{server.url}/api/v1/observations/?")
        query = parse_qs(urlsplit(page.next_).query)
        assert query["page_size"] == ["50"]
        (cursor,) = query["cursor"]
        assert pages < 10, "the next links do not end"

    assert pages == 4  # 50 + 50 + 50 + 6
    assert len(seen) == len(set(seen)) == total
    assert set(seen) == expected


def test_document_text_and_its_hash(generated: SimpleNamespace, api: Any, jimei_text: str) -> None:
    document = ok(generated.documents_retrieve.sync_detailed(client=api, id="jimei-2021"))

    digest = hashlib.sha256(jimei_text.encode("utf-8")).hexdigest()
    assert document.sha256 == digest
    assert digest == "e1754af513bfb224e7cbcf8a94fe5b8e3a3fb715d5bdfcde96c56dfe82ee7e43"
    assert document.text == jimei_text
    assert "不待扬鞭自奋蹄，浔江潮涌正当时。" in document.text
    assert document.title == "厦门集美区：基层党建为发展超越注入强劲动能"
    assert (document.place.code, document.place.name_zh) == ("350211", "集美区")
    assert (document.published_earliest, document.published_latest) == (
        date(2021, 1, 1),
        date(2021, 12, 31),
    )
    assert document.published_at is None
    assert document.original_name == "000_71f1724e49ddff7f.txt"
