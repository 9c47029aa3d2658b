"""The report of `make bench`: every target, section by section, with its measured value, the
target, PASS or MISS and the figures it was computed from."""

from __future__ import annotations

from bench.harness import ROWS, Results

SECTIONS = {
    "commands": "Commands (whole command, interpreter start-up included)",
    "sqlite": "SQLite, the corpus: API uncached against Datasette and the hand-written view, req/s",
    "csv": "CSV export",
    "postgres": f"PostgreSQL, {ROWS:,} observations: p99 of one page, one connection",
}


def report(results: Results) -> str:
    lines = []
    for section, title in SECTIONS.items():
        checks = [c for c in results.checks if c.section == section]
        if not checks:
            continue
        lines += ["", title, f"{'measurement':<64} {'measured':>9} {'target':>9}  result  figures"]
        for c in checks:
            measured = f"{c.value:.2f}{c.unit if c.unit != 'yes' else ''}"
            if c.unit == "yes":
                measured = "yes" if c.value >= 1 else "no"
            target = f"{c.sense}{c.target:g}{c.unit if c.unit != 'yes' else ''}"
            verdict = "PASS" if c.met else "MISS"
            lines.append(f"{c.name:<64} {measured:>9} {target:>9}  {verdict:<6}  {c.detail}")
    missed = [c for c in results.checks if not c.met]
    lines += ["", f"{len(results.checks) - len(missed)} targets met, {len(missed)} missed"]
    return "\n".join(lines)
