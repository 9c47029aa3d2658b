"""Check a database's corpus against the invariants that make its figures traceable.

``manage.py verify_corpus`` runs :func:`verify_corpus`; so do the tests, on SQLite and on
PostgreSQL. It reads and never writes. What it checks:

- every quote (observation, tier chain, chain link, initiative mention) is its document's text
  at its offsets, and every figure inside its quote reads as its ``raw``;
- every observation's bounds have the shape its qualifier gives, and reading ``raw`` again
  gives the stored quantity (stats.extraction.invariants), unless an analyst said why it departs
  from its words (``departure_reason``, which admin asks for): such a deliberate departure is
  listed apart, in ``departures``, and is not a problem;
- every document's ``sha256`` is that of its text;
- every reference resolves: each foreign key and many-to-many row points at a row that exists;
- the search index holds exactly the terms of each observation's text;
- every observation's series key is the one its dimensions give, with a canonical breakdown; no
  two observations of one series from one document overlap in period; the series table holds
  exactly the series of the observations, with their counts;
- every observation's stored representation (stats.representations) is a fresh render's;
- the data version matches the content: it exists once there is a corpus, and no change
  recorded in any history is newer than it (else ETags and cached responses would be stale).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Max

from stats import representations
from stats.data_version import CORPUS_MODELS
from stats.extraction.invariants import (
    StoredQuantity,
    bound_problems,
    quote_problems,
    reading_problems,
)
from stats.extraction.search_terms import search_terms_of
from stats.extraction.series import Span, overlapping_pairs
from stats.models import (
    DataVersion,
    InitiativeMention,
    Observation,
    ObservationTerm,
    Series,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.search import TEXT_FIELDS
from stats.vocabulary import BreakdownError, breakdown_key, parse_breakdown, series_key

__all__ = ["Problem", "VerifyReport", "verify_corpus"]

#: Rows read per round trip.
BATCH = 2000


@dataclass(frozen=True)
class Problem:
    """One broken invariant: which check, which row, what is wrong."""

    check: str
    row: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.row}: {self.message}"


@dataclass
class VerifyReport:
    """Problems found, and how many rows each check read."""

    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    #: Observations whose quantity departs from their words for a reason an analyst gave: not
    #: problems, listed so that they can be reviewed.
    departures: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _iterate(queryset: models.QuerySet[models.Model, dict[str, object]]) -> Iterator[dict]:  # type: ignore[type-arg]
    return queryset.iterator(chunk_size=BATCH)


def _texts(using: str) -> dict[int, str]:
    return dict(SourceDocument.objects.using(using).values_list("pk", "text"))


def _quotes(report: VerifyReport, using: str) -> None:
    texts = _texts(using)
    quantity_fields = [f.name for f in StoredQuantity.__dataclass_fields__.values()]
    observations = (
        Observation.objects.using(using)
        .values(
            "pk",
            "document_id",
            "document__slug",
            "start",
            "end",
            "quote",
            "figure_start",
            "figure_end",
            "departure_reason",
            *quantity_fields,
        )
        .order_by("pk")
    )
    count = 0
    for row in _iterate(observations):
        count += 1
        name = f"observation {row['document__slug']}:{row['figure_start']}"
        text = texts.get(row["document_id"], "")
        figure = (row["figure_start"], row["figure_end"], row["raw"])
        for message in quote_problems(text, row["start"], row["end"], row["quote"], figure):
            report.problems.append(Problem("quote", name, message))
        stored = StoredQuantity(**{f: row[f] for f in quantity_fields})
        for message in bound_problems(stored):
            report.problems.append(Problem("bounds", name, message))
        departs = reading_problems(stored)
        if departs and row["departure_reason"]:
            report.departures.append(
                Problem(
                    "departs from its words",
                    name,
                    f"{row['departure_reason']} ({'; '.join(departs)})",
                )
            )
        else:
            for message in departs:
                report.problems.append(Problem("reading", name, message))
    report.checked["observations"] = count

    spans: list[tuple[str, models.QuerySet]] = [  # type: ignore[type-arg]
        (
            "tier chain",
            TierChain.objects.using(using).values("pk", "document_id", "start", "end", "quote"),
        ),
        (
            "initiative mention",
            InitiativeMention.objects.using(using).values(
                "pk", "document_id", "start", "end", "quote"
            ),
        ),
        (
            "tier chain link",
            TierChainLink.objects.using(using).values(
                "pk",
                "start",
                "end",
                quote=models.F("words"),
                document_id=models.F("chain__document_id"),
            ),
        ),
    ]
    for label, queryset in spans:
        count = 0
        for row in _iterate(queryset.order_by("pk")):
            count += 1
            text = texts.get(row["document_id"], "")
            for message in quote_problems(text, row["start"], row["end"], row["quote"]):
                report.problems.append(Problem("quote", f"{label} {row['pk']}", message))
        report.checked[f"{label}s"] = count

    for slug, text, sha256 in SourceDocument.objects.using(using).values_list(
        "slug", "text", "sha256"
    ):
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
            report.problems.append(Problem("document", slug, "sha256 is not that of the text"))
    report.checked["documents"] = len(texts)


def _references(report: VerifyReport, using: str) -> None:
    """Every foreign key and many-to-many row of the corpus (and its search index) resolves."""
    models_checked = [apps.get_model("stats", name) for name in CORPUS_MODELS] + [ObservationTerm]
    count = 0
    for model in models_checked:
        relations = [f for f in model._meta.concrete_fields if f.is_relation]
        through = [f.remote_field.through for f in model._meta.local_many_to_many]
        for owner, fk in [(model, f) for f in relations] + [
            (t, f) for t in through for f in t._meta.concrete_fields if f.is_relation
        ]:
            count += 1
            target = fk.related_model
            dangling = (
                owner._default_manager.using(using)
                .exclude(**{f"{fk.attname}__isnull": True})
                .exclude(**{f"{fk.attname}__in": target._default_manager.using(using).values("pk")})
                .values_list(fk.attname, flat=True)
            )
            for value in dangling[:20]:
                report.problems.append(
                    Problem(
                        "reference",
                        f"{owner._meta.label} {fk.name}",
                        f"{value!r} names no {target._meta.label}",
                    )
                )
    report.checked["references"] = count


def _search_index(report: VerifyReport, using: str) -> None:
    index: dict[int, set[str]] = {}
    for observation_id, term in _iterate(
        ObservationTerm.objects.using(using).values_list("observation_id", "term")  # type: ignore[arg-type]
    ):
        index.setdefault(observation_id, set()).add(term)
    count = 0
    for pk, slug, figure_start, *texts in _iterate(
        Observation.objects.using(using)
        .order_by("pk")
        .values_list("pk", "document__slug", "figure_start", *TEXT_FIELDS)
    ):
        count += 1
        expected = search_terms_of(texts)
        found = index.get(pk, set())
        if found != expected:
            missing, extra = sorted(expected - found), sorted(found - expected)
            report.problems.append(
                Problem(
                    "search index",
                    f"observation {slug}:{figure_start}",
                    f"terms missing {missing[:5]}, terms not in its text {extra[:5]}: "
                    "run stats.search.reindex_observations",
                )
            )
    report.checked["search index"] = count


def _data_version(report: VerifyReport, using: str) -> None:
    version = DataVersion.objects.using(using).filter(pk=1).first()
    has_corpus = SourceDocument.objects.using(using).exists()
    if version is None:
        if has_corpus:
            report.problems.append(
                Problem("data version", "DataVersion", "there is a corpus but no data version")
            )
        return
    if has_corpus and version.number == 0:
        report.problems.append(Problem("data version", "DataVersion", "number 0 with a corpus"))
    for name in CORPUS_MODELS:
        history = getattr(apps.get_model("stats", name), "history", None)
        if history is None:
            continue
        newest = history.using(using).aggregate(newest=Max("history_date"))["newest"]
        if newest is not None and newest > version.changed_at:
            report.problems.append(
                Problem(
                    "data version",
                    f"data version {version.number}",
                    f"{name} changed at {newest.isoformat()}, after the version was made "
                    f"({version.changed_at.isoformat()}): responses would be served stale",
                )
            )
    report.checked["data version"] = 1


def _series(report: VerifyReport, using: str) -> None:
    periods: dict[tuple[str, str], list[tuple[str, Span]]] = {}
    counts: Counter[str] = Counter()
    rows = Observation._base_manager.using(using).values(
        "pk",
        "series",
        "indicator__code",
        "district__code",
        "sub_unit",
        "breakdown",
        "statistic",
        "status",
        "tier__code",
        "initiative__code",
        "document__slug",
        "figure_start",
        "period_start",
        "period_end",
    )
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        name = f"observation {row['document__slug']}:{row['figure_start']}"
        key = series_key(
            indicator=str(row["indicator__code"]),
            district=str(row["district__code"]),
            sub_unit=str(row["sub_unit"]),
            breakdown=str(row["breakdown"]),
            statistic=str(row["statistic"]),
            status=str(row["status"]),
            tier=row["tier__code"],
            initiative=row["initiative__code"],
        )
        if row["series"] != key:
            report.problems.append(Problem("series", name, f"key {row['series']!r}, not {key!r}"))
        try:
            canonical = breakdown_key(parse_breakdown(str(row["breakdown"])))
        except BreakdownError as error:
            report.problems.append(Problem("series", name, str(error)))
        else:
            if canonical != row["breakdown"]:
                report.problems.append(
                    Problem("series", name, f"breakdown {row['breakdown']!r} is {canonical!r}")
                )
        counts[str(row["series"])] += 1
        periods.setdefault((str(row["document__slug"]), str(row["series"])), []).append(
            (name, Span(row["period_start"], row["period_end"]))
        )
    for (_, key), spans in periods.items():
        for first, second in overlapping_pairs(spans):
            report.problems.append(
                Problem("series", key, f"{first} and {second} overlap in period")
            )
    table = dict(
        Series._base_manager.using(using).values_list("key", "observation_count").iterator()
    )
    if table != dict(counts):
        missing = sorted(set(counts) - set(table))[:3]
        extra = sorted(set(table) - set(counts))[:3]
        report.problems.append(
            Problem(
                "series",
                "Series",
                f"the series table differs from the observations (missing {missing}, "
                f"extra {extra}); run refresh_series",
            )
        )
    report.checked["series"] = len(counts)


def _representations(report: VerifyReport, using: str) -> None:
    """Every observation's stored representation is what a fresh render gives."""
    differing = representations.differing(using)
    for pk in differing[:20]:
        report.problems.append(
            Problem(
                "representations",
                f"observation {pk}",
                "its stored representation is missing or differs from a fresh render: run "
                "refresh_representations",
            )
        )
    report.checked["representations"] = Observation.objects.using(using).count()


def verify_corpus(using: str = "default") -> VerifyReport:
    """Check every invariant of the corpus in database ``using``; read only."""
    report = VerifyReport()
    _quotes(report, using)
    _references(report, using)
    _search_index(report, using)
    _series(report, using)
    _representations(report, using)
    _data_version(report, using)
    return report
