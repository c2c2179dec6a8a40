"""Text that users typed is written as text, never as a formula, in every workbook."""

from io import BytesIO

import pytest

from applications.access import budget_lines_visible_to
from applications.models import Application
from applications.states import state_labels
from budgets.models import Phase
from budgets.services import budget_lines_write, project_partner_add
from budgets.workbooks import (
    application_workbook,
    budget_template_data,
    export_budget_lines,
    write_budget_template,
)
from budgets.workbooks.cells import FORMULA_TRIGGERS
from reports.round_workbook import round_workbook

from ..factories import OrganisationFactory
from .support import budget_in_both_phases, line, reopen

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.com","x")'
JUSTIFICATIONS = ["+49 351 4711", "-5 % on travel", "@SUM(A1:A2)", "\tindented", "\rreturned"]
GRANTEE = "=1+1 Forschung GmbH"


@pytest.fixture
def risky(application_a, manager_a, officer):
    """A budget whose application and project are titled with a formula, a grantee named like
    one, and justifications starting with every character that starts a formula."""
    Application.objects.filter(pk=application_a.pk).update(title=HYPERLINK)
    application_a.refresh_from_db()
    budget = budget_in_both_phases(
        application_a, manager=manager_a, officer=officer, title=HYPERLINK
    )
    grantee = OrganisationFactory(name=GRANTEE)
    project_partner_add(project=budget.project, organisation=grantee, by=manager_a)
    year = budget.application.implementation_start_on.year
    budget_lines_write(
        application=budget.application,
        writes=[
            line(
                Phase.IMPLEMENTATION,
                grantee,
                year,
                "AZA",
                code,
                "10.00",
                project=budget.project,
                justification=text,
            )
            for code, text in zip(
                ("0812", "0817", "0822", "0831", "0834"), JUSTIFICATIONS, strict=True
            )
        ],
        by=manager_a,
    )
    return budget


def workbooks(budget, user):
    flat = BytesIO()
    export_budget_lines(
        flat, by=user, lines=budget_lines_visible_to(user), state_labels=state_labels()
    )
    template = BytesIO()
    write_budget_template(budget_template_data(budget.application, by=user), template)
    return {
        "application": application_workbook(budget.application, by=user).to_bytes(),
        "round": round_workbook(budget.application.round, by=user).to_bytes(),
        "flat": flat.getvalue(),
        "template": template.getvalue(),
    }


USER_TEXTS = (HYPERLINK, GRANTEE, *JUSTIFICATIONS)


def cells_starting_like_formulas(workbook_bytes):
    """Cells holding text a user typed that starts like a formula (our own formulas, which
    start with "=" too, hold none of it)."""
    workbook = reopen(workbook_bytes)
    return [
        cell
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        and cell.value.startswith(FORMULA_TRIGGERS)
        and cell.value.startswith(USER_TEXTS)
    ]


@pytest.mark.parametrize("kind", ["application", "round", "flat", "template"])
def test_workbook_writes_text_starting_like_a_formula_as_text(risky, officer, kind):
    cells = cells_starting_like_formulas(workbooks(risky, officer)[kind])

    assert cells
    assert {cell.data_type for cell in cells} == {"s"}


@pytest.mark.parametrize("kind", ["application", "round", "flat", "template"])
def test_workbook_has_no_formula_made_of_user_text(risky, officer, kind):
    workbook = reopen(workbooks(risky, officer)[kind])

    formulas = [
        str(cell.value)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert not [formula for formula in formulas if "HYPERLINK" in formula or "1+1" in formula]


def test_round_workbook_keeps_the_hyperlink_title_as_it_was_typed(risky, officer):
    texts = {
        cell.value for cell in cells_starting_like_formulas(workbooks(risky, officer)["round"])
    }

    assert HYPERLINK in texts


@pytest.mark.parametrize("kind", ["flat", "template"])
def test_line_exports_keep_every_justification_as_typed(risky, officer, kind):
    texts = {cell.value for cell in cells_starting_like_formulas(workbooks(risky, officer)[kind])}

    assert {HYPERLINK, GRANTEE, *JUSTIFICATIONS} <= texts


def test_application_workbook_keeps_the_grantee_named_like_a_formula_as_text(risky, officer):
    cells = cells_starting_like_formulas(workbooks(risky, officer)["application"])

    assert any(cell.value.startswith(GRANTEE) for cell in cells)
    assert any(cell.value == HYPERLINK for cell in cells)


def test_text_cells_starting_like_formulas_keep_their_quote_prefix(risky, officer):
    cells = cells_starting_like_formulas(workbooks(risky, officer)["flat"])

    assert all(cell.quotePrefix for cell in cells)


def test_flat_export_replaces_characters_xml_cannot_carry(budget, manager_a, auditor):
    year = budget.application.implementation_start_on.year
    budget_lines_write(
        application=budget.application,
        writes=[
            line(
                Phase.IMPLEMENTATION,
                budget.company,
                year,
                "AZK",
                "0850",
                "1.00",
                project=budget.project,
                justification="bell\x07here",
            )
        ],
        by=manager_a,
    )
    buffer = BytesIO()
    export_budget_lines(
        buffer, by=auditor, lines=budget_lines_visible_to(auditor), state_labels=state_labels()
    )

    texts = [
        cell.value for row in reopen(buffer.getvalue()).worksheets[0].iter_rows() for cell in row
    ]
    assert "bell\N{REPLACEMENT CHARACTER}here" in texts
