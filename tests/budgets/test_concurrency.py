"""Concurrent budget writes on PostgreSQL, with real threads and transactions.

Every writer is within the cap alone and all of them together are over it. A barrier starts
them together, and the rule check that runs under the application's row lock (between reading
the plan and writing) is slowed down, so that without the lock every writer would check the cap
before any other had committed and all would pass.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from budgets import services
from budgets.models import BudgetLine, RDProject
from budgets.plan import check_plan
from budgets.services import rd_project_create
from budgets.violations import BudgetRuleError, Rule

from ..concurrency import race, slowed
from .conftest import last_month
from .support import cents, concept_line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITERATIONS = 3
# Long enough for the other writers to reach the lock while one holds it.
HOLD_LOCK_SECONDS = 0.05
# Eight AZA positions: each writer has its own line, so only the cap can stop them.
CODES = ("0812", "0817", "0822", "0831", "0834", "0835", "0843", "0846")
AMOUNT = Decimal("100000.00")
CAP_CENTS = 50_000_000


@pytest.fixture
def slow_rule_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """During a race, widen the window between reading the plan and writing."""

    monkeypatch.setattr(services, "check_plan", slowed(check_plan, HOLD_LOCK_SECONDS))


def test_concurrent_concept_lines_never_break_the_annual_cap(
    application_a, manager_a, concept_year, slow_rule_check
):
    """Eight writers of 100,000.00 each against a 500,000.00 cap: five get in, three are told
    the cap and by how much they would exceed it."""
    for _iteration in range(ITERATIONS):
        BudgetLine.objects.filter(application=application_a).delete()  # each round starts empty

        def writing(code: str) -> Callable[[], BudgetLine]:
            return lambda: concept_line(
                application_a, by=manager_a, year=concept_year, code=code, eligible_amount=AMOUNT
            )

        results = race(*[writing(code) for code in CODES])

        accepted = [r for r in results if isinstance(r, BudgetLine)]
        refused = [r for r in results if not isinstance(r, BudgetLine)]
        assert len(accepted) == CAP_CENTS // cents(AMOUNT) == 5, results
        assert all(isinstance(error, BudgetRuleError) for error in refused), refused
        for error in refused:
            (violation,) = error.violations
            assert violation.rule == Rule.CONCEPT_ANNUAL_CAP
            assert (violation.limit, violation.actual, violation.excess) == (
                Decimal("500000.00"),
                Decimal("600000.00"),
                AMOUNT,
            )
        stored = BudgetLine.objects.filter(application=application_a, year=concept_year)
        assert sum(cents(line.eligible_amount) for line in stored) == CAP_CENTS
        assert {line.pk for line in stored} == {line.pk for line in accepted}


def test_concurrent_rd_projects_never_exceed_the_maximum(project, manager_a, slow_rule_check):
    """One project exists and three are allowed: of four created at once, two get in."""
    application = project.application
    for iteration in range(ITERATIONS):
        RDProject.objects.filter(application=application).exclude(pk=project.pk).delete()

        def creating(title: str) -> Callable[[], RDProject]:
            return lambda: rd_project_create(
                application=application,
                title=title,
                start_month=application.implementation_start_on,
                end_month=last_month(application),
                by=manager_a,
            )

        results = race(*[creating(f"Race {iteration}.{n}") for n in range(4)])

        created = [r for r in results if isinstance(r, RDProject)]
        refused = [r for r in results if not isinstance(r, RDProject)]
        assert len(created) == 2, results
        assert all(isinstance(error, BudgetRuleError) for error in refused), refused
        for error in refused:
            (violation,) = error.violations
            assert violation.rule == Rule.IMPLEMENTATION_MAX_PROJECTS
            assert (violation.limit, violation.actual) == (3, 4)
        assert RDProject.objects.filter(application=application).count() == 3
