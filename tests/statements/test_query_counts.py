"""The statement and settlement lists, in the API and on the page, and the task list answer in
the same number of queries with two statements as with eight."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Phase
from kernel import clock
from notifications.selectors import tasks_for
from statements.models import Statement
from statements.services import statement_create, statement_lines_save

from ..api.conftest import client_for
from ..factories import position
from ..web.conftest import browser
from .conftest import Running, at

pytestmark = pytest.mark.django_db


def grantees(running: Running) -> list[tuple[Any, ...]]:
    return [
        (Phase.CONCEPT, None, running.management, (2027, 2028), "AZA", "0812"),
        (Phase.IMPLEMENTATION, running.project, running.company, (2028, 2029, 2030), "AZK", "0837"),
        (
            Phase.IMPLEMENTATION,
            running.project,
            running.university,
            (2028, 2029, 2030),
            "AZA",
            "0812",
        ),
    ]


def write(running: Running, manager: Any, which: list[tuple[Any, ...]]) -> None:
    """An interim statement with an actual for each year of each grantee given."""
    with clock.frozen_at(at(2031, 2, 1)):
        for phase, project, grantee, years, basis, code in which:
            for year in years:
                statement = statement_create(
                    application=running.application,
                    kind="interim",
                    phase=phase,
                    rd_project=project,
                    grantee=grantee,
                    year=year,
                    by=manager,
                )
                line = (position(basis, code), year, Decimal(year))
                statement_lines_save(statement=statement, lines=[line], by=manager)


def counted(fetch: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = fetch()
    assert getattr(answer, "status_code", 200) == 200
    return len(queries)


def test_lists_do_not_grow_with_their_rows(running: Running, manager_a, officer):
    api, page, manager_api = client_for(officer), browser(officer), client_for(manager_a)

    def measure() -> list[int]:
        return [
            counted(lambda: api.get("/api/v1/statements/")),
            counted(lambda: manager_api.get("/api/v1/statements/")),
            counted(lambda: api.get("/api/v1/settlements/")),
            counted(lambda: page.get(reverse("statements:list"))),
            counted(lambda: browser(manager_a).get(reverse("statements:list"))),
            counted(lambda: tasks_for(manager_a)),
        ]

    every = grantees(running)
    write(running, manager_a, every[:1])
    assert Statement.objects.count() == 2
    small = measure()
    write(running, manager_a, every[1:])
    assert Statement.objects.count() == 8
    assert measure() == small
