"""The data version: a counter bumped whenever the corpus changes, shared by every process.

Any save or delete of a corpus row (a load, an admin edit, a history revert) changes it in the
same transaction as the row: the first change of a transaction takes the next number (before
the row is written, so every writer takes the version's row lock first and writers never
deadlock), and every change moves ``changed_at`` to after its history record. The new number
commits with the content or not at all: there is no moment, and no failure, in which new content
is served under the old version, and a rolled-back transaction changes nothing. A change made
outside a transaction (autocommit) is committed by itself, so its version follows it at once.

The current version is read from the database and kept in the cache for
``DATA_VERSION_CACHE_SECONDS`` (a shared Redis cache is cleared at once by the process that
commits; a per-process cache may lag by that long).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone

from stats.deferral import Deferred

CACHE_KEY = "stats:data-version"

#: Models whose rows make up the corpus the API serves.
CORPUS_MODELS = (
    "District",
    "OrganisationTier",
    "SourceDocument",
    "Indicator",
    "Initiative",
    "InitiativeMention",
    "TierChain",
    "TierChainLink",
    "Observation",
)


@dataclass(frozen=True)
class Version:
    """The corpus version: its number and when it was made."""

    number: int
    changed_at: datetime

    def etag(self, *variant: str) -> str:
        """A weak entity tag for one representation (say, the Accept header) of this version."""
        digest = hashlib.blake2b("\x1f".join(variant).encode(), digest_size=6).hexdigest()
        return f'W/"{self.number}-{digest}"'


def _model() -> type[models.Model]:
    return apps.get_model("stats", "DataVersion")


def current_version(using: str = "default") -> Version:
    """The current data version, from the cache or the database."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, Version):
        return cached
    row = _model()._default_manager.using(using).filter(pk=1).values("number", "changed_at")
    found = row.first()
    if found is None:
        version = Version(0, datetime(2000, 1, 1, tzinfo=UTC))
    else:
        version = Version(found["number"], found["changed_at"])
    cache.set(CACHE_KEY, version, settings.DATA_VERSION_CACHE_SECONDS)
    return version


def bump(using: str = "default") -> Version:
    """Add one to the data version now (atomic across processes) and refresh the cache."""
    model = _model()
    now = timezone.now()
    with transaction.atomic(using=using):
        updated = (
            model._default_manager.using(using)
            .filter(pk=1)
            .update(number=F("number") + 1, changed_at=now)
        )
        if not updated:
            model._default_manager.using(using).get_or_create(
                pk=1, defaults={"number": 1, "changed_at": now}
            )
    cache.delete(CACHE_KEY)
    return current_version(using)


#: Marks the on-commit callback of a transaction that has taken its number.
_TAKEN = "data_version_taken"


def _taken(using: str) -> bool:
    # run_on_commit holds (savepoint ids, callable, robust) for the open transaction; a callback
    # of a savepoint rolled back has left it, with the savepoint's writes.
    connection = transaction.get_connection(using)
    return any(getattr(func, _TAKEN, False) for _sids, func, *_ in connection.run_on_commit)


def _take_number(using: str) -> None:
    """In an open transaction: the next number, once; the cache forgets it on commit."""
    if _taken(using):
        return
    model = _model()._default_manager.using(using)
    now = timezone.now()
    if not model.filter(pk=1).update(number=F("number") + 1, changed_at=now):
        model.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})

    def forget_cached() -> None:
        cache.delete(CACHE_KEY)

    setattr(forget_cached, _TAKEN, True)
    transaction.on_commit(forget_cached, using=using)


def _before_change(using: str) -> None:
    if transaction.get_connection(using).in_atomic_block:
        _take_number(using)


def _stamp(keys: set[str], using: str) -> None:
    _model()._default_manager.using(using).filter(pk=1).update(changed_at=timezone.now())


_stamps = Deferred[str]("data_version_stamp", _stamp)
#: Inside the block (in a transaction that saves many rows, as a load does), the time of the
#: change is written once, when the block ends, rather than after every row (stats.deferral).
deferred_stamp = _stamps.block


def _after_change(using: str) -> None:
    if not transaction.get_connection(using).in_atomic_block:
        bump(using)  # autocommit: the change is committed already
        return
    _take_number(using)  # a no-op unless no signal came before the change
    _stamps.touch({"changed_at"}, using)


def _on_pre(sender: type[models.Model], using: str = "default", **kwargs: object) -> None:
    _before_change(using)


def _on_post(sender: type[models.Model], using: str = "default", **kwargs: object) -> None:
    _after_change(using)


def _on_m2m(
    sender: type[models.Model], action: str = "", using: str = "default", **kwargs: object
) -> None:
    if action.startswith("pre_"):
        _before_change(using)
    elif action.startswith("post_"):
        _after_change(using)


def connect_signals() -> None:
    """Watch every corpus model (called from the app config)."""
    # Connected after django-simple-history's receivers (made with the models), so changed_at
    # is set after the change's history record is written.
    for name in CORPUS_MODELS:
        model = apps.get_model("stats", name)
        for signal, receiver, uid in (
            (pre_save, _on_pre, "pre-save"),
            (post_save, _on_post, "save"),
            (pre_delete, _on_pre, "pre-delete"),
            (post_delete, _on_post, "delete"),
        ):
            signal.connect(receiver, sender=model, dispatch_uid=f"data-version-{uid}-{name}")
    initiative = apps.get_model("stats", "Initiative")
    m2m_changed.connect(
        _on_m2m, sender=initiative.districts.through, dispatch_uid="data-version-m2m"
    )
