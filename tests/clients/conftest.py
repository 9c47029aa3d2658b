"""Markers for the client tests."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "live_server: serves the API over HTTP from a thread (pytest-django's LiveServer) "
        "and reads it with a generated client",
    )
