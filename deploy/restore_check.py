#!/usr/bin/env python3
"""Backup restore drill: dump a database with pg_dump, restore it into a new database with
pg_restore, and check that both hold the same: the row count of every table and every
application's budget figures (budgets.selectors.budget_summaries). docs/operations.md.

    python deploy/restore_check.py --source postgres://USER:PW@HOST:5432/funding \
        --target postgres://USER:PW@HOST:5432/funding_restore_check

The target database is dropped and created anew (the role needs CREATEDB); the dump is the same
custom-format file (`pg_dump -Fc`) the nightly backup writes. Exit code 0 when everything matches.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def libpq_env(url: str) -> tuple[dict[str, str], str]:
    """The PG* variables for a postgres:// URL (no password on a command line), and its name."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"restore_check: {url!r} is not a postgres:// URL")
    env = dict(os.environ)
    env.update(
        PGHOST=parts.hostname or "localhost",
        PGPORT=str(parts.port or 5432),
        PGUSER=unquote(parts.username or ""),
        PGPASSWORD=unquote(parts.password or ""),
        PGOPTIONS="-c client_min_messages=warning",
    )
    return env, parts.path.lstrip("/")


def recreate(url: str) -> None:
    env, name = libpq_env(url)
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql],
            env=env,
            check=True,
        )


def dump_and_restore(source: str, target: str, dump: Path) -> None:
    env, name = libpq_env(source)
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), "-d", name], env=env, check=True
    )
    recreate(target)
    env, name = libpq_env(target)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(dump)], env=env, check=True
    )


def fingerprint(url: str) -> dict[str, Any]:
    """Counts and budget figures of the database at `url`, from a process of its own (Django reads
    its settings once per process)."""
    env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="WARNING")
    env.setdefault("SECRET_KEY", "restore-check-only")
    done = subprocess.run(
        [sys.executable, __file__, "--fingerprint"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"restore_check: reading {urlsplit(url).path} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout))


def print_fingerprint() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "funding.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from applications.models import Application
    from budgets.selectors import budget_summaries

    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    applications = list(
        Application.objects.select_related("round__programme", "cluster__management_organisation")
    )
    budgets = {
        str(pk): dataclasses.asdict(summary)
        for pk, summary in budget_summaries(applications).items()
    }
    print(json.dumps({"counts": counts, "budgets": budgets}, default=str, sort_keys=True))


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = [
        f"table {table}: {before['counts'].get(table)} rows before, "
        f"{after['counts'].get(table)} after"
        for table in sorted(before["counts"].keys() | after["counts"].keys())
        if before["counts"].get(table) != after["counts"].get(table)
    ]
    found += [
        f"application {pk}: budget figures differ"
        for pk in sorted(before["budgets"].keys() | after["budgets"].keys(), key=int)
        if before["budgets"].get(pk) != after["budgets"].get(pk)
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", help="postgres:// URL of the database to back up")
    parser.add_argument("--target", help="postgres:// URL of the database to restore into")
    parser.add_argument("--fingerprint", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fingerprint:
        print_fingerprint()
        return 0
    if not (args.source and args.target):
        parser.error("--source and --target are required")
    if libpq_env(args.source)[1] == libpq_env(args.target)[1]:
        parser.error("--target must name another database than --source")
    before = fingerprint(args.source)
    with tempfile.TemporaryDirectory() as directory:
        dump = Path(directory) / "funding.dump"
        dump_and_restore(args.source, args.target, dump)
        size = dump.stat().st_size
    after = fingerprint(args.target)
    found = differences(before, after)
    rows = sum(before["counts"].values())
    print(
        f"restore_check: dump of {size:,} bytes; {len(before['counts'])} tables, {rows:,} rows, "
        f"{len(before['budgets'])} application budgets compared"
    )
    if not before["budgets"]:
        print("restore_check: FAILED: the source holds no applications to compare")
        return 1
    for line in found:
        print(f"restore_check: MISMATCH: {line}")
    print("restore_check: " + ("FAILED" if found else "OK: counts and budget totals match"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
