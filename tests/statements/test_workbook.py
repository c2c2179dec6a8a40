"""The numerical statement's workbook as the auditors' spreadsheet program sees it: LibreOffice
recalculates every total formula, and each equals the API's figures to the cent (the company at
a 70 % rate, the university with its Projektpauschale, a position beyond the 20 % rule)."""

from decimal import Decimal
from typing import Any

import pytest

from disbursements.services import payment_run_create, payment_run_mark_paid
from kernel import clock
from statements.services import statement_create, statement_lines_save

from ..api.conftest import client_for
from ..disbursements.conftest import company_request, released
from ..factories import position
from ..workbooks.libreoffice import recalculated, to_cents
from .conftest import Running, at, move

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

YEAR_COLUMNS = {
    "plan_amount": 4,
    "actual_amount": 5,
    "difference_amount": 6,
    "eligible_amount": 7,
    "paid_amount": 8,
    "grant_amount": 9,
    "projektpauschale_amount": 10,
    "funding_amount": 11,
    "approved_funding_amount": 12,
}


def rows_by_label(sheet: Any) -> dict[str, int]:
    return {
        str(sheet.cell(row=row, column=2).value): row
        for row in range(1, sheet.max_row + 1)
        if sheet.cell(row=row, column=2).value
    }


def final_statement(running: Running, manager: Any, grantee: Any, code: str, basis: str, rows):
    statement = statement_create(
        application=running.application,
        kind="final",
        phase="implementation",
        rd_project=running.project,
        grantee=grantee,
        by=manager,
    )
    lines = [(position(basis, code), year, Decimal(amount)) for year, amount in rows]
    return statement_lines_save(statement=statement, lines=lines, by=manager)


@pytest.mark.parametrize(
    ("who", "code", "basis", "rows"),
    [
        ("company", "0837", "AZK", [(2028, "33333.33"), (2029, "0.01")]),
        ("university", "0812", "AZA", [(2028, "45678.91")]),
        ("university", "0812", "AZA", [(2028, "60000.01")]),  # beyond 20 %: 50,000 plan
    ],
)
def test_the_numerical_statement_recalculated_equals_the_api(
    running: Running,
    manager_a,
    officer,
    payment_officer,
    payment_officer_2,
    tmp_path,
    who,
    code,
    basis,
    rows,
):
    with clock.frozen_at(at(2028, 4, 10)):
        paid = released(
            company_request(running, manager_a, "12345.67"),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        run = payment_run_create(drawdowns=[paid], by=payment_officer_2)
        payment_run_mark_paid(
            run=run, paid_on=paid.period_end_on, reference="K-1", by=payment_officer_2
        )
    with clock.frozen_at(at(2031, 2, 1)):
        statement = final_statement(running, manager_a, getattr(running, who), code, basis, rows)
        move(statement, "submit", manager_a)

    client = client_for(officer)
    url = f"/api/v1/statements/{statement.pk}/"
    figures = client.get(url + "figures/").json()
    sheet = recalculated(client.get(url + "workbook.xlsx").content, tmp_path).active
    found = rows_by_label(sheet)

    for year in figures["years"]:
        row = found[f"Total {year['year']}"]
        for name, column in YEAR_COLUMNS.items():
            assert to_cents(sheet.cell(row=row, column=column).value) == Decimal(year[name]), (
                year["year"],
                name,
            )
        for position_figures in year["positions"]:
            assert position_figures["code"] == code
    total = found["Total"]
    for name in (
        "plan_amount",
        "actual_amount",
        "eligible_amount",
        "paid_amount",
        "funding_amount",
    ):
        assert to_cents(sheet.cell(row=total, column=YEAR_COLUMNS[name]).value) == Decimal(
            figures[name]
        ), name
    due = to_cents(sheet.cell(row=found["Funding due (at most the approved)"], column=11).value)
    assert due == min(
        Decimal(figures["funding_amount"]), Decimal(figures["approved_funding_amount"])
    )
    balance = to_cents(sheet.cell(row=found["Balance: due minus paid"], column=11).value)
    assert balance == due - Decimal(figures["paid_amount"])
    if who == "company":
        assert Decimal(figures["paid_amount"]) == Decimal("12345.67")
        assert figures["years"][0]["grant_amount"] == "23333.33"  # 70 % of 33,333.33
    else:
        assert Decimal(figures["years"][0]["projektpauschale_amount"]) > 0
