import pytest

from ..notifications.conftest import IMMEDIATE


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """The survey's e-mails are sent by a task; here it runs at once, on commit."""
    settings.TASKS = IMMEDIATE
