"""Every workbook as an auditor pivots it: dates are dates with a date format (never text that
looks like one), and every list sheet has a filter on its header row."""

import re
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl.utils import get_column_letter

from applications.access import budget_lines_visible_to
from applications.states import state_labels
from budgets.workbooks import (
    application_workbook,
    budget_template_data,
    export_budget_lines,
    write_budget_template,
)
from reports.round_workbook import round_workbook

from ..competition.support import competition_rows, reviews_for_selection
from .support import reopen

pytestmark = pytest.mark.django_db

ISO = r"\d{4}-\d{2}(?:-\d{2})?(?: \d{2}:\d{2}(?::\d{2})?)?"
# A date, a month or a moment, or a period of two ("2026-01-01 – 2027-12-31").
ISO_DATE = re.compile(rf"{ISO}(?:\s*(?:–|to)\s*{ISO})?")


def flat_export(by):
    buffer = BytesIO()
    export_budget_lines(
        buffer, by=by, lines=budget_lines_visible_to(by), state_labels=state_labels()
    )
    return reopen(buffer.getvalue())


def template(application, by):
    buffer = BytesIO()
    write_budget_template(budget_template_data(application, by=by), buffer)
    return reopen(buffer.getvalue())


@pytest.fixture
def workbooks(budget, officer, manager_a):
    """Each kind of workbook, of cluster A's application in both phases."""
    application = budget.application
    return {
        "application": reopen(application_workbook(application, by=officer).to_bytes()),
        "round": reopen(round_workbook(application.round, by=officer).to_bytes()),
        "template": template(application, manager_a),
        "flat": flat_export(officer),
    }


def cells(workbook):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_no_workbook_writes_a_date_as_text(workbooks):
    texts = {
        name: [
            (cell.parent.title, cell.coordinate, cell.value)
            for cell in cells(workbook)
            if isinstance(cell.value, str) and ISO_DATE.fullmatch(cell.value)
        ]
        for name, workbook in workbooks.items()
    }
    assert texts == {name: [] for name in workbooks}


def test_dates_are_dates_with_a_date_format(workbooks, budget):
    dated = {
        name: [
            cell
            for cell in cells(workbook)
            if isinstance(cell.value, date | datetime) and cell.row > 1
        ]
        for name, workbook in workbooks.items()
    }
    assert all(dated.values()), "every kind of workbook holds dates"
    for found in dated.values():
        assert all(cell.is_date and "yy" in cell.number_format for cell in found)
    round_cover = {
        row[0].value: row[1].value for row in workbooks["round"].worksheets[0].iter_rows(max_col=2)
    }
    round_ = budget.application.round
    assert round_cover["Call published on"].date() == round_.call_published_on
    assert round_cover["Funding starts on"].date() == round_.funding_starts_on
    application_cover = {
        row[0].value: row[1].value
        for row in workbooks["application"].worksheets[0].iter_rows(max_col=2)
    }
    assert application_cover["Concept phase starts on"].date() == (
        budget.application.concept_start_on
    )
    assert application_cover["Implementation phase ends on"].date() == (
        budget.application.implementation_end_on
    )


LIST_SHEETS = {
    "round": ["Applications", "Audit trail"],
    "template": ["Budget lines", "Positions", "Grantees", "R&D projects"],
    "flat": ["Budget lines"],
}


def test_every_list_sheet_has_a_filter_on_its_header(workbooks):
    filters = {
        name: {title: workbooks[name][title].auto_filter.ref for title in titles}
        for name, titles in LIST_SHEETS.items()
    }
    for name, by_title in filters.items():
        for title, found in by_title.items():
            ws = workbooks[name][title]
            header_width = max(c.column for c in ws[1] if c.value is not None)
            assert found is not None, (name, title)
            assert found.startswith(f"A1:{get_column_letter(header_width)}"), (name, title, found)


def test_the_round_workbook_filters_its_applications_but_not_their_totals(workbooks):
    applications = workbooks["round"]["Applications"]
    last_application = max(
        cell.row for cell in applications["A"] if isinstance(cell.value, int) and cell.row > 1
    )
    assert applications.auto_filter.ref.endswith(str(last_application))
    assert applications.max_row == last_application + 1  # the totals row, outside the filter


def test_the_ranking_sheet_has_a_filter(open_round, officer):
    application = competition_rows(open_round, officer=officer)
    reviews_for_selection(application, officer=officer)
    workbook = reopen(round_workbook(open_round, by=officer).to_bytes())

    ranking = workbook["Scores and ranking"]
    assert ranking.auto_filter.ref == f"A1:{get_column_letter(ranking.max_column)}{ranking.max_row}"
