"""The template's read-only columns: locked on a protected sheet with a visible note, and a
value changed there is a located problem of the preview (and the confirmation), never ignored."""

from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from budgets.imports import Code, ImportRefused, budget_import_confirm, budget_import_preview
from budgets.imports.problems import READ_ONLY_CHANGED
from budgets.models import BudgetLine
from budgets.workbooks.layout import LINE_COLUMNS, LINE_KEYS, READ_ONLY_KEYS
from budgets.workbooks.template import BLANK_ROWS, HOW_TO_FILL_IN, READ_ONLY_NOTE

from .support import database_state, edited, letter, set_cell, template_bytes

pytestmark = pytest.mark.django_db

LINE_ROWS = range(2, 13)  # the 11 lines of the budget


def preview(budget, data, by):
    return budget_import_preview(
        application=budget.application, file=data, filename="b.xlsx", by=by
    )


def sheet(data, index=0):
    return load_workbook(BytesIO(data)).worksheets[index]


def row_of(data, grantee):
    """The first row whose grantee is ``grantee``."""
    ws = sheet(data)
    column = letter("grantee")
    return next(row for row in LINE_ROWS if ws[f"{column}{row}"].value == grantee)


def test_the_data_sheet_is_protected_and_only_input_cells_are_unlocked(template):
    ws = sheet(template)

    assert ws.protection.sheet
    assert not ws.protection.password
    last = LINE_ROWS[-1] + BLANK_ROWS
    for row in (2, 12, 13, last):
        unlocked = {
            column.key
            for column in LINE_COLUMNS
            if not ws[f"{letter(column.key)}{row}"].protection.locked
        }
        assert unlocked == set(LINE_KEYS), row
    assert ws[f"{letter('eligible_amount')}{last + 1}"].protection.locked


def test_read_only_headings_are_grey_with_a_note(template):
    ws = sheet(template)

    for column in LINE_COLUMNS:
        heading = ws[f"{letter(column.key)}1"]
        if column.key in READ_ONLY_KEYS:
            assert heading.comment.text == READ_ONLY_NOTE, column.key
            assert heading.fill.fgColor.rgb.endswith("D9D9D9")
        else:
            assert heading.comment is None, column.key
    assert set(READ_ONLY_KEYS) >= {"funding_rate", "projektpauschale", "position_name", "state"}


def test_the_reference_sheets_are_protected_and_the_about_sheet_explains(template):
    workbook = load_workbook(BytesIO(template))

    assert [ws.protection.sheet for ws in workbook.worksheets[:4]] == [True] * 4
    about = workbook.worksheets[-1]
    assert HOW_TO_FILL_IN in [cell.value for row in about.iter_rows() for cell in row]


def test_the_note_is_in_german_in_a_german_template(budget, manager_a):
    with translation.override("de"):
        data = template_bytes(budget.application, manager_a)
        german = translation.gettext(READ_ONLY_NOTE)

    assert german != READ_ONLY_NOTE
    assert sheet(data)[f"{letter('funding_rate')}1"].comment.text == german


def line_in(data, row):
    ws = sheet(data)
    return BudgetLine.objects.get(
        grantee__name=ws[f"{letter('grantee')}{row}"].value,
        year=ws[f"{letter('year')}{row}"].value,
        position__code=ws[f"{letter('position')}{row}"].value,
    )


def changed_cases(budget, template):
    """Per read-only column: the row's grantee, the value written into the file, and how the
    problem shows it and what the system has."""
    application = budget.application
    company, university = "Sensorik Dresden GmbH", "TU Dresden"
    line = line_in(template, row_of(template, company))
    changed = timezone.localtime(line.updated_at).replace(tzinfo=None)
    return {
        "funding_rate": (company, 0.8, "80.00\N{NO-BREAK SPACE}%", "70.00\N{NO-BREAK SPACE}%"),
        "projektpauschale": (university, False, "no", "yes"),
        "position_name": (company, "Reisekosten", "“Reisekosten”", f"“{line.position.name_en}”"),
        "state": (company, "Withdrawn", "“Withdrawn”", f"“{application.get_state_display()}”"),
        "programme": (company, "C4F", "“C4F”", "“InterSpiN”"),
        "round": (company, 9, "“9”", f"“{application.round.number}”"),
        "cluster": (company, "Cluster B", "“Cluster B”", "“Cluster A”"),
        "application_title": (company, "Other", "“Other”", f"“{application.title}”"),
        "updated_at": (
            company,
            datetime(2001, 1, 1, 9, 30),
            "1 Jan 2001, 09:30",
            formats.date_format(changed, "SHORT_DATETIME_FORMAT"),
        ),
    }


@pytest.mark.parametrize("key", READ_ONLY_KEYS)
def test_a_changed_read_only_cell_is_a_located_problem(budget, template, manager_a, key):
    grantee, value, shown, expected = changed_cases(budget, template)[key]
    row = row_of(template, grantee)
    before = database_state()

    result = preview(budget, edited(template, set_cell(key, row, value)), manager_a)

    assert result.token == ""
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        (Code.READ_ONLY_CHANGED, row, letter(key))
    ]
    heading = next(column.label for column in LINE_COLUMNS if column.key == key)
    assert result.problems[0].message == READ_ONLY_CHANGED % {
        "heading": heading,
        "value": shown,
        "expected": expected,
    }
    assert database_state() == before


def test_the_confirmation_refuses_it_too(budget, template, manager_a):
    row = row_of(template, "Sensorik Dresden GmbH")
    data = edited(template, set_cell("funding_rate", row, 1))
    before = database_state()

    with pytest.raises(ImportRefused) as refused:
        budget_import_confirm(
            application=budget.application, file=data, token="", by=manager_a, filename="b.xlsx"
        )

    assert [p.code for p in refused.value.problems] == [Code.READ_ONLY_CHANGED]
    assert database_state() == before


def test_cleared_read_only_cells_are_accepted(budget, template, manager_a):
    def clear(ws):
        for key in READ_ONLY_KEYS:
            for row in LINE_ROWS:
                ws[f"{letter(key)}{row}"].value = None

    result = preview(budget, edited(template, clear), manager_a)

    assert result.problems == []
    assert {row.action for row in result.rows} == {"unchanged"}


def test_a_german_template_imports_in_english(budget, manager_a):
    with translation.override("de"):
        data = template_bytes(budget.application, manager_a)

    result = preview(budget, data, manager_a)

    assert result.problems == []
    assert result.token


def test_a_new_row_with_another_funding_rate_is_a_problem(budget, template, manager_a):
    source = row_of(template, "Sensorik Dresden GmbH")

    def add_line(rate):
        def edit(ws):
            for column in range(1, ws.max_column + 1):
                ws.cell(13, column).value = ws.cell(source, column).value
            ws[f"{letter('position')}13"].value = "0838"
            ws[f"{letter('position_name')}13"].value = None  # else it names 0837
            ws[f"{letter('updated_at')}13"].value = datetime(2001, 1, 1)  # not compared
            ws[f"{letter('funding_rate')}13"].value = rate

        return edit

    accepted = preview(budget, edited(template, add_line(0.7)), manager_a)
    refused = preview(budget, edited(template, add_line(Decimal("0.75"))), manager_a)

    assert accepted.problems == []
    assert [(p.code, p.row) for p in refused.problems] == [(Code.READ_ONLY_CHANGED, 13)]
