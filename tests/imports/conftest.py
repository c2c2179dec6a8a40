import pytest

from ..workbooks.support import Budget, budget_in_both_phases
from .support import template_bytes


@pytest.fixture
def budget(application_a, manager_a, officer) -> Budget:
    """Cluster A's application in the concept phase with a budget in both phases."""
    return budget_in_both_phases(application_a, manager=manager_a, officer=officer)


@pytest.fixture
def template(budget, manager_a) -> bytes:
    """The budget template of cluster A's application, as downloaded."""
    return template_bytes(budget.application, manager_a)
