#!/usr/bin/env python3
"""Development tasks; needs nothing but Python >= 3.11.

usage:
  python3 dev.py serve                  set up .venv, migrate, load the InterSpiN demo data and
                                        run the development server on http://127.0.0.1:8000/
                                        with the background task worker (db_worker) beside it
  python3 dev.py test [PYTEST ARGS...]  set up .venv and run the tests
  python3 dev.py check [--non-fatal CHECK ...]
                                        ruff, ruff format --check, makemigrations --check,
                                        lint-imports (the layers), mypy

The virtual environment lives in .venv; dependencies are reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / "pyproject.sha256"  # hash of the pyproject.toml last installed

CHECKS: dict[str, list[str]] = {
    "ruff": ["-m", "ruff", "check", "."],
    "ruff-format": ["-m", "ruff", "format", "--check", "."],
    "migrations": ["manage.py", "makemigrations", "--check", "--dry-run"],
    # import-linter: the layers contracts in pyproject.toml (docs/architecture.md).
    "layers": ["-c", "import sys, importlinter.cli as c; sys.exit(c.lint_imports())"],
    "mypy": ["-m", "mypy", "."],
}


class Failed(Exception):
    """A step failed; the message says which."""


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(command: Sequence[str | Path], env: Mapping[str, str] | None = None) -> int:
    """Run *command* in the project directory and return its exit code."""
    return subprocess.run(
        [str(part) for part in command], cwd=ROOT, env=env, check=False
    ).returncode


def must(what: str, command: Sequence[str | Path], env: Mapping[str, str] | None = None) -> None:
    code = run(command, env)
    if code != 0:
        raise Failed(f"{what} failed (exit code {code})")


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    """Create .venv if needed, install the project into it if pyproject.toml changed; its python."""
    python = venv_python()
    if not python.exists():
        say("Creating the virtual environment in .venv…")
        must("Creating .venv", [sys.executable, "-m", "venv", "--clear", VENV])
    digest = hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return python
    say("Installing dependencies (pip install -e '.[test,dev]')…")
    STAMP.unlink(missing_ok=True)
    pip: list[str | Path] = [
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    must("Installing dependencies", [*pip, "--editable", ".[test,dev]"])
    STAMP.write_text(digest + "\n")
    return python


def serve(python: Path) -> int:
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    say("Migrating the database…")
    must("Migrating the database", [python, "manage.py", "migrate", "--noinput"], env)
    say("Loading the InterSpiN demo data…")
    must("Loading the demo data", [python, "manage.py", "load_interspin"], env)
    # The task worker runs beside the server, as in production, so large exports finish.
    say("Starting the background task worker (manage.py db_worker) beside the server…")
    worker = subprocess.Popen(
        [str(python), "manage.py", "db_worker", "--no-reload", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
    )
    try:
        say("Starting the server on http://127.0.0.1:8000/ (Ctrl+C stops it and the worker)…")
        return run([python, "manage.py", "runserver", "127.0.0.1:8000"], env)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def test(python: Path, pytest_args: Sequence[str]) -> int:
    say("Running the tests…")
    return run([python, "-m", "pytest", *pytest_args])


def check(python: Path, non_fatal: set[str]) -> int:
    # The settings (loaded by makemigrations and the mypy plugin) need a key when DEBUG is off.
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    results: dict[str, int] = {}
    for name, args in CHECKS.items():
        say(f"Checking {name}: {' '.join(args)}…")
        results[name] = run([python, *args], env)
    print()
    fatal = False
    for name, code in results.items():
        if code == 0:
            verdict = "ok"
        elif name in non_fatal:
            verdict = f"FAILED (exit code {code}; non-fatal)"
        else:
            verdict = f"FAILED (exit code {code})"
            fatal = True
        print(f"  {name:<12} {verdict}")
    return 1 if fatal else 0


def main(argv: Sequence[str] | None = None) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file may be run by any python3
        print("dev.py needs Python >= 3.11.", file=sys.stderr)
        return 2
    args = list(sys.argv[1:] if argv is None else argv)
    command, rest = (args[0], args[1:]) if args else ("", [])
    if command in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if command not in {"serve", "test", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    # Parse options before the (slow) setup; pytest's arguments go through untouched.
    non_fatal: set[str] = set()
    if command == "check":
        parser = argparse.ArgumentParser(prog="dev.py check")
        parser.add_argument(
            "--non-fatal",
            action="append",
            default=[],
            choices=CHECKS,
            metavar="CHECK",
            help=f"report CHECK's failure but do not fail; one of: {', '.join(CHECKS)}",
        )
        non_fatal = set(parser.parse_args(rest).non_fatal)
    elif command == "serve" and rest:
        print("dev.py serve takes no arguments.", file=sys.stderr)
        return 2
    try:
        python = ensure_venv()
        if command == "serve":
            return serve(python)
        if command == "test":
            return test(python, rest)
        return check(python, non_fatal)
    except Failed as failure:
        print(f"dev.py: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
