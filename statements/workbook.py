"""The numerical statement (zahlenmäßiger Nachweis) as the workbook auditors take away: per
position and year plan, actual, difference, eligible and paid; per year and in total the grant,
Projektpauschale and funding; and the settlement. Every total is a formula over the rows, with
the rates in cells of their own, so LibreOffice recalculates the same cents as the system
(``statements.figures``). A pure builder of the selector's figures; cells are typed by
``budgets.workbooks.cells``."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from budgets.workbooks.cells import (
    TOTAL_FILL,
    fill_row,
    fit_columns,
    header_row,
    put_formula,
    put_number,
    put_text,
    ref,
    sum_of,
)

from .figures import ZERO, StatementFigures
from .models import Statement
from .selectors import figures_of

RATE_FORMAT = "0.00"
(YEAR, CODE, NAME, PLAN, ACTUAL, DIFFERENCE, ELIGIBLE, PAID) = range(1, 9)
(GRANT, PAUSCHALE, FUNDING, APPROVED) = range(9, 13)
TOLERANCE_ROW, RATE_ROW, PAUSCHALE_ROW = 3, 4, 5
FIRST_ROW = 8


def statement_filename(statement: Statement) -> str:
    return f"statement-{statement.pk}.xlsx"


def build_statement_workbook(
    statement: Statement, figures: StatementFigures, *, funding_rate: Decimal, pauschale: Decimal
) -> bytes:
    """``funding_rate`` and ``pauschale`` (the Projektpauschale rate, zero where none applies)
    in percent, as the grantee's terms give them."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = _("Numerical statement")[:31]
    put_text(ws, 1, 1, str(statement), bold=True)
    put_text(ws, 1, 5, statement.application.title)
    rates = (
        (TOLERANCE_ROW, _("Tolerance per position (%)"), figures.tolerance_rate),
        (RATE_ROW, _("Funding rate (%)"), funding_rate),
        (PAUSCHALE_ROW, _("Projektpauschale (%)"), pauschale),
    )
    for row, label, value in rates:
        put_text(ws, row, 1, label)
        put_number(ws, row, 2, value, number_format=RATE_FORMAT)
    tolerance = ref(2, TOLERANCE_ROW, absolute=True)
    rate = ref(2, RATE_ROW, absolute=True)
    pauschale_rate = ref(2, PAUSCHALE_ROW, absolute=True)
    header_row(
        ws,
        FIRST_ROW - 1,
        [
            _("Year"),
            _("Position"),
            _("Name"),
            _("Plan"),
            _("Actual"),
            _("Difference"),
            _("Eligible"),
            _("Paid"),
            _("Grant"),
            _("Projektpauschale"),
            _("Funding"),
            _("Approved funding"),
        ],
    )
    row = FIRST_ROW
    year_rows = []
    for year in figures.years:
        first = row
        for position in year.positions:
            put_number(ws, row, YEAR, year.year, number_format="0")
            put_text(ws, row, CODE, position.position.code)
            put_text(ws, row, NAME, str(position.position.name))
            put_number(ws, row, PLAN, position.plan_amount)
            put_number(ws, row, ACTUAL, position.actual_amount)
            put_formula(ws, row, DIFFERENCE, f"={ref(ACTUAL, row)}-{ref(PLAN, row)}")
            plan = ref(PLAN, row)
            # The actual, at most the plan plus the tolerance rounded down to the cent.
            put_formula(
                ws,
                row,
                ELIGIBLE,
                f"=MIN({ref(ACTUAL, row)},{plan}+ROUNDDOWN({plan}*{tolerance}/100,2))",
            )
            put_number(ws, row, PAID, position.paid_amount)
            row += 1
        last = row - 1
        put_number(ws, row, YEAR, year.year, number_format="0", bold=True)
        put_text(ws, row, CODE, _("Total %(year)s") % {"year": year.year}, bold=True)

        def column_sum(column: int, first: int = first, last: int = last) -> str:
            return sum_of([f"{ref(column, first)}:{ref(column, last)}"] if last >= first else [])

        for column in (PLAN, ACTUAL, PAID):
            put_formula(ws, row, column, column_sum(column), bold=True)
        put_formula(ws, row, DIFFERENCE, f"={ref(ACTUAL, row)}-{ref(PLAN, row)}", bold=True)
        # A year counts at most its plan in total: savings cover excesses, nothing more.
        eligible_sum = column_sum(ELIGIBLE)[1:]
        put_formula(ws, row, ELIGIBLE, f"=MIN({eligible_sum},{ref(PLAN, row)})", bold=True)
        put_formula(ws, row, GRANT, f"=ROUND({ref(ELIGIBLE, row)}*{rate}/100,2)", bold=True)
        put_formula(
            ws, row, PAUSCHALE, f"=ROUND({ref(GRANT, row)}*{pauschale_rate}/100,2)", bold=True
        )
        put_formula(ws, row, FUNDING, f"={ref(GRANT, row)}+{ref(PAUSCHALE, row)}", bold=True)
        put_number(ws, row, APPROVED, year.approved_funding_amount, bold=True)
        fill_row(ws, row, YEAR, APPROVED, TOTAL_FILL)
        year_rows.append(row)
        row += 2
    total = row
    put_text(ws, total, CODE, _("Total"), bold=True)
    for column in range(PLAN, APPROVED + 1):
        cells = [ref(column, r) for r in year_rows]
        put_formula(ws, total, column, sum_of(cells), bold=True)
    fill_row(ws, total, YEAR, APPROVED, TOTAL_FILL)
    due, balance = total + 2, total + 3
    put_text(ws, due, CODE, _("Funding due (at most the approved)"), bold=True)
    put_formula(ws, due, FUNDING, f"=MIN({ref(FUNDING, total)},{ref(APPROVED, total)})", bold=True)
    put_text(ws, balance, CODE, _("Balance: due minus paid"), bold=True)
    put_formula(ws, balance, FUNDING, f"={ref(FUNDING, due)}-{ref(PAID, total)}", bold=True)
    fit_columns(ws)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def statement_workbook(statement: Statement) -> bytes | None:
    """The statement's workbook against the grantee's current plan; None if the plan no
    longer funds the grantee."""
    view = figures_of(statement)
    if view.figures is None or view.block is None:
        return None
    programme = statement.application.round.programme
    return build_statement_workbook(
        statement,
        view.figures,
        funding_rate=view.block.funding_rate,
        pauschale=programme.projektpauschale_rate if view.block.has_projektpauschale else ZERO,
    )
