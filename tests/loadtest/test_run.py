"""The load test's command line (loadtest.run): bounded, loopback only."""

from __future__ import annotations

import pytest

from loadtest.run import parse_args


def test_arguments_are_bounded_and_loopback_only() -> None:
    assert parse_args(["--seconds", "30"]).seconds == 30
    for argv in (
        ["--seconds", "301"],
        ["--seconds", "0"],
        ["--writers", "32"],
        ["--database-url", "postgres://postgres@192.0.2.1/party_stats_loadtest"],
        ["--redis-url", "redis://192.0.2.1:6379/13"],
    ):
        with pytest.raises(SystemExit):
            parse_args(argv)
