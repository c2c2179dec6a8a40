"""Each workbook as a user's spreadsheet program sees it: LibreOffice recalculates every
formula, and every result must equal the budget summary to the cent."""

from io import BytesIO

import pytest

from applications.access import budget_lines_visible_to
from applications.models import Application
from applications.states import state_labels
from budgets.imports import Action, budget_import_preview
from budgets.models import BudgetLine
from budgets.selectors import budget_summary
from budgets.services import budget_lines_write
from budgets.workbooks import (
    application_workbook,
    budget_template_data,
    export_budget_lines,
    write_budget_template,
)
from budgets.workbooks.layout import FLAT_COLUMNS
from reports.round_workbook import round_workbook

from ..budgets.support import select
from ..factories import ApplicationFactory
from .libreoffice import recalculated, saved_by_libreoffice, to_cents
from .support import concept_lines, expected_funding_cents

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]


def disagreements(built, workbook):
    """Every formula whose recalculated result differs from the summary's figure."""
    found = []
    for (sheet, coordinate), expected in built.expected.items():
        value = workbook[sheet][coordinate].value
        if value is None or isinstance(value, str) or to_cents(value) != expected:
            found.append((sheet, coordinate, value, expected))
    return found


def test_application_workbook_recalculates_to_the_summary_to_the_cent(budget, officer, tmp_path):
    built = application_workbook(budget.application, by=officer)

    workbook = recalculated(built.to_bytes(), tmp_path)

    assert len(built.expected) > 100
    assert disagreements(built, workbook) == []


def test_application_workbook_recalculated_total_matches_an_independent_computation(
    budget, officer, tmp_path
):
    built = application_workbook(budget.application, by=officer)
    workbook = recalculated(built.to_bytes(), tmp_path)
    cover = workbook.worksheets[0]
    funding = [
        to_cents(cover[coordinate].value)
        for (sheet, coordinate), expected in built.expected.items()
        if sheet == cover.title
        and coordinate.startswith("E")
        and expected == budget_summary(budget.application).total.figures.funding_amount
    ]

    assert funding
    assert {int(value * 100) for value in funding} == {expected_funding_cents(budget)["both"]}


def test_round_workbook_recalculates_to_the_summaries_to_the_cent(
    budget, cluster_b, manager_b, officer, tmp_path
):
    draft = ApplicationFactory(round=budget.application.round, cluster=cluster_b, with_region=True)
    budget_lines_write(
        application=draft,
        writes=concept_lines(draft, cluster_b.management_organisation),
        by=manager_b,
    )
    select(draft, manager=manager_b, officer=officer)
    built = round_workbook(budget.application.round, by=officer)

    workbook = recalculated(built.to_bytes(), tmp_path)

    assert len(built.expected) > 20
    assert disagreements(built, workbook) == []


def test_flat_export_amounts_add_up_in_libreoffice_to_the_summary(budget, auditor, tmp_path):
    buffer = BytesIO()
    export_budget_lines(
        buffer, by=auditor, lines=budget_lines_visible_to(auditor), state_labels=state_labels()
    )

    sheet = recalculated(buffer.getvalue(), tmp_path).worksheets[0]
    keys = [c.key for c in FLAT_COLUMNS]

    def column(key):
        return [
            to_cents(sheet.cell(row, keys.index(key) + 1).value)
            for row in range(2, sheet.max_row + 1)
        ]

    summary = budget_summary(budget.application)
    assert len(column("eligible_amount")) == BudgetLine.objects.count()
    assert sum(column("eligible_amount")) == summary.total.figures.eligible_amount
    assert sum(column("grant_amount")) == summary.total.figures.grant_amount
    assert sum(column("projektpauschale_amount")) == summary.total.figures.projektpauschale_amount
    assert sum(column("funding_amount")) == summary.total.figures.funding_amount


def test_user_text_stays_text_after_libreoffice_saves_it(
    application_a, manager_a, officer, tmp_path
):
    hyperlink = '=HYPERLINK("http://example.com","x")'
    Application.objects.filter(pk=application_a.pk).update(title=hyperlink)
    application_a.refresh_from_db()

    workbook = recalculated(application_workbook(application_a, by=officer).to_bytes(), tmp_path)

    texts = [
        cell
        for row in workbook.worksheets[0].iter_rows()
        for cell in row
        if cell.value == hyperlink
    ]
    assert texts
    assert {cell.data_type for cell in texts} == {"s"}


def test_template_saved_by_libreoffice_imports_back_unchanged(budget, manager_a, tmp_path):
    template = BytesIO()
    write_budget_template(budget_template_data(budget.application, by=manager_a), template)
    saved = saved_by_libreoffice(template.getvalue(), tmp_path)

    preview = budget_import_preview(
        application=budget.application, file=saved.read_bytes(), filename="t.xlsx", by=manager_a
    )

    assert preview.problems == []
    assert {row.action for row in preview.rows} == {Action.UNCHANGED}
    assert len(preview.rows) == BudgetLine.objects.count()
