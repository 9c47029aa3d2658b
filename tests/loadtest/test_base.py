"""The load test's shared helpers (loadtest.base): percentiles, and what counts as this machine."""

from __future__ import annotations

import pytest

from loadtest.base import is_loopback_url, percentile


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(100, 0, -1)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([3.0], 99) == 3.0
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("postgres://postgres@127.0.0.1:5432/party_stats_loadtest", True),
        ("postgres://postgres@localhost/party_stats_loadtest", True),
        ("postgres://postgres@[::1]:5432/x_loadtest", True),
        ("postgres:///party_stats_loadtest", True),  # a local socket
        ("redis://127.0.0.1:6379/13", True),
        ("sqlite:////tmp/x.sqlite3", True),
        ("postgres://postgres@db.example.org/party_stats_loadtest", False),
        ("redis://10.0.0.5:6379/0", False),
    ],
)
def test_only_this_machine_counts_as_loopback(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback
