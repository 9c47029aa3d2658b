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
from django.utils import timezone

from stats import data_version, representations
from stats.extraction.fixtures import FIXTURE_FILES
from stats.models import Observation, Series, natural_keys_remembered, remember_created
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
        data_version.deferred_stamp(using),  # the time of the change, once, after every row
        natural_keys_remembered(),
        deferred_reindex(using),
        # Rendering outside the series block: it renders the ranks that block changes.
        representations.deferred_render(using) as to_render,
        deferred_refresh(using) as touched_series,
    ):
        for name in FIXTURE_FILES:
            seen = _load_file(fixtures_dir / name, using, report)
            _count_not_in_fixtures(seen, using, report)
            if after_each_file is not None:
                after_each_file(name)
        # A database keyed before the series table existed (a migration) has keys but no rows.
        known = Series._base_manager.using(using).values_list("key", flat=True)
        touched_series.update(
            Observation._base_manager.using(using)
            .exclude(series__in=known)
            .values_list("series", flat=True)
        )
        # Rows rendered by an older release, or written without signals, are rendered again.
        to_render.update(representations.stale(using))
    return report


def _load_file(path: Path, using: str, report: LoadReport) -> dict[type[models.Model], set[Any]]:
    """Save the rows of one fixture file that are new or changed; the keys it holds, by model."""
    seen: dict[type[models.Model], set[Any]] = {}
    saved: dict[tuple[type[models.Model], bool], list[models.Model]] = {}
    try:
        for item in serializers.deserialize("json", path.read_text(encoding="utf-8"), using=using):
            _load_row(item, using, report, saved)
            seen.setdefault(type(item.object), set()).add(item.object.pk)
    except serializers.base.DeserializationError as error:
        raise LoadError(f"{path.name}: {error}") from error
    for (model, update), objs in saved.items():
        _write_history(model, objs, update, using)
    return seen


def _write_history(
    model: type[models.Model], objs: list[models.Model], update: bool, using: str
) -> None:
    """The history records django-simple-history writes per save, written in one statement:
    created (+) or changed (~) by "load_corpus", now."""
    history: Any = model.history.model  # type: ignore[attr-defined]
    now = timezone.now()
    history._default_manager.using(using).bulk_create(
        [
            history(
                history_date=now,
                history_user=None,
                history_change_reason="load_corpus",
                history_type="~" if update else "+",
                **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
            )
            for obj in objs
        ],
        batch_size=1000,
    )


def _load_row(
    item: Any,
    using: str,
    report: LoadReport,
    saved: dict[tuple[type[models.Model], bool], list[models.Model]],
) -> None:
    """Create the row, save it over the stored one if any field or relation differs, or leave
    it alone; count which in ``report``. A saved row without many-to-many relations is added
    to ``saved`` (by model, and whether it was an update) for its history to be written in
    bulk: a history record per save is most of a load's time."""
    obj = item.object
    model = type(obj)
    label = model._meta.model_name or model.__name__
    existing = (
        model._default_manager.using(using).filter(pk=obj.pk).first()
        if obj.pk is not None
        else None
    )
    m2m_changed = existing is not None and _m2m_differs(existing, item.m2m_data or {})
    if existing is None:
        report.created[label] += 1
    elif _differs(existing, obj) or m2m_changed:
        report.updated[label] += 1
    else:
        report.unchanged[label] += 1
        return
    obj._change_reason = "load_corpus"
    # (model._meta, not hasattr(model, "history"): the history descriptor builds a manager
    # class on every access.)
    if getattr(model._meta, "simple_history_manager_attribute", None) and not item.m2m_data:
        obj.skip_history_when_saving = True  # django-simple-history's switch
        try:
            obj.save(using=using)
        finally:
            del obj.skip_history_when_saving
        saved.setdefault((model, existing is not None), []).append(obj)
    else:
        obj.save(using=using)
    if existing is None:
        remember_created(obj, using)
    if existing is None or m2m_changed:
        for field_name, values in (item.m2m_data or {}).items():
            getattr(obj, field_name).set(values)


def _m2m_differs(existing: models.Model, m2m_data: dict[str, list[Any]]) -> bool:
    """Whether any many-to-many relation of the fixture row differs from the stored row's."""
    return any(
        set(getattr(existing, field_name).values_list("pk", flat=True)) != {int(v) for v in values}
        for field_name, values in m2m_data.items()
    )


def _count_not_in_fixtures(
    seen: dict[type[models.Model], set[Any]], using: str, report: LoadReport
) -> None:
    """Count the stored rows of each model that the fixtures no longer hold (they are kept)."""
    for model, pks in seen.items():
        stale = model._default_manager.using(using).exclude(pk__in=pks).count()
        if stale:
            report.not_in_fixtures[model._meta.model_name or model.__name__] += stale
