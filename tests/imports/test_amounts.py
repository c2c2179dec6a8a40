"""The shared amount table (tests/amounts.py) typed as text into the budget import's amount
column, in German and in English: the import reads it as the grid does, and refuses the rest at
its sheet, row and column with nothing written."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from budgets.imports import Code, budget_import_confirm, budget_import_preview
from budgets.models import BudgetLine
from budgets.workbooks.layout import DATA_SHEET

from ..amounts import people_rows
from .support import database_state, edited, letter, set_cell

pytestmark = pytest.mark.django_db

MIDDLE = 7  # the company's 0837 line in the first implementation year
AMOUNT_CODES = {Code.NOT_A_NUMBER, Code.TOO_MANY_DECIMALS, Code.NEGATIVE_AMOUNT}


def total(budget) -> Decimal:
    lines = BudgetLine.objects.filter(application=budget.application)
    return sum((line.eligible_amount for line in lines), Decimal(0))


def middle_amount(template: bytes) -> Decimal:
    sheet = load_workbook(BytesIO(template), read_only=True)[DATA_SHEET]
    return Decimal(str(sheet[f"{letter('eligible_amount')}{MIDDLE}"].value))


@pytest.mark.parametrize(("language", "typed", "expected"), people_rows())
def test_import_reads_the_amount_table(budget, template, manager_a, language, typed, expected):
    data = edited(template, set_cell("eligible_amount", MIDDLE, typed))
    before = database_state()
    total_before = total(budget)
    with translation.override(language):
        preview = budget_import_preview(
            application=budget.application, file=data, filename="b.xlsx", by=manager_a
        )
        if expected is None:
            [problem] = preview.problems
            assert problem.code in AMOUNT_CODES, typed
            assert (problem.row, problem.column) == (MIDDLE, letter("eligible_amount"))
            assert typed.strip() in problem.message
            assert database_state() == before
            return
        assert preview.is_valid, [p.message for p in preview.problems]
        budget_import_confirm(
            application=budget.application,
            file=data,
            filename="b.xlsx",
            token=preview.token,
            by=manager_a,
        )
    # Only the middle line's amount changed: the total moves by exactly the difference.
    assert total(budget) == total_before - middle_amount(template) + expected, typed
