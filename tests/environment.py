"""Pytest plugin that prepares the test environment; loaded first via ``-p tests.environment``.

1. A throw-away ``SECRET_KEY``: the settings refuse to start without one when DEBUG is off, and
   ``-p`` plugins are imported while pytest reads its arguments, before pytest-django loads the
   settings. So plain ``pytest`` works without exporting a secret.

2. Real parts: some tests need software that is not a Python package (PostgreSQL, headless
   Chromium, LibreOffice). Mark such tests ``@pytest.mark.postgres``, ``@pytest.mark.browser``
   or ``@pytest.mark.libreoffice``, or call :func:`require_part` in a test or fixture. A test
   whose part is missing is skipped with a message saying how to get the part; when the
   environment variable ``CI`` is true, it fails instead, so CI cannot pass without running it.
   Other skips are not affected.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# Before anything imports the Django settings (see the module docstring).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# Finished exports of the tests go to a directory of this run, never the project's private/
# (the export's FileField takes its storage when the model loads, so a fixture is too late).
os.environ.setdefault("PRIVATE_STORAGE_ROOT", tempfile.mkdtemp(prefix="funding-private-"))

CHROMIUM = Path("/usr/bin/chromium")


def in_ci() -> bool:
    """Whether this run is CI: the environment variable ``CI`` is true (``true``, ``1``, ...)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def require_part(name: str, available: bool, how_to_get: str) -> None:
    """Skip the current test unless the real part *name* is available; under CI, fail instead."""
    if available:
        return
    message = f"needs {name}: {how_to_get}"
    if in_ci():
        pytest.fail(f"{message} [CI is set: a missing real part fails the run]", pytrace=False)
    pytest.skip(message)


def postgres_available() -> bool:
    """Whether Django's default database is PostgreSQL."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections

    try:
        return connections["default"].vendor == "postgresql"
    except ImproperlyConfigured:  # Django not configured in this run
        return False


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def soffice_path() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass(frozen=True)
class Part:
    name: str
    how_to_get: str
    available: Callable[[], bool]


# Marker name -> real part the marked tests need.
PARTS: dict[str, Part] = {
    "postgres": Part(
        "PostgreSQL",
        "run `.ci/run`, or start a server and set "
        "DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/DBNAME (the role needs CREATEDB)",
        postgres_available,
    ),
    "browser": Part(
        f"headless Chromium at {CHROMIUM}",
        "run `.ci/run`, or install Debian's package: apt-get install chromium",
        chromium_available,
    ),
    "libreoffice": Part(
        "LibreOffice (`soffice` on PATH)",
        "run `.ci/run`, or install Debian's package: apt-get install libreoffice-calc",
        lambda: soffice_path() is not None,
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    # Declared in pyproject.toml; registered here too for runs without that file (pytester).
    declared = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    for marker, part in PARTS.items():
        if marker not in declared:
            config.addinivalue_line("markers", f"{marker}: needs {part.name}")


def pytest_report_header(config: pytest.Config) -> str:
    found = ", ".join(
        f"{marker}={'yes' if part.available() else 'no'}" for marker, part in PARTS.items()
    )
    return f"real parts: {found}; CI={'true' if in_ci() else 'false'}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # tryfirst: decide before fixtures (e.g. the test database) are set up.
    for marker, part in PARTS.items():
        if item.get_closest_marker(marker) is not None:
            require_part(part.name, part.available(), part.how_to_get)
