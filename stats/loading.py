"""Load the corpus fixtures into the database: in one transaction, idempotent, with history.

Rows are matched by natural key. A row whose fields already equal the fixture is left alone, so
a second load changes nothing (and writes no history); a changed row is saved normally, so the
change is in its history with the reason "load_corpus". On any error nothing is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core import serializers
from django.db import models, transaction

from stats.extraction.fixtures import FIXTURE_FILES
from stats.models import Observation, Series
from stats.search import deferred_reindex
from stats.series import deferred_refresh

__all__ = ["LoadError", "LoadReport", "load_corpus"]


class LoadError(RuntimeError):
    """The fixtures could not be loaded; the database is unchanged."""


@dataclass
class LoadReport:
    """What a load did, per model: created, updated, unchanged, and rows not in the fixtures."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    not_in_fixtures: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        models_seen = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        rows = [
            f"{name:<18} created {self.created[name]:>4}  updated {self.updated[name]:>4}  "
            f"unchanged {self.unchanged[name]:>4}"
            + (
                f"  not in fixtures {self.not_in_fixtures[name]}"
                if self.not_in_fixtures[name]
                else ""
            )
            for name in models_seen
        ]
        return rows


def _differs(existing: models.Model, new: models.Model) -> bool:
    for model_field in existing._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if getattr(existing, model_field.attname) != getattr(new, model_field.attname):
            return True
    return False


def load_corpus(
    fixtures_dir: Path,
    *,
    using: str = "default",
    after_each_file: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load every fixture file of ``fixtures_dir`` in one transaction and report what changed.

    ``after_each_file`` is called with each file name once its rows are saved (tests use it to
    fail a load halfway). The observations created or updated are reindexed for search
    (stats.search), and their series and claim ranks refreshed (stats.series), in the same
    transaction.
    """
    missing = [name for name in FIXTURE_FILES if not (fixtures_dir / name).is_file()]
    if missing:
        raise LoadError(
            f"fixtures missing in {fixtures_dir}: {', '.join(missing)}; "
            "run manage.py build_fixtures"
        )
    report = LoadReport()
    with (
        transaction.atomic(using=using),
        deferred_reindex(using),
        deferred_refresh(using) as touched_series,
    ):
        for name in FIXTURE_FILES:
            data = (fixtures_dir / name).read_text(encoding="utf-8")
            seen: dict[type[models.Model], set[Any]] = {}
            try:
                for item in serializers.deserialize("json", data, using=using):
                    obj = item.object
                    model = type(obj)
                    label = model._meta.model_name or model.__name__
                    existing = (
                        model._default_manager.using(using).filter(pk=obj.pk).first()
                        if obj.pk is not None
                        else None
                    )
                    m2m_changed = False
                    if existing is not None:
                        for field_name, values in (item.m2m_data or {}).items():
                            current = set(
                                getattr(existing, field_name).values_list("pk", flat=True)
                            )
                            m2m_changed |= current != {int(v) for v in values}
                    if existing is None:
                        obj._change_reason = "load_corpus"  # type: ignore[attr-defined]
                        obj.save(using=using)
                        report.created[label] += 1
                    elif _differs(existing, obj) or m2m_changed:
                        obj._change_reason = "load_corpus"  # type: ignore[attr-defined]
                        obj.save(using=using)
                        report.updated[label] += 1
                    else:
                        report.unchanged[label] += 1
                    for field_name, values in (item.m2m_data or {}).items():
                        if existing is None or m2m_changed:
                            getattr(obj, field_name).set(values)
                    seen.setdefault(model, set()).add(obj.pk)
            except serializers.base.DeserializationError as error:
                raise LoadError(f"{name}: {error}") from error
            for model, pks in seen.items():
                stale = model._default_manager.using(using).exclude(pk__in=pks).count()
                if stale:
                    report.not_in_fixtures[model._meta.model_name or model.__name__] += stale
            if after_each_file is not None:
                after_each_file(name)
        # A database keyed before the series table existed (a migration) has keys but no rows.
        known = Series._base_manager.using(using).values_list("key", flat=True)
        touched_series.update(
            Observation._base_manager.using(using)
            .exclude(series__in=known)
            .values_list("series", flat=True)
        )
    return report
