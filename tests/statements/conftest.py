"""The running application of the drawdown tests (cluster A: concept phase 2027-2028, the
management organisation on AZA with 100,000.00 a year; implementation from 2028 with a company
on AZK and a university on AZA with a Projektpauschale), and helpers that write statements
through the one service every interface uses."""

from decimal import Decimal
from typing import Any

from budgets.models import Phase
from kernel import clock
from statements.models import Statement
from statements.services import statement_create, statement_lines_save, statement_transition

from ..disbursements.conftest import (  # noqa: F401  (fixtures)
    Running,
    at,
    frozen,
    in_march_2027,
    payment_officer,
    payment_officer_2,
    round_2027,
    running,
)
from ..factories import position


def concept_statement(
    world: Running, manager: Any, year: int = 2027, **overrides: Any
) -> Statement:
    """The management organisation's interim statement (``kind="final"``: its final one)."""
    fields: dict[str, Any] = {
        "application": world.application,
        "kind": "interim",
        "phase": Phase.CONCEPT,
        "grantee": world.management,
        "year": year,
        "narrative": "Two delegations, one matchmaking event.",
    }
    fields.update(overrides)
    return statement_create(by=manager, **fields)


def actuals(statement: Statement, manager: Any, *rows: tuple[str, int, str]) -> Statement:
    """Save the actuals given as (AZA position code, year, amount)."""
    lines = [(position("AZA", code), year, Decimal(amount)) for code, year, amount in rows]
    return statement_lines_save(statement=statement, lines=lines, by=manager)


def move(statement: Statement, name: str, by: Any, comment: str = "") -> Statement:
    return statement_transition(statement=statement, name=name, by=by, comment=comment)


def accepted_final(world: Running, manager: Any, officer: Any) -> Statement:
    """Interim 2027 (95,000.00) and the final statement with 2028 (80,000.00), accepted."""
    with clock.frozen_at(at(2028, 2, 10)):
        interim = concept_statement(world, manager)
        actuals(interim, manager, ("0812", 2027, "95000.00"))
        move(move(interim, "submit", manager), "accept", officer)
    with clock.frozen_at(at(2029, 3, 1)):
        final = concept_statement(world, manager, kind="final")
        assert list(final.lines.values_list("year", "actual_amount")) == [
            (2027, Decimal("95000.00"))
        ]
        actuals(final, manager, ("0812", 2027, "95000.00"), ("0812", 2028, "80000.00"))
        return move(move(final, "submit", manager), "accept", officer)
