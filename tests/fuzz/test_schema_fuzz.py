"""Schemathesis against the app in process (WSGI), from the committed OpenAPI schema.

Every operation gets at least ``FUZZ_EXAMPLES`` generated requests (500 unless the environment
says otherwise), valid and invalid ones, and every built-in check runs on each response: no 5xx,
status codes, content types, headers and bodies as documented, invalid input rejected (4xx),
valid input accepted (2xx). ``make test`` runs it on SQLite and ``make test-postgres`` on
PostgreSQL, where NUL bytes and overlong strings reach a database that refuses them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))

schema = schemathesis.openapi.from_path(REPO / "schema" / "openapi-v1.yaml")
schema.app = WSGIHandler()


def _real_cursor(case) -> str:  # type: ignore[no-untyped-def]
    """The cursor of the next page of the same request without a cursor ("" if it has none)."""
    first_page = case.operation.Case(
        path_parameters=case.path_parameters,
        headers=case.headers,
        query={k: v for k, v in case.query.items() if k != "cursor"},
    )
    response = first_page.call(headers={"Accept-Encoding": "identity"})
    found = re.search(r'<([^>]*)>; rel="next"', response.headers.get("Link", ""))
    if not found:
        return ""
    return parse_qs(urlsplit(found.group(1)).query)["cursor"][0]


@pytest.fixture
def requests_sent() -> Iterator[Counter[str]]:
    """Counts the requests of one operation; at least EXAMPLES must have been sent."""
    sent: Counter[str] = Counter()
    yield sent
    assert sum(sent.values()) >= EXAMPLES, dict(sent)


@pytest.fixture
def app_in_test_transaction(settings):  # type: ignore[no-untyped-def]
    """Serve requests inside the test's transaction, as Django's test client does: the handler
    must not close the connection at the end of a request. And no throttle: hundreds of
    requests from one address in a second would get 429 (its tests are in test_http.py)."""
    settings.API_ANON_RATE = None
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_survives_generated_requests(  # type: ignore[no-untyped-def]
    case, app_in_test_transaction, requests_sent
):
    if case.meta.generation.mode is GenerationMode.POSITIVE and case.query.get("cursor"):
        # A cursor is opaque: any string fits its schema, but only the server's own are valid
        # (a forged one is a 400, see test_bad_input.py). A valid request uses a real one.
        case.query["cursor"] = _real_cursor(case)
    # The in-process client hands over bodies as sent, so ask for them uncompressed (gzip has
    # its own tests in tests/stats/api/test_http.py).
    response = case.call(headers={"Accept-Encoding": "identity"})
    requests_sent[case.meta.generation.mode.value] += 1
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    status = response.status_code
    if case.meta.generation.mode is GenerationMode.POSITIVE and status >= 400:
        if status == 404 and case.path_parameters:
            return  # an identifier of the right shape that nothing has
        assert status == 400, (status, response.text)
        errors = response.json()["errors"]
        assert errors.keys() <= BEYOND_THE_SCHEMA.keys(), response.text
        for name, messages in errors.items():
            assert all(m.startswith(BEYOND_THE_SCHEMA[name]) for m in messages), errors


#: The 400s a request that fits the schema may still get, for what a schema cannot say: a code
#: that nothing has (codes live in the data, so the schema cannot list them; an unknown one is
#: a 400 naming it, the 404 of a filter), a field named twice in an ordering, value_min above
#: value_max, a breakdown naming a category no codelist has or a dimension twice, and a panel
#: whose places are of several levels or that names two series of one place, and SDMX data asked
#: for with a rank other than preferred (SDMX holds one observation per series and period; the
#: schema cannot tie a parameter's values to the format). Any other 400 to a request that fits
#: the schema fails the test.
PANEL_TWO_SERIES = "series "
UNKNOWN = "Select a valid choice."
BEYOND_THE_SCHEMA = {
    "district": UNKNOWN,
    "indicator": UNKNOWN,
    "initiative": UNKNOWN,
    "document": UNKNOWN,
    "place": UNKNOWN,
    "within": UNKNOWN,
    "ordering": "'",  # "'value' is named more than once"
    "value_max": "must not be less than value_min",
    "breakdown": ("unknown ", "breakdown names ", PANEL_TWO_SERIES),
    "statistic": PANEL_TWO_SERIES,
    "status": PANEL_TWO_SERIES,
    "tier": (UNKNOWN, PANEL_TWO_SERIES),
    "place_level": "the places are of several levels",
    "rank": "SDMX data has one observation per series and period",
}
