"""What counts as an error in the load test's server log (loadtest.server)."""

from __future__ import annotations

from pathlib import Path

from loadtest.server import server_log_problems


def test_server_log_problems(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text(
        "[2026-01-01 00:00:00 +0000] [1] [INFO] Booting worker with pid: 2\n"
        '{"level":"INFO","logger":"stats.requests","message":"GET / 200","status":200}\n'
        '{"level":"INFO","logger":"stats.requests","message":"POST / 500","status":500}\n'
        '{"level":"ERROR","logger":"django","message":"database is locked"}\n'
        "[2026-01-01 00:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:2)\n"
        "Traceback (most recent call last):\n"
    )
    assert len(server_log_problems(log)) == 4
