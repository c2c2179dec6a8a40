#!/usr/bin/env python3
"""A bounded load test against a running server with the InterSpiN demo loaded (not a test).

    python bench/loadtest.py --base-url http://127.0.0.1:8000               # 20 users, 60 s
    python bench/loadtest.py --users 5 --duration 10 --only "budget summary"

Each virtual user is a thread with its own HTTP session and API token (POST /api/v1/auth/login/):
every fifth one is the demo's officer, the others are cluster managements. They loop without
pause over a weighted mix of

- ``application list``: GET /api/v1/applications/
- ``budget summary``: GET /api/v1/applications/<id>/budget/ (an application the user may see)
- ``round overview``: GET /api/v1/rounds/<id>/overview/ (the officer only)
- ``budget-line write``: PATCH /api/v1/budget-lines/<id>/ by a cluster management, moving one of
  its lines' eligible amount by one euro and back (lines found writable before the run)

and print requests/s, p50 and p95 per endpoint. Exit code 1 on any 5xx or connection error.

Threads and `requests` rather than locust: the workload is a few endpoints, the server is on the
loopback, and a page of code needs no gevent (which locust brings and which patches the standard
library). The client shares the machine with the server, so figures are for comparing runs.
``--forwarded-https`` sends ``X-Forwarded-Proto: https`` as the TLS proxy in front of a
production server would (SECURE_PROXY_SSL_HEADER, SECURE_SSL_REDIRECT).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

OFFICER = "officer"
# The demo's cluster managements (docs/demo.md); each password is "demo-" + the username.
MANAGERS = [
    "arena2036",
    "biom",
    "software-cluster",
    "hamburg-aviation",
    "its-owl",
    "medicalvalley",
    "optence",
    "deepsea",
    "merge",
    "leichtbau-bw",
]
ENDPOINTS = ["application list", "budget summary", "round overview", "budget-line write"]
OFFICER_MIX = {"application list": 3, "budget summary": 3, "round overview": 4}
MANAGER_MIX = {"application list": 35, "budget summary": 35, "budget-line write": 30}


class LoadTestError(Exception):
    pass


@dataclass
class Persona:
    username: str
    token: str
    applications: list[int]
    rounds: list[int] = field(default_factory=list)
    # (line id, its amount, the amount one euro lower): writes alternate between the two.
    lines: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class Results:
    started: float = field(default_factory=time.perf_counter)
    finished: float = 0.0
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, status: int, seconds: float) -> None:
        with self.lock:
            self.durations[endpoint].append(seconds)
            self.statuses[endpoint][status] += 1

    def fail(self, message: str) -> None:
        with self.lock:
            self.failures.append(message)

    def server_errors(self) -> int:
        return sum(n for by in self.statuses.values() for s, n in by.items() if s >= 500)

    def table(self) -> dict[str, dict[str, Any]]:
        elapsed = max(self.finished - self.started, 1e-9)
        rows = {}
        for endpoint in [*ENDPOINTS, "total"]:
            if endpoint == "total":
                durations = sorted(d for ds in self.durations.values() for d in ds)
                statuses: dict[int, int] = defaultdict(int)
                for by in self.statuses.values():
                    for status, n in by.items():
                        statuses[status] += n
            else:
                durations = sorted(self.durations.get(endpoint, []))
                statuses = self.statuses.get(endpoint, {})
            if not durations:
                continue
            rows[endpoint] = {
                "requests": len(durations),
                "requests_per_s": round(len(durations) / elapsed, 1),
                "p50_ms": round(percentile(durations, 50) * 1000, 1),
                "p95_ms": round(percentile(durations, 95) * 1000, 1),
                "statuses": {str(s): n for s, n in sorted(statuses.items())},
            }
        return rows


def percentile(ordered: list[float], p: int) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[rank - 1]


class Client:
    def __init__(self, base_url: str, forwarded_https: bool, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        if forwarded_https:
            self.session.headers["X-Forwarded-Proto"] = "https"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=60, **kwargs)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        if response.status_code != 200:
            raise LoadTestError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()


def every(client: Client, path: str, limit: int = 500) -> list[dict[str, Any]]:
    """The items of a paginated list (the API pages with next links), at most about `limit`:
    enough to choose from, also in a database of 10,000 applications."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    while url and len(items) < limit:
        page = client.json("GET", url)
        items += page["results"]
        url = page.get("next")
        if url:
            url = url.split(client.base_url.split("://", 1)[1], 1)[-1]
    return items


def log_in(base_url: str, forwarded_https: bool, username: str) -> Client:
    client = Client(base_url, forwarded_https)
    token = client.json(
        "POST", "/api/v1/auth/login/", json={"username": username, "password": f"demo-{username}"}
    )["token"]
    return Client(base_url, forwarded_https, token)


def writable_lines(client: Client, lines: list[dict[str, Any]], wanted: int) -> list[Any]:
    """Lines this user may change now: a PATCH to their own amount is accepted."""
    found = []
    for line in lines:
        amount = Decimal(line["eligible_amount"])
        if amount < 2:
            continue
        path = f"/api/v1/budget-lines/{line['id']}/"
        if client.call("PATCH", path, json={"eligible_amount": str(amount)}).status_code == 200:
            found.append((line["id"], str(amount), str(amount - 1)))
            if len(found) == wanted:
                break
    return found


