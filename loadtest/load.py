"""The run itself: readers and writers together for a bounded time, then the final notes read
back through the API."""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from loadtest.base import API, HOST, REQUEST_TIMEOUT
from loadtest.checks import Ack
from loadtest.clients import Catalog, Clock, Reader, Recorder, Writer


@dataclass
class Load:
    """What the connections did."""

    seconds: float
    recorders: list[Recorder]
    acks: list[Ack]
    attempted: dict[str, int]
    version_regressions: int


def drive(
    port: int,
    catalog: Catalog,
    writers: list[Writer],
    readers: int,
    seconds: float,
    seed: int,
) -> Load:
    """Run the readers and writers together for ``seconds`` (after the writers have logged in)."""
    clock = Clock()
    workers: list[Reader | Writer] = [
        Reader(i + 1, port, catalog, seed * 1000 + i) for i in range(readers)
    ]
    workers += writers
    start = threading.Barrier(len(workers) + 1, action=lambda: clock.start(seconds))
    threads = [
        threading.Thread(target=worker.run, args=(start, clock), name=worker.recorder.name)
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    try:
        start.wait(timeout=120)
        started = time.monotonic()
        for thread in threads:
            thread.join(timeout=max(1.0, clock.deadline - time.monotonic()) + REQUEST_TIMEOUT * 2)
    finally:
        clock.stopped.set()
        with contextlib.suppress(threading.BrokenBarrierError):
            start.abort()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT * 2)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    recorders = [worker.recorder for worker in workers]
    if stuck:
        recorders[0].errors.append(f"connections still busy after the run: {stuck}")
    return Load(
        seconds=time.monotonic() - started,
        recorders=recorders,
        acks=[ack for writer in writers for ack in writer.acks],
        attempted={m: pk for writer in writers for m, pk in writer.attempted.items()},
        version_regressions=sum(
            worker.version_regressions for worker in workers if isinstance(worker, Reader)
        ),
    )


def read_note(port: int, api_id: str, headers: Mapping[str, str]) -> tuple[int, str | None]:
    """GET an observation's detail on a new connection: status and note."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", f"{API}/observations/{api_id}/", headers=dict(headers))
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        return response.status, None
    note: str = json.loads(body)["note"]
    return response.status, note


def capture_etags(port: int, api_ids: Iterable[str]) -> dict[str, str]:
    """The ETag of each observation's detail before the run."""
    etags = {}
    for api_id in api_ids:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("GET", f"{API}/observations/{api_id}/")
            response = connection.getresponse()
            response.read()
            etags[api_id] = response.headers.get("ETag", "")
        finally:
            connection.close()
    return etags


def check_api(
    port: int,
    catalog: Catalog,
    final: Mapping[int, str],
    written: Iterable[int],
    old_etags: Mapping[str, str],
    reads_each: int,
) -> tuple[list[str], int]:
    """After the run: every written observation's detail (on several new connections, so every
    worker answers, and once with its ETag from before the run), a whole list page and a CSV
    export show the final notes. The failures and how many reads were checked."""
    failures: list[str] = []
    reads = 0
    for pk in sorted(written):
        api_id = catalog.api_ids[pk]
        for attempt in range(reads_each + 1):
            headers = {"If-None-Match": old_etags[api_id]} if attempt == reads_each else {}
            try:
                status, note = read_note(port, api_id, headers)
            except (OSError, http.client.HTTPException, ValueError) as error:
                failures.append(f"API detail {api_id}: {type(error).__name__}: {error}")
                continue
            reads += 1
            if status != 200:
                how = " (with the ETag from before the run)" if headers else ""
                failures.append(f"API detail {api_id}{how}: {status}, expected 200")
            elif note != final[pk]:
                failures.append(
                    f"API detail {api_id} (observation {pk}): stale note {note!r}, "
                    f"the database has {final[pk]!r}"
                )
    by_api_id = {api_id: final[pk] for pk, api_id in catalog.api_ids.items()}
    for attempt in range(reads_each):
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            # Every figure: targets and every source's claim too (the list's defaults hide them).
            every = "status=any&rank=any"
            connection.request("GET", f"{API}/observations/?page_size=1000&{every}")
            page = json.loads(connection.getresponse().read())["results"]
            connection.request(
                "GET", f"{API}/observations/?{every}", headers={"Accept": "text/csv"}
            )
            text = connection.getresponse().read().decode("utf-8").lstrip("\ufeff")
        except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
            failures.append(f"API list/CSV read {attempt + 1}: {type(error).__name__}: {error}")
            continue
        finally:
            connection.close()
        reads += 2
        rows = [(item["id"], item["note"]) for item in page]
        rows_csv = [(row["id"], row["note"]) for row in csv.DictReader(io.StringIO(text))]
        for source, pairs in (("list page", rows), ("CSV", rows_csv)):
            if len(pairs) != len(by_api_id):
                failures.append(f"API {source}: {len(pairs)} observations, not {len(by_api_id)}")
            failures += [
                f"API {source}: {api_id} stale note {note!r}, the database has "
                f"{by_api_id.get(api_id)!r}"
                for api_id, note in pairs
                if by_api_id.get(api_id) != note
            ]
    return failures, reads
