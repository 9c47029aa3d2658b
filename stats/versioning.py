"""The data version: a counter bumped whenever the corpus changes, shared by every process.

Any save or delete of a corpus row (a load, an admin edit, a history revert) schedules one bump
for when its transaction commits; a rolled-back transaction bumps nothing. The current version is
read from the database and kept in the cache for ``DATA_VERSION_CACHE_SECONDS`` (a shared Redis
cache is updated at once by the process that bumps; a per-process cache may lag by that long).
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
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

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


def schedule_bump(using: str = "default") -> None:
    """Bump the version when the current transaction commits (at once outside a transaction);
    several changes in one transaction bump it once."""
    connection = transaction.get_connection(using)
    # run_on_commit holds (savepoint ids, callable, robust) for the open transaction.
    for _sids, func, *_ in connection.run_on_commit:
        if getattr(func, "data_version_bump", False):
            return

    def callback() -> None:
        bump(using)

    callback.data_version_bump = True  # type: ignore[attr-defined]
    transaction.on_commit(callback, using=using)


def _on_change(sender: type[models.Model], using: str = "default", **kwargs: object) -> None:
    schedule_bump(using)


def connect_signals() -> None:
    """Watch every corpus model (called from the app config)."""
    for name in CORPUS_MODELS:
        model = apps.get_model("stats", name)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"data-version-save-{name}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"data-version-delete-{name}")
    initiative = apps.get_model("stats", "Initiative")
    m2m_changed.connect(
        _on_change, sender=initiative.districts.through, dispatch_uid="data-version-m2m"
    )
