"""A WSGI application for test_heartbeat.py: a streamed answer that makes progress for longer
than gunicorn's timeout (as the whole CSV export does), or one that stalls."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from config import heartbeat

CHUNKS = 16
PAUSE = 0.25  # seconds between chunks: 4 s in all


class Stream:
    """Chunks a little apart, or (``stall``) nothing for as long."""

    streaming = True

    def __init__(self, stall: bool) -> None:
        self.stall = stall

    def __iter__(self) -> Iterator[bytes]:
        if self.stall:
            time.sleep(CHUNKS * PAUSE)
        for number in range(CHUNKS):
            time.sleep(PAUSE)
            yield f"chunk {number}\n".encode()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return heartbeat.beating(Stream(stall=environ["PATH_INFO"] == "/stall"))
