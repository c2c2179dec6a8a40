#!/usr/bin/env python3
"""Flat at any size: the officer's pages, the lists and the export at 100 and at 10,000
applications, side by side in one run (not a test).

    python bench/scale.py --database postgres://USER:PW@127.0.0.1:5432/funding_scale
    python bench/scale.py --database ... --sizes 100,10000 --requests 40 --reuse

For each size it makes the database ``<name>_<size>`` (recreated unless ``--reuse`` finds it grown
already; the role needs CREATEDB): migrate, the InterSpiN demo, then ``manage.py seed_scale`` up to
the size in 10 new rounds (about 100 budget lines per application: a million at 10,000; at the small
size the first new round gets 50 applications, so the largest round's pages show as many rows at
both sizes). It counts each request's queries in-process (Django's test client on that database),
starts gunicorn with the production settings (deploy/smoke.py; 4 workers × 4 threads) on each
database at once, and sends the same requests to both, alternating, one at a time: p50 and p95 per
request and size, and big/small ratios (goal: p95 ratio ≤ 1.5, equal query counts). The flat CSV
export is measured to its first byte (goal: within a second at a million lines). The table goes into
docs/benchmarks.md between the scale-bench markers (``--no-write`` only prints it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "deploy")]

import restore_check  # noqa: E402
import smoke  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- scale-bench:start -->", "<!-- scale-bench:end -->"
LINES_PER_APPLICATION = 100
# New rounds the seeded applications go into, at every size: both databases have as many rounds,
# so a difference comes from the applications alone.
ROUNDS = 10
# The largest round fills the API's first page (50 rows) at every size, so the round's pages
# compare the same number of rows: at the small size the first new round gets this many and the
# other nine share the rest.
FULL_PAGE = 50

# What is measured: label, and the path given the ids the database answers with (``targets``).
REQUESTS: list[tuple[str, Callable[[dict[str, int]], str]]] = [
    ("page /rounds/<id>/ (largest round)", lambda t: f"/rounds/{t['round']}/"),
    ("page /rounds/", lambda t: "/rounds/"),
    ("page /applications/", lambda t: "/applications/"),
    ("API /budget-lines/", lambda t: "/api/v1/budget-lines/"),
    ("API /applications/", lambda t: "/api/v1/applications/"),
    ("API budget summary", lambda t: f"/api/v1/applications/{t['application']}/budget/"),
    ("API round overview", lambda t: f"/api/v1/rounds/{t['round']}/overview/"),
    (
        "API round applications (page 1)",
        lambda t: f"/api/v1/rounds/{t['round']}/overview/applications/",
    ),
]
EXPORT = "/api/v1/budget-lines/export.csv"

# Run in a subprocess on one database: the ids to ask for and each request's query count.
COUNTER = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from applications.models import Application
from programmes.models import Round

largest = Round.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
application = Application.objects.filter(budget_lines__isnull=False).order_by("pk").first()
targets = {"round": largest.pk, "application": application.pk}
client = Client(SERVER_NAME="127.0.0.1")
client.force_login(get_user_model().objects.get(username="officer"))
counts = {}
for label, path in PATHS(targets):
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, secure=True)
        if response.streaming:
            for _chunk in response.streaming_content:
                break
    counts[label] = [response.status_code, len(queries)]
print("SCALE-BENCH " + json.dumps({"targets": targets, "counts": counts,
    "applications": Application.objects.count(),
    "lines": Application.objects.aggregate(n=Count("budget_lines"))["n"]}))
"""


