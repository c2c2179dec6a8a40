"""A production server without `collectstatic` refuses to start; with it and the documented
settings, `check --deploy --fail-level WARNING` is clean."""

from .support import PRODUCTION_ENV, environment, run

IMPORT_WSGI = "import funding.wsgi"


def test_gunicorn_entry_point_refuses_to_start_without_collectstatic(tmp_path):
    env = environment(**PRODUCTION_ENV, STATIC_ROOT=str(tmp_path / "empty"))
    done = run(["-c", IMPORT_WSGI], env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "run `manage.py collectstatic --noinput`" in done.stderr
    assert str(tmp_path / "empty" / "staticfiles.json") in done.stderr


def test_check_deploy_names_the_missing_collectstatic(tmp_path):
    env = environment(**PRODUCTION_ENV, STATIC_ROOT=str(tmp_path / "empty"))
    done = run(["manage.py", "check", "--deploy"], env)
    assert done.returncode != 0
    assert "ops.E001" in done.stderr
    assert "collectstatic" in done.stderr


def test_the_demo_needs_no_collectstatic(tmp_path):
    done = run(["-c", IMPORT_WSGI], environment(DEBUG="1", STATIC_ROOT=str(tmp_path / "empty")))
    assert done.returncode == 0, done.stderr


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path):
    env = environment(**PRODUCTION_ENV, STATIC_ROOT=str(tmp_path / "static"))
    collected = run(["manage.py", "collectstatic", "--noinput", "-v0"], env)
    assert collected.returncode == 0, collected.stderr
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
    # And the WSGI entry point starts.
    assert run(["-c", IMPORT_WSGI], env).returncode == 0


def test_gunicorn_stops_at_start_without_collectstatic(tmp_path):
    """deploy/gunicorn.conf.py loads the application in the master: the reason, then an exit."""
    env = environment(**PRODUCTION_ENV, STATIC_ROOT=str(tmp_path / "empty"))
    done = run(["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--check-config"], env)
    assert done.returncode != 0
    assert "run `manage.py collectstatic --noinput`" in done.stdout + done.stderr
