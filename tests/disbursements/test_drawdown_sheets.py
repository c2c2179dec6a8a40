"""The application workbook and the round workbook show drawn and remaining per grantee and
year, beside the approved funding of the budget summary."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budgets.workbooks import application_workbook
from kernel import clock
from reports.round_workbook import round_workbook

from .conftest import Running, at, concept_request, move

pytestmark = pytest.mark.django_db


def drawdown_rows(content: bytes) -> dict[tuple[str, int], tuple[float, float, str]]:
    sheet = load_workbook(BytesIO(content))["Drawdowns"]
    return {
        (row[1].value, row[3].value): (row[4].value, row[5].value, row[6].value)
        for row in sheet.iter_rows(min_row=2)
    }


def test_application_workbook_shows_drawn_and_remaining(running: Running, manager_a, officer):
    with clock.frozen_at(at(2027, 3, 15)):
        move(concept_request(running, manager_a, "12345.67"), "submit", manager_a)
        concept_request(running, manager_a, "500.00")  # a draft does not count
    built = application_workbook(running.application, by=officer)

    rows = drawdown_rows(built.to_bytes())
    approved, drawn, remaining = rows[(running.management.name, 2027)]
    assert (approved, drawn) == (100000, 12345.67)
    assert remaining.startswith("=E")
    assert rows[(running.university.name, 2028)][:2] == (60000, 0)
    expected = [value for (sheet, _cell), value in built.expected.items() if sheet == "Drawdowns"]
    assert Decimal("87654.33") in expected  # each remaining formula is checked against this


def test_round_workbook_shows_drawn_and_remaining(running: Running, manager_a, officer):
    with clock.frozen_at(at(2027, 3, 15)):
        move(concept_request(running, manager_a, "2000.00"), "submit", manager_a)
    built = round_workbook(running.application.round, by=officer)

    rows = drawdown_rows(built.to_bytes())
    assert rows[(running.management.name, 2027)][:2] == (100000, 2000)
    assert rows[(running.company.name, 2028)][:2] == (70000, 0)
