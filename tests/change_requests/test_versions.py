"""Plan versions: the workbook of each version, and version 1 kept while the plan moves on."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from budgets.models import PlanVersion
from budgets.workbooks import application_workbook
from kernel import clock

from ..api.conftest import client_for
from ..disbursements.conftest import Running, at
from ..factories import position
from .support import approve, propose_move_between_years, submit

pytestmark = pytest.mark.django_db


def cells(application: Any, officer: Any, version: PlanVersion) -> dict[tuple[str, str], Any]:
    built = application_workbook(application, by=officer, version=version)
    workbook = load_workbook(BytesIO(built.to_bytes()))
    return {
        (sheet.title, cell.coordinate): cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_workbooks_of_version_1_and_2_differ_exactly_by_the_change(
    running: Running, manager_a, officer
):
    manager, checker = client_for(manager_a), client_for(officer)
    with clock.frozen_at(at(2027, 3, 15)):
        approve(
            checker,
            submit(
                manager,
                propose_move_between_years(
                    manager,
                    running.application,
                    grantee=running.management,
                    position=position("AZA", "0812"),
                    from_year=2028,
                    to_year=2027,
                    amount=Decimal("30000.00"),
                    current={2027: Decimal("100000.00"), 2028: Decimal("100000.00")},
                ),
            ),
        )
        first, second = PlanVersion.objects.filter(application=running.application)
        one = cells(running.application, officer, first)
        two = cells(running.application, officer, second)
    differences = {key: (one.get(key), two.get(key)) for key in one.keys() | two.keys()}
    differences = {key: pair for key, pair in differences.items() if pair[0] != pair[1]}
    # The two eligible amounts on the concept sheet, the approved funding of the same years
    # on the drawdowns sheet (the management organisation is funded at 100 %), the version.
    assert len(differences) == 5
    moved = [pair for key, pair in differences.items() if key[0] != one_cover(one)]
    assert sorted(moved) == [(100000, 70000), (100000, 70000), (100000, 130000), (100000, 130000)]
    cover = {pair for key, pair in differences.items() if key[0] == one_cover(one)}
    assert cover == {(1, 2)}  # the cover's "plan version" row


def one_cover(found: dict[tuple[str, str], Any]) -> str:
    return next(iter(found))[0]  # the first sheet is the cover
