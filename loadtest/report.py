"""The summary: requests by kind with their latencies, and every check with its failures."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from loadtest.base import READ_WEIGHTS, ROOT, percentile
from loadtest.checks import (
    HistoryRow,
    check_admin_log,
    check_final_notes,
    check_history,
    check_unchanged,
    limited,
)
from loadtest.clients import Sample
from loadtest.load import Load
from loadtest.server import server_log_problems

READ_KINDS = (*READ_WEIGHTS, "page")
WRITE_KINDS = ("admin-login", "admin-get", "admin-post")


def latency_line(label: str, samples: Sequence[Sample], seconds: float) -> str:
    """Count, rate and p50/p95/p99 in milliseconds of ``samples``."""
    times = [sample.seconds * 1000 for sample in samples]
    rate = len(samples) / seconds if seconds else 0.0
    return (
        f"  {label:<15} {len(samples):7d} {rate:8.1f}/s  p50 {percentile(times, 50):7.1f}  "
        f"p95 {percentile(times, 95):7.1f}  p99 {percentile(times, 99):7.1f} ms"
    )


def summary(
    load: Load,
    checks: list[tuple[str, list[str]]],
    facts: Mapping[str, str],
) -> str:
    """The report: requests by kind with latencies and statuses, then every check."""
    samples = [sample for recorder in load.recorders for sample in recorder.samples]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    lines = [f"{name}: {value}" for name, value in facts.items()]
    lines.append(f"requests by kind (over {load.seconds:.1f} s):")
    for kind in (*READ_KINDS, *WRITE_KINDS):
        if by_kind.get(kind):
            lines.append(latency_line(kind, by_kind[kind], load.seconds))
    reads = [sample for sample in samples if sample.kind in READ_KINDS]
    writes = by_kind.get("admin-post", [])
    lines.append(latency_line("ALL READS", reads, load.seconds))
    lines.append(latency_line("WRITES (POST)", writes, load.seconds))
    statuses = Counter(sample.status for sample in samples)
    lines.append(
        "statuses: "
        + ", ".join(
            f"{status or 'no answer'}: {count}" for status, count in sorted(statuses.items())
        )
    )
    lines.append("checks:")
    for name, failures in checks:
        lines.append(f"  [{'FAIL' if failures else ' ok '}] {name}")
        lines += [f"         {failure}" for failure in failures]
    return "\n".join(lines)


def evaluate(
    load: Load,
    prepared: Mapping[str, Any],
    state: Mapping[str, Any],
    history: Sequence[HistoryRow],
    api: tuple[list[str], int],
    log_path: Path,
) -> list[tuple[str, list[str]]]:
    """Every check of the run, each with its failures (none: passed)."""
    initial = {int(pk): note for pk, note in prepared["notes"].items()}
    final = {int(pk): note for pk, note in state["notes"].items()}
    api_failures, api_reads = api
    errors = [error for recorder in load.recorders for error in recorder.errors]
    log_problems = server_log_problems(log_path)
    other_tables = {
        table: (count, state["history_counts"].get(table))
        for table, count in prepared["history_counts"].items()
        if table != "stats_historicalobservation" and state["history_counts"].get(table) != count
    }
    history_failures = check_history(load.acks, load.attempted, history)
    history_failures += [
        f"{table}: {before} rows before the run, {after} after" for table, (before, after) in
        other_tables.items()
    ]  # fmt: skip
    history_failures += check_admin_log(load.acks, state["log_entries"])
    # Every committed save (a history row) bumps the data version once; a save whose bump
    # failed leaves the API's ETags and cached responses on the version before it.
    bumps = state["data_version"] - prepared["data_version"]
    if bumps != len(history):
        history_failures.append(
            f"data version went up {bumps} times for {len(history)} committed saves"
        )
    if not load.acks:
        history_failures.append("no write was acknowledged")
    return [
        (
            f"no errors: every response as expected, no connection errors, no 429/5xx "
            f"({sum(len(r.samples) for r in load.recorders)} requests)",
            limited(errors, "errors"),
        ),
        (
            f"server log: no errors, 5xx answers, worker timeouts or tracebacks "
            f"({log_path.relative_to(ROOT)})",
            limited(log_problems, "server log"),
        ),
        (
            f"no lost writes: every observation's note is its last acknowledged write in "
            f"history order, history order agrees with real time ({len(final)} observations, "
            f"{len({ack.pk for ack in load.acks})} written)",
            limited(check_final_notes(load.acks, history, initial, final), "lost writes"),
        ),
        (
            "saves changed nothing but notes (every other column as before the run)",
            limited(check_unchanged(prepared["fields"], state["fields"]), "columns"),
        ),
        (
            f"history: each of {len(load.acks)} acknowledged writes exactly once in "
            f"stats_historicalobservation with its analyst, one admin log entry each, one "
            f"data version per committed save, nothing else recorded ({len(history)} history "
            "rows checked)",
            limited(history_failures, "history"),
        ),
        (
            f"API after the run: details (on new connections, and with a pre-run ETag), a list "
            f"page and CSV show the final notes ({api_reads} reads)",
            limited(api_failures, "API"),
        ),
    ]
