"""Test set-up: the test database holds the whole corpus, loaded once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

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