def prepare(base_url: str, forwarded_https: bool) -> tuple[Persona, list[Persona]]:
    officer_client = log_in(base_url, forwarded_https, OFFICER)
    officer = Persona(
        OFFICER,
        str(officer_client.session.headers["Authorization"]).split()[1],
        [a["id"] for a in every(officer_client, "/api/v1/applications/")],
        rounds=[r["id"] for r in every(officer_client, "/api/v1/rounds/")],
    )
    managers = []
    for username in MANAGERS:
        client = log_in(base_url, forwarded_https, username)
        applications = [a["id"] for a in every(client, "/api/v1/applications/")]
        if not applications:
            continue
        lines = writable_lines(client, every(client, "/api/v1/budget-lines/"), wanted=5)
        token = str(client.session.headers["Authorization"]).split()[1]
        managers.append(Persona(username, token, applications, lines=lines))
    if not officer.applications or not officer.rounds or not managers:
        raise LoadTestError("the demo is not loaded: no applications, rounds or managements")
    if not any(m.lines for m in managers):
        raise LoadTestError("no cluster management has a budget line it may change")
    return officer, managers


def request_for(persona: Persona, endpoint: str, turn: int) -> tuple[str, str, Any]:
    if endpoint == "application list":
        return "GET", "/api/v1/applications/", None
    if endpoint == "budget summary":
        return "GET", f"/api/v1/applications/{random.choice(persona.applications)}/budget/", None
    if endpoint == "round overview":
        return "GET", f"/api/v1/rounds/{random.choice(persona.rounds)}/overview/", None
    line_id, amount, lower = random.choice(persona.lines)
    return (
        "PATCH",
        f"/api/v1/budget-lines/{line_id}/",
        {"eligible_amount": lower if turn % 2 else amount},
    )


def virtual_user(
    persona: Persona,
    mix: dict[str, int],
    base_url: str,
    forwarded_https: bool,
    deadline: float,
    results: Results,
) -> None:
    client = Client(base_url, forwarded_https, persona.token)
    endpoints, weights = list(mix), list(mix.values())
    turn = 0
    while time.perf_counter() < deadline:
        endpoint = random.choices(endpoints, weights)[0]
        method, path, body = request_for(persona, endpoint, turn)
        turn += 1
        started = time.perf_counter()
        try:
            response = client.call(method, path, json=body)
        except requests.RequestException as error:
            results.fail(f"{method} {path}: {error}")
            continue
        results.record(endpoint, response.status_code, time.perf_counter() - started)
        if response.status_code >= 500:
            results.fail(f"{method} {path}: {response.status_code}")


def cast(
    users: int, only: str | None, officer: Persona, managers: list[Persona]
) -> list[tuple[Persona, dict[str, int]]]:
    """Who each virtual user is and what it asks for."""
    writers = [m for m in managers if m.lines]
    chosen = []
    for i in range(users):
        if only == "round overview":
            chosen.append((officer, {only: 1}))
        elif only == "budget-line write":
            chosen.append((writers[i % len(writers)], {only: 1}))
        else:
            persona = officer if i % 5 == 0 else managers[i % len(managers)]
            mix = dict(OFFICER_MIX if persona is officer else MANAGER_MIX)
            if not persona.lines:
                mix.pop("budget-line write", None)
            chosen.append((persona, {only: 1} if only else mix))
    return chosen


def run(
    base_url: str,
    users: int = 20,
    duration: float = 60,
    forwarded_https: bool = False,
    only: str | None = None,
    say: Callable[[str], None] = print,
) -> Results:
    officer, managers = prepare(base_url, forwarded_https)
    writers = sum(1 for m in managers if m.lines)
    say(f"loadtest: {len(managers)} cluster managements with applications, {writers} writing")
    say(
        f"loadtest: {users} users for {duration:g} s against {base_url}"
        + (f", only {only}" if only else "")
    )
    results = Results()
    deadline = time.perf_counter() + duration
    threads = [
        threading.Thread(
            target=virtual_user,
            args=(persona, mix, base_url, forwarded_https, deadline, results),
            daemon=True,
        )
        for persona, mix in cast(users, only, officer, managers)
    ]
    results.started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.finished = time.perf_counter()
    return results


def report(results: Results, say: Callable[[str], None] = print) -> None:
    say(f"{'endpoint':<20} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for endpoint, row in results.table().items():
        statuses = ", ".join(f"{s}: {n}" for s, n in row["statuses"].items())
        say(
            f"{endpoint:<20} {row['requests']:>9} {row['requests_per_s']:>8} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8}  {statuses}"
        )
    for failure in results.failures[:20]:
        say(f"loadtest: FAILURE: {failure}")
    say(f"loadtest: {results.server_errors()} responses 5xx, {len(results.failures)} failures")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--only", choices=ENDPOINTS, help="one endpoint instead of the mix")
    parser.add_argument("--forwarded-https", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    try:
        results = run(args.base_url, args.users, args.duration, args.forwarded_https, args.only)
    except (LoadTestError, requests.RequestException) as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 1
    report(results)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results.table(), out, indent=2)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
