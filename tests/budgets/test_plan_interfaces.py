"""Every interface asks the one plan check: the service, the grid's preview, the import's
preview and the admin report the same violation for the same proposal and write nothing; the
previews read a fixed number of queries, however many lines the budget has."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from budgets.imports import Action, budget_import_preview
from budgets.models import BudgetLine, GranteeTerms, Phase, RDProject
from budgets.plan import LineInput, PlanRefused
from budgets.services import (
    budget_line_save,
    budget_lines_write,
    project_partner_add,
    rd_project_create,
)
from budgets.violations import Rule, Unit, Violation
from programmes.models import Organisation

from ..admin.conftest import logged_in
from ..factories import CompanyFactory, position
from ..imports.support import edited, letter, set_cell, template_bytes
from ..web.conftest import browser

pytestmark = pytest.mark.django_db


WRITES = {"INSERT", "UPDATE", "DELETE"}


def run(action: Callable[[], Any]) -> tuple[Any, set[str]]:
    """What ``action`` returns, and the kinds of SQL statement it ran (SELECT, INSERT, …)."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, {query["sql"].split(None, 1)[0].upper() for query in captured}


def stored() -> tuple[int, int, int]:
    """Lines, their history rows and grantee terms: what any budget write adds to."""
    return (
        BudgetLine.objects.count(),
        BudgetLine.history.count(),
        GranteeTerms.objects.count(),
    )


def test_every_interface_reports_the_same_violation_of_an_over_cap_line_and_writes_nothing(
    application_a, manager_a, officer
):
    management = application_a.cluster.management_organisation
    year = application_a.concept_start_on.year
    staff = position("AZA", "0812")
    over = Decimal("500000.01")
    expected = Violation(
        Rule.CONCEPT_ANNUAL_CAP,
        str(year),
        limit=Decimal("500000.00"),
        actual=over,
        unit=Unit.EUR,
    )
    with translation.override("en"):
        message = expected.message
    before = stored()

    # The service: refused before it writes anything.
    def save() -> PlanRefused:
        with pytest.raises(PlanRefused) as refused:
            budget_line_save(
                application=application_a,
                phase=Phase.CONCEPT,
                grantee=management,
                year=year,
                position=staff,
                eligible_amount=over,
                by=manager_a,
            )
        return refused.value

    refusal, sql = run(save)
    assert refusal.violations == [expected]
    assert not sql & WRITES

    # The grid's live preview: no write, and no transaction to roll one back.
    cell = f"amount-{management.pk}-{staff.pk}-{year}"
    preview_url = reverse("budgets:concept-preview", args=[application_a.pk])
    client = browser(manager_a)
    response, sql = run(lambda: client.post(preview_url, {cell: "500,000.01"}))
    assert response.json()["errors"] == {f"errors-year-{year}": [message]}
    assert not sql & {*WRITES, "SAVEPOINT"}

    # The import's preview: the same.
    with translation.override("en"):
        file = one_concept_line(application_a, manager_a, year, over)
        preview, sql = run(
            lambda: budget_import_preview(
                application=application_a, file=file, filename="b.xlsx", by=manager_a
            )
        )
    [problem] = preview.problems
    assert (problem.code, problem.rows) == (Rule.CONCEPT_ANNUAL_CAP, (2,))
    assert message in problem.message
    assert not preview.token
    assert not sql & {*WRITES, "SAVEPOINT"}

    # The admin: the service's one write, refused, shown as the form's error.
    admin = logged_in(officer)
    data = {
        "application": application_a.pk,
        "phase": Phase.CONCEPT,
        "rd_project": "",
        "grantee": management.pk,
        "year": year,
        "position": staff.pk,
        "eligible_amount": str(over),
        "justification": "",
    }
    response, sql = run(lambda: admin.post(reverse("admin:budgets_budgetline_add"), data))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [(error.code, error.messages) for error in errors] == [
        (Rule.CONCEPT_ANNUAL_CAP, [message])
    ]
    assert not sql & WRITES

    assert stored() == before


