from pathlib import Path

import pytest
from django.conf import settings

from ..workbooks.support import Budget, budget_in_both_phases

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The task runs inside ``enqueue`` (the same task code as under the worker;
    test_worker.py runs the real database backend and `db_worker`)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def budget(application_a, manager_a, officer) -> Budget:
    """Cluster A's application with budget lines in both phases."""
    return budget_in_both_phases(application_a, manager=manager_a, officer=officer)


@pytest.fixture
def large(settings):
    """Every export with a line counts as large."""
    settings.EXPORT_BACKGROUND_LINES = 0


@pytest.fixture
def private_storage() -> Path:
    """Where the exports' files are (tests/environment.py points it at a temporary directory)."""
    return Path(settings.PRIVATE_STORAGE_ROOT)
