"""The 20 % rule at its boundary: a position may exceed its approved amount by exactly 20.00 %
when other positions' savings cover it; 20.01 % is beyond, and so is an excess not covered."""

from decimal import Decimal

import pytest

from budgets.arithmetic import Figures
from budgets.models import BudgetPosition
from budgets.summary import GranteeBlock, PositionRow
from statements.figures import statement_figures

TRAVEL = BudgetPosition(pk=1, code="0846")
STAFF = BudgetPosition(pk=2, code="0812")
YEAR = 2027


def block(travel_plan: str, staff_plan: str) -> GranteeBlock:
    rows = [
        PositionRow(p, {YEAR: Figures(Decimal(plan))}, Figures(Decimal(plan)))
        for p, plan in ((TRAVEL, travel_plan), (STAFF, staff_plan))
    ]
    total = Figures(Decimal(travel_plan) + Decimal(staff_plan))
    return GranteeBlock(
        organisation=None,
        basis="AZA",
        funding_rate=Decimal("100.00"),
        has_projektpauschale=False,
        positions=rows,
        by_year={YEAR: total},
        total=total,
    )


def figures(travel_actual: str, staff_actual: str) -> object:
    return statement_figures(
        block("10000.00", "50000.00"),
        {(1, YEAR): Decimal(travel_actual), (2, YEAR): Decimal(staff_actual)},
        [YEAR],
        tolerance_rate=Decimal("20.00"),
        projektpauschale_rate=Decimal("20.00"),
        paid={(1, YEAR): Decimal("10000.00"), (2, YEAR): Decimal("50000.00")},
    )


# travel actual, staff actual, findings, travel eligible, year eligible
TABLE = [
    ("10000.00", "50000.00", [], "10000.00", "60000.00"),  # as planned
    ("12000.00", "48000.00", [], "12000.00", "60000.00"),  # exactly 20.00 %, covered
    ("12001.00", "47999.00", ["beyond_tolerance"], "12000.00", "59999.00"),  # 20.01 %
    ("12000.00", "50000.00", ["not_covered"], "12000.00", "60000.00"),  # 20 %, not covered
    ("12000.01", "40000.00", ["beyond_tolerance"], "12000.00", "52000.00"),  # a cent beyond
    ("0.00", "0.00", [], "0.00", "0.00"),
]


@pytest.mark.parametrize(("travel", "staff", "codes", "travel_eligible", "eligible"), TABLE)
def test_the_20_percent_rule_at_its_boundary(travel, staff, codes, travel_eligible, eligible):
    found = figures(travel, staff)
    (year,) = found.years
    assert [f.code for f in year.findings] == codes
    travel_row = year.positions[0]
    assert travel_row.eligible_amount == Decimal(travel_eligible)
    assert year.eligible_amount == Decimal(eligible)
    assert year.funding.funding_amount == Decimal(eligible)  # 100 %, no Projektpauschale


def test_a_finding_names_the_position_with_its_numbers():
    (year,) = figures("12001.00", "47999.00").years
    (finding,) = year.findings
    assert finding.position_code == "0846"
    assert "0846" in finding.detail
    assert "20.01" in finding.detail
    assert "change request" in finding.detail
    row = year.positions[0]
    assert (row.plan_amount, row.actual_amount, row.difference_amount) == (
        Decimal("10000.00"),
        Decimal("12001.00"),
        Decimal("2001.00"),
    )
    assert row.excess_rate == Decimal("20.01")


def test_money_paid_but_not_spent_is_shown():
    (year,) = figures("5000.00", "45000.00").years
    assert year.unspent_amount == Decimal("10000.00")
    assert year.difference_amount == Decimal("-10000.00")
