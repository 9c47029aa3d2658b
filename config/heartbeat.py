"""A gunicorn sync worker's heartbeat while a streamed answer makes progress.

gunicorn's master kills a worker that has not notified it for ``--timeout`` seconds (30): the
guard against a request that never ends. A sync worker notifies only between requests, so a
long export that is streaming steadily (the whole CSV of a million observations takes longer
than 30 s) was killed mid-stream. Here the worker notifies between the chunks of a streamed
answer, at most once a second: an answer that stops making progress (a query that never
returns, a client that stops reading) still goes quiet and is killed as before.

gunicorn loads this module as its configuration (``--config python:config.heartbeat``, added by
``config.serve.gunicorn_command``), so :func:`post_worker_init` hands each worker to it; the
application (``config.wsgi``) wraps streamed answers in :class:`Beating`. Standard library
only: the master imports it before Django is set up.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

#: The worker serving in this process (None outside gunicorn, and in the master).
WORKER: Any = None
#: Seconds between two notifications at most (gunicorn's timeout is 30).
INTERVAL = 1.0


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook, called in each worker once it is ready: remember it."""
    global WORKER
    WORKER = worker


class Beating:
    """``chunks`` (a streamed answer), notifying the worker as they go."""

    def __init__(self, chunks: Iterable[bytes], worker: Any) -> None:
        self.chunks = chunks
        self.worker = worker

    def __iter__(self) -> Iterator[bytes]:
        last = time.monotonic()
        for chunk in self.chunks:
            now = time.monotonic()
            if now - last >= INTERVAL:
                self.worker.notify()
                last = now
            yield chunk

    def close(self) -> None:
        """Close the answer (Django sends request_finished from here)."""
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def beating(result: Iterable[bytes]) -> Iterable[bytes]:
    """``result`` of the application, wrapped in :class:`Beating` when it is streamed and a
    gunicorn worker serves it; anything else (a whole answer, a file sent by the server)
    unchanged."""
    if WORKER is None or not getattr(result, "streaming", False):
        return result
    return Beating(result, WORKER)
