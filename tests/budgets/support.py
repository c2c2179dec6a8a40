"""Helpers for the budget tests: an independent integer-cent model of the grant arithmetic, and
short ways to drive an application to the state a test needs through the real services.

The cent arithmetic here is written from the rules in DOMAIN.md, not from ``budgets.arithmetic``:
tests compare the engine against it, so it must not share code with the engine.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from applications.models import Application
from applications.services import application_transition
from budgets.models import BudgetLine, Phase
from budgets.services import budget_line_save

from ..competition.support import JUSTIFICATION, reviews_for_selection
from ..factories import position

HUNDRED_PERCENT_IN_BASIS_POINTS = 10_000


def cents(amount: Decimal) -> int:
    """The exact number of cents of an amount with at most two decimals."""
    scaled = amount * 100
    assert scaled == scaled.to_integral_value(), f"{amount} has more than two decimals"
    return int(scaled)


def euros(amount_cents: int) -> Decimal:
    """Cents back to a two-place Decimal, for comparing with the engine."""
    return Decimal(amount_cents).scaleb(-2)


def basis_points(rate_percent: Decimal) -> int:
    """A percentage with two decimals as an integer of hundredths of a percent (70.00 → 7000)."""
    return cents(rate_percent)


def half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half up, for non-negative integers."""
    assert numerator >= 0
    assert denominator > 0
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


def grant_cents(eligible_cents: int, rate_percent: Decimal) -> int:
    """Grant of one grantee in one year: eligible × rate, rounded half up to the cent, once."""
    return half_up(eligible_cents * basis_points(rate_percent), HUNDRED_PERCENT_IN_BASIS_POINTS)


def pauschale_cents(grant: int, pauschale_rate_percent: Decimal) -> int:
    """The Projektpauschale: a percentage of the (rounded) grant, rounded half up."""
    return half_up(grant * basis_points(pauschale_rate_percent), HUNDRED_PERCENT_IN_BASIS_POINTS)


def funding_cents(
    eligible_cents: int,
    rate_percent: Decimal,
    *,
    has_projektpauschale: bool,
    pauschale_rate_percent: Decimal = Decimal("20.00"),
) -> int:
    """Grant plus Projektpauschale of one grantee in one year: what the caps are checked on."""
    grant = grant_cents(eligible_cents, rate_percent)
    if not has_projektpauschale:
        return grant
    return grant + pauschale_cents(grant, pauschale_rate_percent)


def fire(application: Application, name: str, by: Any, comment: str = "") -> Application:
    return application_transition(application=application, name=name, by=by, comment=comment)


def concept_line(
    application: Application,
    *,
    by: Any,
    year: int,
    eligible_amount: Decimal,
    code: str = "0812",
    grantee: Any = None,
) -> BudgetLine:
    """Write one concept-phase line for the cluster management (AZA position ``code``)."""
    return budget_line_save(
        application=application,
        phase=Phase.CONCEPT,
        grantee=grantee or application.cluster.management_organisation,
        year=year,
        position=position("AZA", code),
        eligible_amount=eligible_amount,
        by=by,
    )


def select(application: Application, *, manager: Any, officer: Any) -> Application:
    """The panel selects the draft, through the workflow: its cluster management submits it,
    the officer takes it into review, the jury submits the reviews the round requires, and the
    officer selects it. Its concept budget is still open."""
    application = fire(application, "submit", manager)
    application = fire(application, "start_review", officer)
    reviews_for_selection(application, officer=officer)
    return fire(application, "select", officer, JUSTIFICATION)


def start_concept_phase(
    application: Application,
    *,
    manager: Any,
    officer: Any,
    concept_amounts: Sequence[Decimal] = (Decimal("100000.00"),),
) -> Application:
    """Select a draft, let its cluster management write a concept budget (one amount per year
    from the phase's first year) and have the officer start the concept phase through the
    workflow (its guard checks that budget); this opens the implementation budget."""
    application = select(application, manager=manager, officer=officer)
    first_year = application.concept_start_on.year
    for offset, amount in enumerate(concept_amounts):
        concept_line(application, by=manager, year=first_year + offset, eligible_amount=amount)
    return fire(application, "start_concept_phase", officer)
