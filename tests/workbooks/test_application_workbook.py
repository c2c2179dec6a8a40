"""The budget workbook of one application."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from applications.models import Application
from budgets.models import BudgetLine, Phase
from budgets.selectors import budget_summary
from budgets.services import budget_lines_write, grantee_terms_set
from budgets.workbooks import application_workbook, application_workbook_filename
from kernel import clock

from .support import expected_funding_cents, line, reopen

pytestmark = pytest.mark.django_db


def rows_labelled(ws, column: int, text: str) -> list[int]:
    return [row for row in range(1, ws.max_row + 1) if ws.cell(row, column).value == text]


def sheet_of(workbook, phase: Phase):
    """A phase's sheet: the one whose title row names the phase."""
    label = str(phase.label).casefold()
    return next(ws for ws in workbook.worksheets[1:] if label in ws.title.casefold())


def test_application_workbook_has_a_cover_then_a_sheet_per_phase(budget, officer):
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())

    titles = [ws.title.casefold() for ws in workbook.worksheets]
    assert len(titles) == 4
    assert str(Phase.CONCEPT.label).casefold() in titles[1]
    assert str(Phase.IMPLEMENTATION.label).casefold() in titles[2]
    assert titles[3] == "drawdowns"  # issue 15: drawn and remaining per grantee and year


def test_application_workbook_writes_eligible_amounts_as_numbers_in_eur(budget, officer):
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
    concept = sheet_of(workbook, Phase.CONCEPT)

    (row,) = rows_labelled(concept, 1, "0812")
    first, second = concept.cell(row, 3), concept.cell(row, 4)
    assert (first.data_type, second.data_type) == ("n", "n")
    assert Decimal(repr(first.value)) == Decimal("180000.10")
    assert Decimal(repr(second.value)) == Decimal("190000.33")
    assert "€" in first.number_format


def test_application_workbook_rounds_the_grant_once_per_grantee_and_year(budget, officer):
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
    sheet = sheet_of(workbook, Phase.IMPLEMENTATION)

    grant_formulas = [
        sheet.cell(row, column).value
        for row in range(1, sheet.max_row + 1)
        for column in range(3, 6)
        if str(sheet.cell(row, column).value).startswith("=ROUND(")
    ]
    # two grantees x three years: a grant and a Projektpauschale formula each
    assert len(grant_formulas) == 12
    for formula in grant_formulas:
        column, first_row, same_column, second_row = re.fullmatch(
            r"=ROUND\(([A-Z])(\d+)\*([A-Z])(\d+),2\)", formula
        ).groups()
        assert column == same_column
        assert int(second_row) == int(first_row) + 1  # the amount above, times the rate


def test_application_workbook_sums_each_grantee_over_the_position_rows_above(budget, officer):
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
    concept = sheet_of(workbook, Phase.CONCEPT)

    position_rows = [
        row
        for row in range(1, concept.max_row + 1)
        if concept.cell(row, 1).value in {"0812", "0846", "0850"}
    ]
    eligible_row = position_rows[-1] + 1
    assert concept.cell(eligible_row, 3).value == f"=SUM(C{position_rows[0]}:C{position_rows[-1]})"
    assert concept.cell(eligible_row, 3).font.b


def test_application_workbook_expects_every_formula_to_come_to_a_summary_figure(budget, officer):
    built = application_workbook(budget.application, by=officer)
    workbook = reopen(built.to_bytes())

    formulas = {
        (ws.title, cell.coordinate)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    assert formulas == set(built.expected)


def test_application_workbook_expects_the_summary_totals_to_the_cent(budget, officer):
    built = application_workbook(budget.application, by=officer)
    workbook = reopen(built.to_bytes())
    cover = workbook.worksheets[0]
    (both,) = [
        row
        for row in range(1, cover.max_row + 1)
        if cover.cell(row, 5).data_type == "f" and str(cover.cell(row, 5).value).startswith("=SUM(")
    ]

    expected = built.expected[(cover.title, f"E{both}")]
    assert expected == budget_summary(budget.application).total.figures.funding_amount
    assert int(expected * 100) == expected_funding_cents(budget)["both"]


def test_application_workbook_cover_says_what_when_and_by_whom(budget, manager_a):
    moment = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    with clock.frozen_at(moment):
        workbook = reopen(application_workbook(budget.application, by=manager_a).to_bytes())
    values = [
        cell
        for row in workbook.worksheets[0].iter_rows(max_col=2, values_only=True)
        for cell in row
    ]

    application = budget.application
    assert application.round.programme.name in values
    assert application.cluster.name in values
    assert application.pk in values
    assert "martha-manager-a" in values
    assert timezone.localtime(moment).replace(tzinfo=None) in values
    newest_change = BudgetLine.history.latest("history_date").history_date
    assert timezone.localtime(newest_change).replace(tzinfo=None, microsecond=0) in [
        value.replace(microsecond=0) for value in values if isinstance(value, datetime)
    ]


def test_application_workbook_is_set_up_for_screen_and_print(budget, officer):
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
    sheet = sheet_of(workbook, Phase.IMPLEMENTATION)

    assert sheet.freeze_panes == "C3"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["B"].width >= len("Beschäftigte E12–E15")


def test_application_workbook_names_positions_in_the_active_language(budget, officer):
    for language, expected in (("de", "Beschäftigte E12–E15"), ("en", "Staff, pay grades E12–E15")):
        with translation.override(language):
            workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
        concept = workbook.worksheets[1]
        (row,) = rows_labelled(concept, 1, "0812")
        assert concept.cell(row, 2).value == expected


def test_application_workbook_headings_follow_the_active_language(budget, officer):
    for language in ("de", "en"):
        with translation.override(language):
            workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())
            expected = translation.gettext("Budget position")
        assert workbook.worksheets[1].cell(2, 2).value == expected


