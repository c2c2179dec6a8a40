"""The backup restore drill (deploy/restore_check.py)."""

import importlib.util
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from .support import ROOT, environment, run

SCRIPT = ROOT / "deploy" / "restore_check.py"


def load_script():
    spec = importlib.util.spec_from_file_location("restore_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_differences_name_the_table_and_the_application():
    restore_check = load_script()
    before = {"counts": {"a": 3, "b": 1}, "budgets": {"7": {"total": "10.00"}, "9": {}}}
    after = {"counts": {"a": 2, "b": 1}, "budgets": {"7": {"total": "10.01"}, "9": {}}}
    assert restore_check.differences(before, after) == [
        "table a: 3 rows before, 2 after",
        "application 7: budget figures differ",
    ]
    assert restore_check.differences(before, before) == []


def test_refuses_a_target_that_is_the_source():
    url = "postgres://u:p@127.0.0.1:5432/funding"
    done = run([str(SCRIPT), "--source", url, "--target", url], environment(DEBUG="1"))
    assert done.returncode == 2
    assert "--target must name another database" in done.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore")
def test_the_demo_survives_dump_and_restore():
    call_command("load_interspin", force=True, verbosity=0)
    db = connection.settings_dict
    base = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}"
    source, target = f"{base}/{db['NAME']}", f"{base}/{db['NAME']}_restore_check"
    done = run([str(SCRIPT), "--source", source, "--target", target], environment(DEBUG="1"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: counts and budget totals match" in done.stdout
    assert "application budgets compared" in done.stdout
