import pytest

from .support import Budget, budget_in_both_phases


@pytest.fixture
def budget(application_a, manager_a, officer) -> Budget:
    """Cluster A's application in the concept phase with a budget in both phases."""
    return budget_in_both_phases(application_a, manager=manager_a, officer=officer)
