"""The load test's arithmetic and casting (bench/loadtest.py); the run itself is the smoke stage."""

import importlib.util
import sys

from .support import ROOT, environment, run


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


loadtest = load("loadtest", "bench/loadtest.py")


def test_nearest_rank_percentiles():
    ordered = [i / 1000 for i in range(1, 101)]
    assert loadtest.percentile(ordered, 50) == 0.05
    assert loadtest.percentile(ordered, 95) == 0.095
    assert loadtest.percentile([0.3], 95) == 0.3


def test_a_5xx_counts_as_a_server_error_and_the_table_has_every_endpoint():
    results = loadtest.Results()
    results.record("application list", 200, 0.010)
    results.record("application list", 502, 0.020)
    results.record("budget-line write", 400, 0.030)
    results.finished = results.started + 2
    assert results.server_errors() == 1
    table = results.table()
    assert table["application list"]["statuses"] == {"200": 1, "502": 1}
    assert table["application list"]["requests_per_s"] == 1.0
    assert table["total"]["requests"] == 3
    assert "round overview" not in table


def test_the_cast_mixes_officers_and_managements_and_honours_only():
    officer = loadtest.Persona("officer", "t0", [1], rounds=[1])
    reader = loadtest.Persona("biom", "t1", [2])
    writer = loadtest.Persona("arena2036", "t2", [3], lines=[(9, "10.00", "9.00")])
    cast = loadtest.cast(10, None, officer, [reader, writer])
    assert [p.username for p, _ in cast].count("officer") == 2
    assert all("budget-line write" not in mix for p, mix in cast if p is reader)
    assert any("budget-line write" in mix for p, mix in cast if p is writer)
    assert all(p is officer for p, _ in loadtest.cast(3, "round overview", officer, [reader]))
    writes = loadtest.cast(3, "budget-line write", officer, [reader, writer])
    assert all(p is writer and mix == {"budget-line write": 1} for p, mix in writes)


def test_gunicorn_config_loads_the_application():
    done = run(
        ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--check-config"],
        environment(DEBUG="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
