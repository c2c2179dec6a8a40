#!/usr/bin/env python3
"""Benchmark of the production server (not a test): issue 13's Performance table.

    python bench/serving.py --database postgres://USER:PW@127.0.0.1:5432/funding_bench
    python bench/serving.py --database ... --sizes 100 --workers 1 --duration 10   # a quick look

For each database size (number of applications) it recreates the database (the role needs
CREATEDB), migrates it, loads the InterSpiN demo and, when the command exists, grows it with
`manage.py seed_scale --applications N`; then for each gunicorn worker count it starts gunicorn
with the production settings (deploy/smoke.py) and runs bench/loadtest.py on one endpoint at a
time: the application list, an application's budget summary and a budget-line write, each for
``--duration`` seconds with ``--users`` concurrent users. Requests/s and p95 go into a table in
docs/benchmarks.md (between the serving-bench markers; ``--no-write`` only prints it), with the
goals: p95 within 1.5x from the smallest to the largest size, 4 workers at least 1.6x the
requests/s of 1 worker, no errors.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "deploy")]

import loadtest  # noqa: E402
import restore_check  # noqa: E402
import smoke  # noqa: E402

ENDPOINTS = ["application list", "budget summary", "budget-line write"]
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- serving-bench:start -->", "<!-- serving-bench:end -->"


def application_count(env: dict[str, str]) -> int:
    done = subprocess.run(
        [
            smoke.PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from applications.models import Application; print(Application.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def prepare(env: dict[str, str], database: str, size: int) -> tuple[int, str]:
    """A database with the demo and, if seed_scale exists, `size` applications; its count and a
    note when it could not be grown."""
    restore_check.recreate(database)
    smoke.manage(env, "migrate", "--noinput", "-v0")
    subprocess.run(
        [smoke.PYTHON, "manage.py", "load_interspin", "--force"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    count = application_count(env)
    note = ""
    if count < size:
        if smoke.has_command(env, "seed_scale"):
            smoke.manage(env, "seed_scale", "--applications", str(size - count))
            count = application_count(env)
        else:
            note = f"seed_scale is not installed (h-scale): {count} demo applications, not {size}"
            print(f"serving: {note}")
    return count, note


def measure(
    env: dict[str, str], base: str, port: int, workers: int, args: argparse.Namespace, log: Path
) -> dict[str, dict[str, Any]]:
    command = [smoke.PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    command += ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    figures: dict[str, dict[str, Any]] = {}
    with smoke.running(command, env, log) as server:
        smoke.wait_for_health(base, server)
        for endpoint in ENDPOINTS:
            results = loadtest.run(
                base, args.users, args.duration, forwarded_https=True, only=endpoint
            )
            row = results.table().get(endpoint, {"requests": 0})
            row["errors"] = results.server_errors() + len(results.failures)
            figures[endpoint] = row
            print(
                f"serving: {workers} worker(s), {endpoint}: {row.get('requests_per_s')} req/s, "
                f"p95 {row.get('p95_ms')} ms, {row['errors']} errors",
                flush=True,
            )
    return figures


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def table(
    runs: dict[int, dict[int, dict[str, dict[str, Any]]]],
    counts: dict[int, int],
    notes: list[str],
    args: argparse.Namespace,
) -> str:
    sizes, workers = sorted(runs), sorted(args.workers)
    lines = [
        START,
        f"### Serving on PostgreSQL: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/serving.py`: gunicorn (sync workers) on 127.0.0.1, {args.users} concurrent users "
        f"for {args.duration:g} s per endpoint (bench/loadtest.py, API token, one endpoint at a "
        "time), client and server on the same machine.",
        "",
        "| endpoint | applications | "
        + " | ".join(f"{w} worker{'s' if w > 1 else ''}: req/s | p95 ms" for w in workers)
        + " | errors |",
        "|---|---:|" + "---:|---:|" * len(workers) + "---:|",
    ]
    for endpoint in ENDPOINTS:
        for size in sizes:
            cells = []
            errors = 0
            for w in workers:
                row = runs[size][w][endpoint]
                cells += [str(row.get("requests_per_s", "–")), str(row.get("p95_ms", "–"))]
                errors += row["errors"]
            lines.append(
                f"| {endpoint} | {counts[size]:,} | " + " | ".join(cells) + f" | {errors} |"
            )
    lines += ["", "Goals:", ""]
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for endpoint in ENDPOINTS:
            for w in workers:
                p95 = ratio(
                    runs[large][w][endpoint].get("p95_ms"), runs[small][w][endpoint].get("p95_ms")
                )
                lines.append(
                    f"- {endpoint}, {w} worker(s): p95 at {counts[large]:,} / at "
                    f"{counts[small]:,} applications = {p95} (goal ≤ 1.5)"
                )
    if len(workers) > 1:
        low, high = workers[0], workers[-1]
        for endpoint in ENDPOINTS:
            for size in sizes:
                speedup = ratio(
                    runs[size][high][endpoint].get("requests_per_s"),
                    runs[size][low][endpoint].get("requests_per_s"),
                )
                lines.append(
                    f"- {endpoint}, {counts[size]:,} applications: req/s with {high} / with "
                    f"{low} worker(s) = {speedup} (goal ≥ 1.6)"
                )
    lines += [f"- Note: {note}" for note in notes]
    lines += ["", END]
    return "\n".join(lines)


def write(section: str) -> None:
    text = DOCS.read_text()
    if START in text and END in text:
        marked = re.escape(START) + ".*?" + re.escape(END)
        text = re.sub(marked, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Serving (issue 13)\n\n" + section + "\n"
    DOCS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgres:// URL (recreated)")
    parser.add_argument("--sizes", default="100,10000", help="applications, comma-separated")
    parser.add_argument("--workers", default="1,4", help="gunicorn workers, comma-separated")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30, help="seconds per endpoint")
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    args = parser.parse_args()
    args.workers = [int(w) for w in args.workers.split(",")]
    sizes = [int(s) for s in args.sizes.split(",")]

    runs: dict[int, dict[int, dict[str, dict[str, Any]]]] = {}
    counts: dict[int, int] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="funding-bench-") as directory:
        port = smoke.free_port()
        base = f"http://127.0.0.1:{port}"
        env = smoke.production_env(args.database, port, Path(directory))
        env["LOG_LEVEL"] = "WARNING"  # a request log line per request would slow the server
        smoke.manage(env, "collectstatic", "--noinput", "-v0")
        for size in sizes:
            counts[size], note = prepare(env, args.database, size)
            notes += [note] if note else []
            runs[size] = {
                w: measure(env, base, port, w, args, Path(directory) / f"gunicorn-{size}-{w}.log")
                for w in args.workers
            }
    section = table(runs, counts, notes, args)
    print(section)
    if not args.no_write:
        write(section)
        print(f"serving: written to {DOCS.relative_to(ROOT)}")
    errors = sum(row["errors"] for by in runs.values() for w in by.values() for row in w.values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
