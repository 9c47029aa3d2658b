"""The probes: /healthz (process up) and /readyz (database reachable, corpus loaded)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client

from stats import health
from stats.models import Observation

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client: Client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_the_loaded_corpus(client: Client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert (body["documents"], body["observations"]) == (5, Observation.objects.count())
    assert body["observations"] == 158


def test_readyz_is_503_without_a_corpus(client: Client):
    Observation.objects.all().delete()  # rolled back with the test
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["corpus"] == "not loaded: run manage.py load_corpus"


def test_readyz_is_503_when_the_database_is_unreachable(client: Client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.SourceDocument.objects, "count", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable: DatabaseError"}


def test_probes_only_read(client: Client):
    assert client.post("/healthz").status_code == 405
