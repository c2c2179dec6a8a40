"""The payment run's workbook as the cash office's spreadsheet program sees it: LibreOffice
recalculates the total formula, and it equals the API's total to the cent; text a grantee typed
stays text."""

from datetime import date
from decimal import Decimal

import pytest

from disbursements.services import payment_run_create, payment_run_mark_paid
from kernel import clock

from ..api.conftest import client_for
from ..workbooks.libreoffice import recalculated, to_cents
from .conftest import Running, at, company_request, concept_request, released

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

AMOUNTS = ("1234.56", "0.01", "33333.33", "9999.99")


def test_payment_run_total_recalculated_equals_the_api(
    running: Running, manager_a, officer, payment_officer, payment_officer_2, tmp_path
):
    with clock.frozen_at(at(2028, 4, 10)):
        drawdowns = [
            released(
                company_request(running, manager_a, amount),
                manager=manager_a,
                officer=officer,
                payer=payment_officer,
            )
            for amount in AMOUNTS
        ]
        aza = concept_request(
            running,
            manager_a,
            "17.17",
            year=2028,
            period_start_on=date(2028, 4, 1),
            period_end_on=date(2028, 4, 30),
            spend_by_on=date(2028, 5, 1),
            purpose='=HYPERLINK("http://example.com")',
        )
        drawdowns.append(released(aza, manager=manager_a, officer=officer, payer=payment_officer))
        run = payment_run_create(drawdowns=drawdowns, by=payment_officer_2)
        payment_run_mark_paid(
            run=run, paid_on=date(2028, 4, 12), reference="K-7", by=payment_officer
        )

    cashier = client_for(payment_officer_2)
    api_total = Decimal(cashier.get(f"/api/v1/payment-runs/{run.pk}/").json()["total_amount"])
    content = cashier.get(f"/api/v1/payment-runs/{run.pk}/workbook.xlsx").content
    sheet = recalculated(content, tmp_path).active

    total_row = len(drawdowns) + 2
    assert to_cents(sheet.cell(row=total_row, column=5).value) == api_total
    assert api_total == sum(Decimal(a) for a in AMOUNTS) + Decimal("17.17")
    amounts = {to_cents(sheet.cell(row=row, column=5).value) for row in range(2, total_row)}
    assert amounts == {Decimal(a) for a in (*AMOUNTS, "17.17")}
    purposes = [sheet.cell(row=row, column=4).value for row in range(2, total_row)]
    assert '=HYPERLINK("http://example.com")' in purposes  # text, not a formula
