"""Structured logs: one JSON object per request, with its id, status and duration."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from config.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "stats.requests"
    ]


def test_each_request_is_one_json_line_with_id_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger="stats.requests"):
        response = client.get("/api/v1/observations/?district=999999", REMOTE_ADDR="10.1.2.3")
    (line,) = request_lines(caplog)
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert {k: line[k] for k in ("level", "logger", "method", "path", "query", "status")} == {
        "level": "INFO",
        "logger": "stats.requests",
        "method": "GET",
        "path": "/api/v1/observations/",
        "query": "district=999999",
        "status": 400,
    }
    assert line["remote_addr"] == "10.1.2.3"
    assert 0 < line["duration_ms"] < 10_000
    assert line["message"] == "GET /api/v1/observations/ 400"


def test_a_sane_request_id_from_the_proxy_is_kept(client: Client, caplog):
    with caplog.at_level(logging.INFO, logger="stats.requests"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"
    assert request_lines(caplog)[0]["request_id"] == "lb-7f3a.42"


@pytest.mark.parametrize("given", ["", "x" * 65, "a b", "<script>", "id\nforged-log-line"])
def test_other_request_ids_are_replaced(client: Client, given: str):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


def test_exceptions_are_logged_as_json_with_their_traceback():
    try:
        raise ValueError("figure 超1300人次 could not be read")
    except ValueError:
        record = logging.LogRecord("stats", logging.ERROR, __file__, 1, "failed", None, None)
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed"
    assert line["exception"].endswith("ValueError: figure 超1300人次 could not be read")
