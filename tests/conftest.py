"""Test set-up: the test database holds the whole corpus, loaded once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from pytest_django import DjangoDbBlocker

    from stats.publishing.store import Snapshot

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """Load fixtures/ into the test database once; tests run in transactions on top of it."""
    from stats.loading import load_corpus

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_corpus(settings.FIXTURES_DIR)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with empty caches: no throttle counts, no cached data version, no
    rendered responses."""
    from django.core.cache import caches

    for alias in ("default", "responses", "throttle"):
        caches[alias].clear()
    yield
    for alias in ("default", "responses", "throttle"):
        caches[alias].clear()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[Snapshot]:
    """The files of the session's corpus (stats.publishing), built once for the module into a
    downloads folder of its own, which the API serves meanwhile."""
    from django.test.utils import override_settings

    from stats.publishing.store import build_snapshot

    with (
        override_settings(DOWNLOADS_DIR=tmp_path_factory.mktemp("downloads")),
        django_db_blocker.unblock(),
    ):
        yield build_snapshot()