def django_answer(env: dict[str, str]) -> dict[str, Any]:
    paths = "def PATHS(t):\n    return [\n" + "".join(
        f"        ({label!r}, {source}),\n" for label, source in _path_sources()
    )
    script = paths + "    ]\n" + COUNTER
    done = subprocess.run(
        [smoke.PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"counting the queries failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("SCALE-BENCH "))
    return dict(json.loads(line.removeprefix("SCALE-BENCH ")))


def _path_sources() -> list[tuple[str, str]]:
    """The request paths as expressions of ``t`` (the targets), for the counting script."""
    sources = []
    for label, path in REQUESTS:
        sample = path({"round": 111111, "application": 222222})
        expression = "f" + repr(
            sample.replace("111111", "{t['round']}").replace("222222", "{t['application']}")
        )
        sources.append((label, expression))
    sources.append(("flat export (first chunk)", repr(EXPORT)))
    return sources


def prepare(base_env: dict[str, str], database: str, size: int, reuse: bool) -> dict[str, str]:
    env = {**base_env, "DATABASE_URL": database}
    if reuse:
        try:
            smoke.manage(env, "migrate", "--noinput", "-v0")
            found = django_answer(env)
            if found["applications"] >= size:
                print(f"scale: reusing {database.rsplit('/', 1)[1]} ({found['applications']:,})")
                return env
        except (RuntimeError, smoke.SmokeFailure):
            pass
    restore_check.recreate(database)
    smoke.manage(env, "migrate", "--noinput", "-v0")
    smoke.manage(env, "load_interspin", "--force")
    count = django_answer(env)["applications"]
    if count < size:
        started = time.monotonic()
        missing = size - count
        batches = [(missing, ROUNDS)]
        if missing // ROUNDS < FULL_PAGE:
            batches = [(FULL_PAGE, 1), (missing - FULL_PAGE, ROUNDS - 1)]
        for applications, rounds in batches:
            smoke.manage(
                env,
                "seed_scale",
                "--applications",
                str(applications),
                "--rounds",
                str(rounds),
                "--lines",
                str(LINES_PER_APPLICATION),
            )
        print(f"scale: seeded {missing:,} applications in {time.monotonic() - started:.0f} s")
    _analyze(database)
    return env


def _analyze(database: str) -> None:
    """Fresh planner statistics, as autovacuum would give a database that grew over months."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("ANALYZE")


def log_in(base: str) -> tuple[requests.Session, requests.Session]:
    """A portal session of the demo's officer (login form with CSRF) and an API session."""
    https = base.replace("http://", "https://")
    page = smoke.browser()
    form = page.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None, "the login form has a CSRF token"
    done = page.post(
        f"{base}/accounts/login/",
        data={"username": "officer", "password": "demo-officer", "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{https}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 302, f"the officer logs in: {done.status_code}"
    api = smoke.browser()
    answer = api.post(
        f"{base}/api/v1/auth/login/",
        json={"username": "officer", "password": "demo-officer"},
        timeout=30,
    )
    api.headers["Authorization"] = f"Token {answer.json()['token']}"
    return page, api


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[max(1, -(-len(ordered) * p // 100)) - 1]


def timed(session: requests.Session, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = session.get(url, timeout=600)
    return time.perf_counter() - started, response.status_code


def first_bytes(session: requests.Session, url: str) -> tuple[float, float, int]:
    """Seconds to the export's first byte (its header line) and to its first 64 KB of rows."""
    started = time.perf_counter()
    with session.get(url, stream=True, timeout=600) as response:
        received, first = 0, None
        for chunk in response.iter_content(chunk_size=None):  # as the server sends them
            if first is None and chunk:
                first = time.perf_counter() - started
            received += len(chunk)
            if received >= 64 * 1024:
                break
        return first or 0.0, time.perf_counter() - started, response.status_code


def measure(
    bases: dict[int, str], answers: dict[int, dict[str, Any]], rounds: int
) -> dict[str, dict[int, dict[str, Any]]]:
    sessions = {size: log_in(base) for size, base in bases.items()}
    results: dict[str, dict[int, dict[str, Any]]] = {}
    plan = [
        (label, path, "page" if label.startswith("page") else "api") for label, path in REQUESTS
    ]
    for label, path, kind in plan:
        durations: dict[int, list[float]] = {size: [] for size in bases}
        statuses: dict[int, set[int]] = {size: set() for size in bases}
        for turn in range(rounds + 3):  # three to warm each worker's caches
            for size, base in bases.items():
                session = sessions[size][0 if kind == "page" else 1]
                seconds, status = timed(session, base + path(answers[size]["targets"]))
                statuses[size].add(status)
                if turn >= 3:
                    durations[size].append(seconds)
        results[label] = {
            size: {
                "p50": percentile(durations[size], 50) * 1000,
                "p95": percentile(durations[size], 95) * 1000,
                "statuses": sorted(statuses[size]),
                "queries": answers[size]["counts"][label][1],
            }
            for size in bases
        }
        print(
            f"scale: {label}: "
            + ", ".join(
                f"{size:,}: p95 {row['p95']:.0f} ms" for size, row in results[label].items()
            ),
            flush=True,
        )
    labels = ("flat export, first byte", "flat export, first 64 KB of rows")
    firsts: dict[str, dict[int, list[float]]] = {
        label: {size: [] for size in bases} for label in labels
    }
    codes: dict[int, set[int]] = {size: set() for size in bases}
    for _turn in range(3):
        for size, base in bases.items():
            first, rows, status = first_bytes(sessions[size][1], base + EXPORT)
            firsts[labels[0]][size].append(first)
            firsts[labels[1]][size].append(rows)
            codes[size].add(status)
    for label in labels:
        results[label] = {
            size: {
                "p50": percentile(firsts[label][size], 50) * 1000,
                "p95": max(firsts[label][size]) * 1000,
                "statuses": sorted(codes[size]),
                "queries": answers[size]["counts"]["flat export (first chunk)"][1],
            }
            for size in bases
        }
    return results


def table(
    results: dict[str, dict[int, dict[str, Any]]], answers: dict[int, Any], rounds: int
) -> str:
    small, big = min(answers), max(answers)
    a, b = answers[small], answers[big]
    lines = [
        START,
        f"### Flat at any size: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/scale.py`: PostgreSQL, gunicorn 4 workers × 4 threads per database with the "
        f"production settings, both at once; the demo's officer; {rounds} requests per row and "
        "size, alternating between the two databases, one at a time (client and servers on the "
        f"same machine). Small: {a['applications']:,} applications, {a['lines']:,} budget lines; "
        f"big: {b['applications']:,} applications, {b['lines']:,} budget lines.",
        "",
        "| request | queries small → big | p50 ms small → big | p95 ms small → big | p95 ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    worst = 0.0
    for label, by_size in results.items():
        s, g = by_size[small], by_size[big]
        ratio = g["p95"] / s["p95"] if s["p95"] else float("inf")
        if not label.startswith("flat export"):
            worst = max(worst, ratio)
        lines.append(
            f"| {label} | {s['queries']} → {g['queries']} | {s['p50']:.0f} → {g['p50']:.0f} | "
            f"{s['p95']:.0f} → {g['p95']:.0f} | {ratio:.2f} |"
        )
    export = results["flat export, first byte"][big]
    rows = results["flat export, first 64 KB of rows"][big]
    lines += [
        "",
        f"Goals: every p95 ratio ≤ 1.5 (worst here, the export aside: {worst:.2f}); equal query "
        f"counts; the flat export's first byte within a second at {b['lines']:,} lines (slowest "
        f"of three here: {export['p95']:.0f} ms; its first rows followed after "
        f"{rows['p95']:.0f} ms, the database sorting the lines by programme, round, cluster "
        "and grantee name first). For the export rows the p95 column is the slowest of three.",
        "",
        END,
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    text = DOCS.read_text()
    if START in text and END in text:
        marked = re.escape(START) + ".*?" + re.escape(END)
        text = re.sub(marked, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Flat at any size (issue 18)\n\n" + section + "\n"
    DOCS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgres:// URL; _<size> is appended")
    parser.add_argument("--sizes", default="100,10000", help="applications, comma-separated")
    parser.add_argument("--requests", type=int, default=40, help="per request and size")
    parser.add_argument("--reuse", action="store_true", help="keep databases already grown")
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="funding-scale-") as directory, ExitStack() as stack:
        ports = {size: smoke.free_port() for size in sizes}
        base_env = smoke.production_env(args.database, 0, Path(directory))
        base_env.update(LOG_LEVEL="WARNING", EXPORT_BACKGROUND_LINES="20000")
        smoke.manage(base_env, "collectstatic", "--noinput", "-v0")  # the pages link it
        envs, answers, bases = {}, {}, {}
        for size in sizes:
            env = prepare(base_env, f"{args.database}_{size}", size, args.reuse)
            env["CSRF_TRUSTED_ORIGINS"] = f"https://127.0.0.1:{ports[size]}"
            envs[size] = env
            answers[size] = django_answer(env)
            print(f"scale: {size:,}: {json.dumps(answers[size]['counts'])}", flush=True)
        smoke.manage(
            base_env | {"DATABASE_URL": envs[sizes[0]]["DATABASE_URL"]},
            "collectstatic",
            "--noinput",
            "-v0",
        )
        for size in sizes:
            command = [smoke.PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
            command += ["--workers", "4", "--threads", "4", "--bind", f"127.0.0.1:{ports[size]}"]
            log = Path(directory) / f"gunicorn-{size}.log"
            server = stack.enter_context(smoke.running(command, envs[size], log))
            bases[size] = f"http://127.0.0.1:{ports[size]}"
            smoke.wait_for_health(bases[size], server)
        results = measure(bases, answers, args.requests)
    section = table(results, answers, args.requests)
    print(section)
    if not args.no_write:
        write(section)
        print(f"scale: written to {DOCS.relative_to(ROOT)}")
    failed = [
        label
        for label, by_size in results.items()
        for row in by_size.values()
        if any(status >= 400 for status in row["statuses"])
    ]
    if failed:
        print(f"scale: error answers in {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
