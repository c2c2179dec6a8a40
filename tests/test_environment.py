"""The test-environment plugin (tests/environment.py): real-part skips, CI failures, SECRET_KEY."""

from dataclasses import replace
from pathlib import Path

import pytest
from django.db import connection

from tests import environment

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent

# Inner runs load the plugin as pyproject does, but not pytest-django: Django is already set up in
# this process, and the plugin must not depend on it.
PLUGIN_ARGS = ("-p", "tests.environment", "-p", "no:django", "-rs")

NEEDS_PARTS = """
import pytest
from tests.environment import require_part

@pytest.mark.postgres
def test_postgres():
    pass

@pytest.mark.browser
def test_browser():
    pass

@pytest.mark.libreoffice
def test_libreoffice():
    pass

def test_helper():
    require_part("a flux capacitor", False, "borrow one from Doc Brown")

def test_ordinary_skip():
    pytest.skip("not a real part")
"""

HOW_TO_POSTGRES = (
    "*needs PostgreSQL: run `.ci/run`, or start a server and set "
    "DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/DBNAME*"
)


def set_parts_available(monkeypatch: pytest.MonkeyPatch, available: bool) -> None:
    for marker, part in environment.PARTS.items():
        monkeypatch.setitem(environment.PARTS, marker, replace(part, available=lambda: available))


def test_missing_parts_are_skipped_with_how_to_get_them(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    set_parts_available(monkeypatch, False)
    pytester.makepyfile(test_parts=NEEDS_PARTS)

    result = pytester.runpytest(*PLUGIN_ARGS)

    result.assert_outcomes(skipped=5)
    result.stdout.fnmatch_lines_random(
        [
            HOW_TO_POSTGRES,
            "*needs headless Chromium at /usr/bin/chromium: *apt-get install chromium*",
            "*needs LibreOffice (`soffice` on PATH): *apt-get install libreoffice-calc*",
            "*needs a flux capacitor: borrow one from Doc Brown*",
            "*not a real part*",
        ]
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_parts_fail_in_ci_but_other_skips_do_not(pytester, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    set_parts_available(monkeypatch, False)
    pytester.makepyfile(test_parts=NEEDS_PARTS)

    result = pytester.runpytest(*PLUGIN_ARGS)

    # Marked tests fail in setup (before any fixture), require_part() in the test body.
    result.assert_outcomes(errors=3, failed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines_random(
        [HOW_TO_POSTGRES, "*CI is set: a missing real part fails the run*", "*not a real part*"]
    )


def test_tests_run_when_their_parts_are_there(pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    set_parts_available(monkeypatch, True)
    pytester.makepyfile(test_parts=NEEDS_PARTS)

    result = pytester.runpytest(*PLUGIN_ARGS, "-k", "not helper and not ordinary")

    result.assert_outcomes(passed=3)


def test_ci_is_off_unless_the_variable_is_true(monkeypatch):
    for value in ("", "false", "0"):
        monkeypatch.setenv("CI", value)
        assert not environment.in_ci()
    monkeypatch.delenv("CI")
    assert not environment.in_ci()


def test_postgres_part_follows_the_default_database():
    assert environment.PARTS["postgres"].available() is (connection.vendor == "postgresql")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_tests_really_run_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        (version,) = cursor.fetchone()
    assert version >= 130000


def test_secret_key_is_set_before_django_reads_the_settings(pytester, monkeypatch):
    """Plain `pytest` with DEBUG off and no SECRET_KEY: the real settings must load."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_settings="def test_key(settings):\n    assert settings.SECRET_KEY\n")

    result = pytester.runpytest_subprocess(
        "-p", "tests.environment", "--ds=funding.settings", "-W", "error"
    )

    result.assert_outcomes(passed=1)