def test_application_workbook_query_count_does_not_grow_with_the_lines(budget, manager_a, officer):
    with CaptureQueriesContext(connection) as few:
        application_workbook(budget.application, by=officer)
    year = budget.application.implementation_start_on.year
    budget_lines_write(
        application=budget.application,
        writes=[
            line(
                Phase.IMPLEMENTATION,
                budget.company,
                year + offset,
                "AZK",
                code,
                "10.00",
                project=budget.project,
            )
            for offset in (0, 1, 2)
            for code in ("0813", "0823", "0847", "0850")
        ],
        by=manager_a,
    )
    with CaptureQueriesContext(connection) as many:
        application_workbook(budget.application, by=officer)

    assert BudgetLine.objects.count() > 20
    assert len(many) == len(few)


def test_application_workbook_lists_the_rules_the_budget_breaks(budget, officer):
    # A line outside the concept phase, as old data might have it (the services refuse it).
    BudgetLine.objects.create(
        application=budget.application,
        phase=Phase.CONCEPT,
        grantee=budget.management,
        year=budget.application.concept_end_on.year + 5,
        position=line(Phase.CONCEPT, budget.management, 2000, "AZA", "0843", "0").position,
        eligible_amount=Decimal("1.00"),
    )
    summary = budget_summary(budget.application)
    workbook = reopen(application_workbook(budget.application, by=officer).to_bytes())

    texts = [value for row in workbook.worksheets[0].iter_rows(values_only=True) for value in row]
    assert summary.violations
    for violation in summary.violations:
        assert violation.message in texts


def test_application_workbook_filename_names_programme_round_cluster_and_date(budget):
    assert (
        application_workbook_filename(budget.application, on=date(2026, 11, 21))
        == "InterSpiN_R1_Cluster-A_budget_2026-11-21.xlsx"
    )


def test_application_workbook_of_a_draft_without_budget_has_zero_totals(application_a, officer):
    application = Application.objects.with_programme().get(pk=application_a.pk)
    built = application_workbook(application, by=officer)

    assert built.expected
    assert set(built.expected.values()) <= {
        Decimal(0),
        Decimal("1000000.00"),
        Decimal("3000000.00"),
        Decimal("4000000.00"),
        Decimal("500000.00"),
    }


@pytest.mark.parametrize("language", ["en", "de"])
def test_application_workbook_cover_gives_phase_dates_as_real_dates(budget, officer, language):
    application = budget.application
    with translation.override(language):
        workbook = reopen(application_workbook(application, by=officer).to_bytes())
        starts = translation.gettext("Concept phase starts on")
    cell = next(row[1] for row in workbook.worksheets[0].iter_rows() if row[0].value == starts)
    assert cell.is_date
    assert cell.value.date() == application.concept_start_on


def test_a_rate_reason_is_a_visible_text_note_under_its_grantee(budget, officer):
    """The company's rate above its default of 70 % shows with its reason, typed by a user: a
    text cell even where it looks like a formula, never a formula."""
    reason = '=HYPERLINK("http://example.com") start-up in its first year'
    grantee_terms_set(
        application=budget.application,
        organisation=budget.company,
        basis="AZK",
        funding_rate=Decimal("75.00"),
        has_projektpauschale=False,
        rate_reason=reason,
        by=officer,
    )
    application = Application.objects.with_programme().get(pk=budget.application.pk)
    sheet = sheet_of(
        reopen(application_workbook(application, by=officer).to_bytes()), Phase.IMPLEMENTATION
    )
    note = f"Funding rate above the programme's default. Reason: {reason}"
    (row,) = rows_labelled(sheet, 1, note)
    cell = sheet.cell(row, 1)
    assert cell.data_type == "s"
    assert cell.font.italic
    assert budget.company.name in sheet.cell(row - 1, 1).value  # right under its heading
    # Grantees without a reason get no note.
    notes = [
        r
        for r in range(1, sheet.max_row + 1)
        if str(sheet.cell(r, 1).value or "").startswith("Funding rate above")
    ]
    assert notes == [row]