def one_concept_line(application: Application, by: Any, year: int, amount: Decimal) -> bytes:
    """The budget template with one concept line for the cluster management in row 2."""
    data = template_bytes(application, by)
    values = {
        "phase": str(Phase.CONCEPT.label),
        "grantee": application.cluster.management_organisation.name,
        "country": "DE",
        "basis": "AZA",
        "position": "0812",
        "year": year,
        "eligible_amount": amount,
    }
    for key, value in values.items():
        data = edited(data, set_cell(key, 2, value))
    return data


# The previews at two sizes: a project of twelve German companies with 5, then 216 lines.

FEW, MANY = 5, 200


@pytest.fixture
def crowded(in_concept_phase: Application, manager_a: Any) -> tuple[RDProject, list[LineInput]]:
    """A project over the whole implementation phase with twelve small companies, and a line
    for each company, AZK position and year (1.00 each, far below every cap)."""
    application = in_concept_phase
    project = rd_project_create(
        application=application,
        title="Many partners",
        start_month=application.implementation_start_on,
        end_month=application.implementation_end_on.replace(day=1),
        by=manager_a,
    )
    companies: list[Organisation] = [CompanyFactory() for _ in range(12)]
    for index, company in enumerate(companies):
        project_partner_add(project=project, organisation=company, is_lead=index == 0, by=manager_a)
    positions = [position("AZK", code) for code in ("0813", "0823", "0837", "0838", "0847", "0850")]
    years = range(project.start_month.year, project.end_month.year + 1)
    lines = [
        LineInput(Phase.IMPLEMENTATION, company, year, item, Decimal("1.00"), project)
        for company in companies
        for item in positions
        for year in years
    ]
    assert len(lines) >= MANY
    return project, lines


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_grid_preview_reads_as_many_queries_for_many_lines_as_for_few(
    crowded, in_concept_phase, manager_a
):
    project, lines = crowded
    client = browser(manager_a)
    url = reverse("budgets:project-preview", args=[in_concept_phase.pk, project.pk])
    first = lines[0]
    cell = f"amount-{first.grantee.pk}-{first.position.pk}-{first.year}"

    def preview() -> None:
        response = client.post(url, {cell: "2.00"})
        assert response.status_code == 200
        assert response.json()["errors"] == {}

    budget_lines_write(application=in_concept_phase, writes=lines[:FEW], by=manager_a)
    few = count_queries(preview)
    budget_lines_write(application=in_concept_phase, writes=lines[FEW:], by=manager_a)
    many = count_queries(preview)

    assert BudgetLine.objects.filter(rd_project=project).count() >= MANY
    assert many == few, (few, many)


def test_import_preview_reads_as_many_queries_for_many_rows_as_for_few(
    crowded, in_concept_phase, manager_a
):
    _project, lines = crowded
    client = browser(manager_a)
    url = reverse("budgets:import", args=[in_concept_phase.pk])

    def preview_of(data: bytes) -> Callable[[], None]:
        def preview() -> None:
            response = client.post(url, {"file": SimpleUploadedFile("b.xlsx", data)})
            assert response.status_code == 200
            assert response.context["preview"].problems == []
            assert response.context["counts"][Action.CHANGE] == 1

        return preview

    budget_lines_write(application=in_concept_phase, writes=lines[:FEW], by=manager_a)
    few = count_queries(preview_of(with_one_amount_changed(in_concept_phase, manager_a)))
    budget_lines_write(application=in_concept_phase, writes=lines[FEW:], by=manager_a)
    many = count_queries(preview_of(with_one_amount_changed(in_concept_phase, manager_a)))

    assert BudgetLine.objects.filter(application=in_concept_phase).count() > MANY
    assert many == few, (few, many)


def with_one_amount_changed(application: Application, by: Any) -> bytes:
    """The application's template as downloaded, with its last line's amount changed (an
    implementation line: the concept budget is closed in the concept phase)."""
    data = template_bytes(application, by)

    def last_line(ws: Any) -> None:
        column = letter("eligible_amount")
        row = max(cell.row for cell in ws[column] if cell.value is not None)
        set_cell("eligible_amount", row, 3)(ws)

    return edited(data, last_line)
