"""Plan versions: the workbook of each version, and version 1 kept while the plan moves on."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from applications.states import State
from budgets.models import PlanVersion
from budgets.workbooks import application_workbook
from kernel import clock

from ..api.conftest import client_for
from ..applications.conftest import bring_to, fire, rd_project_add
from ..disbursements.conftest import Running, at
from ..factories import ApplicationFactory, position
from .support import (
    approve,
    money_moved_to_next_year,
    propose,
    propose_move_between_years,
    submit,
    version,
    versions,
)

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


def test_implementation_approved_after_a_concept_change_is_the_next_version(
    round_2027, cluster_a, officer, manager_a
):
    """A change in the concept phase makes versions 1 and 2; approving the implementation
    later keeps the plan as approved as version 3, the current plan."""
    application = bring_to(
        ApplicationFactory(round=round_2027, cluster=cluster_a, with_region=True),
        State.CONCEPT_PHASE,
        officer=officer,
        manager=manager_a,
    )
    manager, checker = client_for(manager_a), client_for(officer)
    moved = money_moved_to_next_year(application)
    approve(checker, submit(manager, propose(manager, application, lines=moved)))
    assert PlanVersion.objects.filter(application=application).count() == 2
    rd_project_add(application, manager_a)
    fire(fire(application, "propose_implementation", manager_a), "approve_implementation", officer)
    listed = versions(checker, application)
    assert [(v["number"], v["is_current"]) for v in listed][-1] == (3, True)
    assert listed[-1]["phases"] == ["concept", "implementation"]
    third = version(checker, application, 3)
    assert {line["phase"] for line in third["lines"]} == {"concept", "implementation"}
