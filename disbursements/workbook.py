"""The payment run as a workbook for the cash office: one row per payment (grantee, grant
reference, purpose, amount) with empty columns for the bank's references, and the total as a
formula. A pure builder of the selector's rows; cells are typed by ``budgets.workbooks.cells``
(text a user typed is never a formula)."""

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from budgets.workbooks.cells import (
    TOTAL_FILL,
    fill_row,
    fit_columns,
    header_row,
    put_date,
    put_formula,
    put_number,
    put_text,
    ref,
    sum_of,
)

from .models import DrawdownRequest, PaymentRun

AMOUNT_COLUMN = 5


def payment_run_filename(run: PaymentRun) -> str:
    return f"payment-run-{run.pk}.xlsx"


def build_payment_run_workbook(run: PaymentRun, rows: Sequence[DrawdownRequest]) -> bytes:
    """Rows from ``selectors.payment_run_rows`` (with ``total_amount``). The total row sums the
    amount column, so a change of a row in the file changes the total."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = _("Payment run")[:31]
    header_row(
        ws,
        1,
        [
            _("Request"),
            _("Grantee"),
            _("Grant reference"),
            _("Purpose"),
            _("Amount"),
            _("IBAN"),
            _("Bank reference"),
            _("Booked on"),
        ],
    )
    row_number = 1
    for row_number, drawdown in enumerate(rows, start=2):
        put_number(ws, row_number, 1, drawdown.pk, number_format="0")
        put_text(ws, row_number, 2, drawdown.grantee.name)
        put_text(ws, row_number, 3, drawdown.grant_reference)
        put_text(ws, row_number, 4, drawdown.purpose or str(drawdown))
        put_number(ws, row_number, AMOUNT_COLUMN, drawdown.total_amount)  # type: ignore[attr-defined]
    total_row = row_number + 1
    put_text(ws, total_row, 4, _("Total"), bold=True)
    amounts = [f"{ref(AMOUNT_COLUMN, 2)}:{ref(AMOUNT_COLUMN, total_row - 1)}"] if rows else []
    put_formula(ws, total_row, AMOUNT_COLUMN, sum_of(amounts), bold=True)
    fill_row(ws, total_row, 1, 8, TOTAL_FILL)
    if run.paid_on is not None:
        put_text(ws, total_row + 2, 1, _("Paid on"), bold=True)
        put_date(ws, total_row + 2, 2, run.paid_on)
        put_text(ws, total_row + 3, 1, _("Payment reference"), bold=True)
        put_text(ws, total_row + 3, 2, run.payment_reference)
    fit_columns(ws)
    ws.freeze_panes = "A2"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
