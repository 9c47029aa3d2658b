"""The checks that decide whether a run lost a write: pure functions over what the writers were
told (acknowledged writes) and what the database recorded (history, notes, admin log)."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loadtest.base import SHOWN


@dataclass(frozen=True)
class Ack:
    """A write the server acknowledged: a 302 to the change list after saving ``marker``."""

    writer: int
    user: str
    pk: int
    marker: str
    sent_at: float
    acked_at: float


@dataclass(frozen=True)
class HistoryRow:
    """One row of ``stats_historicalobservation`` made during the run."""

    history_id: int
    pk: int
    note: str
    user: str | None
    type: str
    date: str


def limited(failures: list[str], check: str) -> list[str]:
    """At most ``SHOWN`` failures, then how many more there were."""
    if len(failures) <= SHOWN:
        return failures
    return [*failures[:SHOWN], f"… and {len(failures) - SHOWN} more ({check})"]


def check_history(
    acks: Sequence[Ack], attempted: Mapping[str, int], history: Sequence[HistoryRow]
) -> list[str]:
    """Every acknowledged write is in history exactly once, as a change (``~``) of its
    observation by its analyst, and every history row made during the run is such a write.
    ``attempted`` maps every marker a writer sent to its observation (acknowledged or not)."""
    failures: list[str] = []
    by_marker = {ack.marker: ack for ack in acks}
    seen: Counter[str] = Counter()
    for row in history:
        ack = by_marker.get(row.note)
        if ack is None:
            if row.note in attempted:
                failures.append(
                    f"history {row.history_id}: write {row.note!r} to observation {row.pk} "
                    "was committed but never acknowledged"
                )
            else:
                failures.append(
                    f"history {row.history_id}: observation {row.pk} changed ({row.type}) to "
                    f"note {row.note[:60]!r}, which no writer sent"
                )
            continue
        seen[row.note] += 1
        if row.type != "~":
            failures.append(f"history {row.history_id}: type {row.type!r} for {row.note!r}")
        if row.pk != ack.pk:
            failures.append(
                f"history {row.history_id}: {row.note!r} recorded on observation {row.pk}, "
                f"written to {ack.pk}"
            )
        if row.user != ack.user:
            failures.append(
                f"history {row.history_id}: {row.note!r} recorded as by {row.user!r}, "
                f"written by {ack.user!r}"
            )
    for ack in acks:
        count = seen[ack.marker]
        if count == 0:
            failures.append(
                f"acknowledged write {ack.marker!r} to observation {ack.pk} is not in history"
            )
        elif count > 1:
            failures.append(f"acknowledged write {ack.marker!r} is in history {count} times")
    return failures


def check_final_notes(
    acks: Sequence[Ack],
    history: Sequence[HistoryRow],
    initial: Mapping[int, str],
    final: Mapping[int, str],
) -> list[str]:
    """No lost writes: each observation's note is that of its last change in history, which is
    an acknowledged write, or its note before the run if it has none; history order agrees with
    real time (a write acknowledged before another was sent is recorded before it) and with
    history dates."""
    failures: list[str] = []
    by_marker = {ack.marker: ack for ack in acks}
    rows_by_pk: dict[int, list[HistoryRow]] = defaultdict(list)
    for row in history:
        rows_by_pk[row.pk].append(row)
    acked_pks = {ack.pk for ack in acks}
    for pk in sorted(set(initial) | set(final)):
        rows = sorted(rows_by_pk.get(pk, []), key=lambda row: row.history_id)
        note = final.get(pk)
        if note is None:
            failures.append(f"observation {pk} is gone")
            continue
        acked_rows = [row for row in rows if row.note in by_marker]
        if rows and note != rows[-1].note:
            failures.append(
                f"observation {pk}: note {note[:60]!r}, but its last change in history is "
                f"{rows[-1].note!r} (lost write)"
            )
        elif rows and rows[-1].note not in by_marker:
            last = repr(acked_rows[-1].note) if acked_rows else "none"
            failures.append(
                f"observation {pk}: note {note[:60]!r} is from a write that was not "
                f"acknowledged (the last acknowledged one in history: {last})"
            )
        elif not rows and pk in acked_pks:
            failures.append(f"observation {pk}: acknowledged writes but no history of them")
        elif not rows and note != initial.get(pk):
            failures.append(
                f"observation {pk}: note changed to {note[:60]!r} without an acknowledged write"
            )
        dates = [datetime.fromisoformat(row.date) for row in rows]
        if any(later < earlier for earlier, later in itertools.pairwise(dates)):
            failures.append(f"observation {pk}: history ids and history dates disagree on order")
        # Real time: scanning in history order, no earlier-recorded write may have been sent
        # after this one was acknowledged.
        latest_sent = -math.inf
        latest_marker = ""
        for row in acked_rows:
            ack = by_marker[row.note]
            if latest_sent > ack.acked_at:
                failures.append(
                    f"observation {pk}: {ack.marker!r} was acknowledged before {latest_marker!r} "
                    "was sent, yet history records it first"
                )
            if ack.sent_at > latest_sent:
                latest_sent, latest_marker = ack.sent_at, ack.marker
    return failures


def check_unchanged(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """The saves changed nothing but notes: every other column of every observation is as it
    was before the run (a form read or sent wrongly would change one quietly)."""
    failures = []
    for pk, columns in sorted(before.items(), key=lambda item: int(item[0])):
        now = after.get(pk, {})
        failures += [
            f"observation {pk}: {name} changed from {value!r} to {now.get(name)!r}"
            for name, value in columns.items()
            if now.get(name) != value
        ]
    return failures


def check_admin_log(acks: Sequence[Ack], entries: Mapping[str, int]) -> list[str]:
    """One admin log entry (a change of an observation) per acknowledged write, per analyst."""
    expected = Counter(ack.user for ack in acks)
    return [
        f"admin log: {entries.get(user, 0)} change entries by {user}, {expected.get(user, 0)} "
        "acknowledged writes"
        for user in sorted(set(expected) | set(entries))
        if entries.get(user, 0) != expected.get(user, 0)
    ]


def overlapping_writes(acks: Sequence[Ack]) -> int:
    """How many acknowledged writes were in flight at once with another write to the same row."""
    by_pk: dict[int, list[Ack]] = defaultdict(list)
    for ack in acks:
        by_pk[ack.pk].append(ack)
    overlapping = 0
    for writes in by_pk.values():
        writes.sort(key=lambda ack: ack.sent_at)
        for i, ack in enumerate(writes):
            before = any(other.acked_at > ack.sent_at for other in writes[:i])
            after = i + 1 < len(writes) and writes[i + 1].sent_at < ack.acked_at
            overlapping += before or after
    return overlapping
