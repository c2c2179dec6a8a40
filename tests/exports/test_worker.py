"""The real thing: the database backend queues the export, and `manage.py db_worker` builds it
(in-process on SQLite; as its own process on PostgreSQL, where it sees the committed job)."""

import os
import subprocess
import sys
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from health_check.exceptions import ServiceUnavailable
from openpyxl import load_workbook

from budgets.models import BudgetLine
from exports.health import TaskBacklogCheck
from exports.models import ExportJob
from exports.tasks import purge_exports
from kernel import clock

from ..api.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def in_process_worker() -> None:
    """`db_worker` in this process closes the connection when it is inside a transaction (as the
    test's is) unless it is SQLite's in-memory database; PostgreSQL runs the process test."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL, test_a_db_worker_process_builds_the_export_end_to_end runs")


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def ask_for_lines(manager) -> ExportJob:
    response = client_for(manager).get("/api/v1/budget-lines/export.xlsx")
    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert job.state == ExportJob.State.QUEUED
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    return job


def assert_built(job: ExportJob, manager) -> None:
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE, job.error
    assert job.done == job.total == BudgetLine.objects.count() > 0
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    download = client_for(manager).get(f"/api/v1/exports/{job.pk}/download/")
    content = b"".join(download.streaming_content)
    rows = sum(1 for _ in load_workbook(BytesIO(content)).worksheets[0].iter_rows())
    assert rows == job.total + 1  # the header


@pytest.mark.django_db
def test_the_database_backend_and_db_worker_build_the_export(
    database_tasks, in_process_worker, budget, large, manager_a
):
    job = ask_for_lines(manager_a)
    run_worker()
    assert_built(job, manager_a)


def database_url() -> str:
    """The run's DATABASE_URL, naming the test database instead (pytest-django's ``test_...``)."""
    given = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(given._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_db_worker_process_builds_the_export_end_to_end(
    database_tasks, budget, large, manager_a, private_storage
):
    job = ask_for_lines(manager_a)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRIVATE_STORAGE_ROOT": str(private_storage),
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert_built(job, manager_a)


@pytest.mark.django_db
def test_the_purge_runs_as_a_task_too(database_tasks, in_process_worker):
    result = purge_exports.enqueue()
    run_worker()
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


@pytest.mark.django_db
def test_the_health_check_fails_when_too_many_tasks_wait_too_long(database_tasks, settings):
    settings.TASK_BACKLOG_LIMIT = 2
    settings.TASK_BACKLOG_MINUTES = 5
    for _ in range(3):
        purge_exports.enqueue()
    check = TaskBacklogCheck()
    check.run()  # just queued: no backlog yet
    DBTaskResult.objects.update(enqueued_at=clock.now() - timedelta(minutes=6))
    with pytest.raises(ServiceUnavailable, match="3 tasks have waited more than 5 minutes"):
        check.run()
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).delete()
    check.run()  # two waiting: within the limit
