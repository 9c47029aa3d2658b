"""Derived data refreshed once at the end of a block instead of once per saved row.

The search index and the series table are derived from observations and kept by signals. A
load saves hundreds of observations in one transaction: each kind of derived data collects the
keys touched inside :meth:`Deferred.block` and processes them together when the block ends
without an error; outside a block a key is processed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

__all__ = ["Deferred"]

_K = TypeVar("_K")


class Deferred(Generic[_K]):
    """Keys of one kind of derived data, processed by ``process(keys, using)``."""

    def __init__(self, name: str, process: Callable[[set[_K], str], object]) -> None:
        self._pending: ContextVar[tuple[str, set[_K]] | None] = ContextVar(name, default=None)
        self._process = process

    @contextmanager
    def block(self, using: str = "default") -> Iterator[set[_K]]:
        """Collect the keys touched on ``using`` inside the block and process them together
        when it ends without an error (run it inside the transaction that saves them)."""
        pending: set[_K] = set()
        token = self._pending.set((using, pending))
        try:
            yield pending
        finally:
            self._pending.reset(token)
        if pending:
            self._process(pending, using)

    def touch(self, keys: Iterable[_K], using: str) -> None:
        """Keys saved on ``using``: deferred inside a block on that database, else processed."""
        keys = set(keys)
        if not keys:
            return
        pending = self._pending.get()
        if pending is not None and pending[0] == using:
            pending[1].update(keys)
        else:
            self._process(keys, using)
