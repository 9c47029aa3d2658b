"""What every model module shares: the choice sets named once for the OpenAPI schema, the
exact quantity and breakdown fields, and natural keys (``get_by_natural_key``), remembered
inside a fixture load so that the same row is never looked up twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from stats.vocabulary import (
    BreakdownError,
    ClaimRank,
    DatePrecision,
    NotStatisticReason,
    PeriodKind,
    Qualifier,
    Statistic,
    Status,
    breakdown_key,
    parse_breakdown,
)


def quantity_field(help_text: str = "") -> models.DecimalField[Any, Any]:
    """An exact quantity: up to 10^12 (万亿) with four decimals; null when not stated."""
    return models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True, help_text=help_text
    )


def validate_breakdown(value: str) -> None:
    """A breakdown must name codelist categories, written canonically (sex:female)."""
    try:
        canonical = breakdown_key(parse_breakdown(value))
    except BreakdownError as error:
        raise ValidationError(str(error)) from None
    if canonical != value:
        raise ValidationError(f"write it as {canonical!r}")


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


#: Named choice sets, so the OpenAPI schema names each enum once.
DATE_PRECISION_CHOICES = _choices(DatePrecision)
QUALIFIER_CHOICES = _choices(Qualifier)
PERIOD_KIND_CHOICES = _choices(PeriodKind)
NOT_STATISTIC_CHOICES = _choices(NotStatisticReason)
STATISTIC_CHOICES = _choices(Statistic)
STATUS_CHOICES = _choices(Status)
CLAIM_RANK_CHOICES = _choices(ClaimRank)


class _NaturalKeys:
    """Rows by natural key, and the tables known to hold no other rows than those."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], Any] = {}
        self.complete: dict[tuple[Any, str], bool] = {}


_natural_keys: ContextVar[_NaturalKeys | None] = ContextVar("natural_keys", default=None)


@contextmanager
def natural_keys_remembered() -> Iterator[None]:
    """Inside the block (a fixture load, which looks the same place, measure or document up
    thousands of times), a row found by its natural key is found again without a query, and
    a table that was empty when first asked answers from memory: the loader tells
    :func:`remember_created` each row it creates."""
    token = _natural_keys.set(_NaturalKeys())
    try:
        yield
    finally:
        _natural_keys.reset(token)


def remember_created(obj: models.Model, using: str) -> None:
    """A row saved inside :func:`natural_keys_remembered`: found by its natural key from now."""
    memory = _natural_keys.get()
    if memory is not None:
        memory.found[(type(obj), using, *obj.natural_key())] = obj  # type: ignore[attr-defined]


def _by_natural_key(manager: models.Manager[Any], key: tuple[Any, ...], **lookup: Any) -> Any:
    memory = _natural_keys.get()
    if memory is None:
        return manager.get(**lookup)
    remembered = (manager.model, manager.db, *key)
    if remembered in memory.found:
        return memory.found[remembered]
    table = (manager.model, manager.db)
    if table not in memory.complete:
        memory.complete[table] = not manager.exists()
    if memory.complete[table]:
        raise manager.model.DoesNotExist(f"no {manager.model.__name__} {key!r}")
    memory.found[remembered] = manager.get(**lookup)
    return memory.found[remembered]


_M = TypeVar("_M", bound=models.Model)


class NaturalKeyManager(models.Manager[_M], Generic[_M]):
    """Looks rows up by their natural key: the values of ``lookups``, in order (a document
    slug and an offset, a chain's key and a position …)."""

    def __init__(self, *lookups: str) -> None:
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *key: Any) -> _M:
        return _by_natural_key(  # type: ignore[no-any-return]
            self, key, **dict(zip(self.lookups, key, strict=True))
        )


class CodeManager(models.Manager[Any]):
    """Looks rows up by their ``code`` natural key."""

    def get_by_natural_key(self, code: str) -> Any:
        return _by_natural_key(self, (code,), code=code)
