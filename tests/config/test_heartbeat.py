"""A gunicorn worker streaming an answer that makes progress outlives the worker timeout; one
that stalls is still killed (config.heartbeat)."""

from __future__ import annotations

import http.client
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import signals
from django.test import RequestFactory

from config import heartbeat
from config.serve import free_port, gunicorn_command
from tests.config.streaming_app import CHUNKS, Stream

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self) -> None:
        self.notified = 0

    def notify(self) -> None:
        self.notified += 1


def test_a_streamed_answer_notifies_the_worker_as_it_goes(monkeypatch: pytest.MonkeyPatch):
    worker = Worker()
    monkeypatch.setattr(heartbeat, "WORKER", worker)
    monkeypatch.setattr(heartbeat, "INTERVAL", 0.0)
    whole = ["a whole answer"]
    assert heartbeat.beating(whole) is whole  # not streamed: unchanged
    stream = Stream(stall=False)
    monkeypatch.setattr("tests.config.streaming_app.PAUSE", 0.0)
    beating = heartbeat.beating(stream)
    assert isinstance(beating, heartbeat.Beating)
    assert len(list(beating)) == CHUNKS
    assert worker.notified == CHUNKS
    monkeypatch.setattr(heartbeat, "WORKER", None)  # outside gunicorn: unchanged
    assert heartbeat.beating(stream) is stream


def test_closing_the_beating_answer_closes_the_answer():
    closed = []

    class Answer:
        streaming = True

        def __iter__(self) -> Any:
            return iter([b"x"])

        def close(self) -> None:
            closed.append(True)

    heartbeat.Beating(Answer(), Worker()).close()
    assert closed == [True]


@pytest.mark.django_db
def test_the_application_wraps_the_csv_export_and_not_a_page(
    monkeypatch: pytest.MonkeyPatch, settings: Any
):
    settings.SECRET_KEY_MISSING = False  # the test settings have no key; a server refuses that
    import config.wsgi

    # As Django's test client does: a request must not close the test's database connection.
    for signal in (signals.request_started, signals.request_finished):
        monkeypatch.setattr(signal, "receivers", [])
        monkeypatch.setattr(signal, "sender_receivers_cache", {})

    monkeypatch.setattr(heartbeat, "WORKER", Worker())
    factory = RequestFactory()

    def answer(path: str) -> Any:
        result = config.wsgi.application(factory.get(path).environ, lambda *args: None)
        result.close()
        return result

    assert isinstance(answer("/api/v1/observations/?format=csv"), heartbeat.Beating)
    assert not isinstance(answer("/api/v1/observations/"), heartbeat.Beating)


@pytest.mark.slow
def test_gunicorn_keeps_a_worker_that_streams_and_kills_one_that_stalls():
    port = free_port()
    command = gunicorn_command(f"127.0.0.1:{port}", 1, "--timeout", "2")
    command[command.index("config.wsgi")] = "tests.config.streaming_app:application"
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        # 4 s of chunks, twice the timeout: whole, every chunk.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/stream")
        body = connection.getresponse().read().decode()
        assert body.splitlines() == [f"chunk {n}" for n in range(CHUNKS)]

        # 4 s of nothing: the master kills the worker before the first chunk; gunicorn
        # answers its own error instead.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/stall")
        response = connection.getresponse()
        assert (response.status, b"chunk" in response.read()) == (500, False)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
    assert b"WORKER TIMEOUT" in errors
