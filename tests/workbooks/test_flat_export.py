"""The flat budget-line export for auditors' pivot tables."""

import inspect
from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl.utils import get_column_letter

from applications.access import budget_lines_visible_to
from applications.states import State, state_labels
from budgets.models import BudgetLine, Phase
from budgets.selectors import budget_summary
from budgets.services import budget_lines_write, grantee_terms_set
from budgets.workbooks import export_budget_lines, export_budget_lines_filename
from budgets.workbooks import flat as flat_module
from budgets.workbooks.cells import EXCEL_MAX_ROWS
from budgets.workbooks.layout import FLAT_COLUMNS

from ..factories import ApplicationFactory, ProgrammeFactory, RoundFactory
from .support import concept_lines, line, reopen

pytestmark = pytest.mark.django_db

HEADINGS = [column.key for column in FLAT_COLUMNS]


def export(by, **options):
    buffer = BytesIO()
    result = export_budget_lines(
        buffer, by=by, lines=budget_lines_visible_to(by), state_labels=state_labels(), **options
    )
    return result, reopen(buffer.getvalue())


def data_rows(workbook):
    """Every data row of every data sheet (not the "about" sheet), as dicts by column key."""
    rows = []
    for ws in workbook.worksheets[:-1]:
        for values in ws.iter_rows(min_row=2, values_only=True):
            rows.append(dict(zip(HEADINGS, values, strict=True)))
    return rows


@pytest.fixture
def second_application(budget, cluster_b, manager_b):
    """Cluster B's draft in the same round, with a concept budget."""
    draft = ApplicationFactory(round=budget.application.round, cluster=cluster_b, with_region=True)
    budget_lines_write(
        application=draft,
        writes=concept_lines(draft, cluster_b.management_organisation),
        by=manager_b,
    )
    return draft


def test_flat_export_has_a_row_per_line_with_every_key_spelled_out(budget, auditor):
    result, workbook = export(auditor)

    rows = data_rows(workbook)
    assert result.line_count == len(rows) == BudgetLine.objects.count() == 11
    (trip,) = [row for row in rows if row["justification"] == "Trips to Grenoble"]
    application = budget.application
    assert trip["programme"] == "InterSpiN"
    assert trip["round"] == 1
    assert trip["cluster"] == "Cluster A"
    assert trip["application"] == application.pk
    assert trip["application_title"] == application.title
    assert trip["state"] == str(State.CONCEPT_PHASE.label)
    assert trip["phase"].casefold() == str(Phase.IMPLEMENTATION.label).casefold()
    assert trip["rd_project"] == "Printed sensors"
    assert (trip["grantee"], trip["country"], trip["basis"]) == ("TU Dresden", "DE", "AZA")
    assert (trip["position"], trip["year"]) == (
        "0846",
        application.implementation_start_on.year + 1,
    )
    assert Decimal(repr(trip["eligible_amount"])) == Decimal("4321.09")
    assert trip["funding_rate"] == pytest.approx(0.875)
    assert trip["projektpauschale"] is True


def test_flat_export_writes_amounts_as_numbers_with_a_eur_format(budget, auditor):
    _result, workbook = export(auditor)
    sheet = workbook.worksheets[0]
    amount_column = HEADINGS.index("eligible_amount") + 1
    position_column = HEADINGS.index("position") + 1

    amounts = [sheet.cell(row, amount_column) for row in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "n" and "€" in cell.number_format for cell in amounts)
    assert sum(Decimal(repr(cell.value)) for cell in amounts) == sum(
        BudgetLine.objects.values_list("eligible_amount", flat=True)
    )
    codes = [sheet.cell(row, position_column) for row in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "s" and len(cell.value) == 4 for cell in codes)


def test_flat_export_filters_by_state(budget, second_application, auditor):
    _result, workbook = export(auditor, states=[State.CONCEPT_PHASE])

    assert {row["application"] for row in data_rows(workbook)} == {budget.application.pk}


def test_flat_export_filters_by_cluster(budget, second_application, auditor, cluster_b):
    _result, workbook = export(auditor, cluster=cluster_b)

    assert {row["application"] for row in data_rows(workbook)} == {second_application.pk}


def test_flat_export_filters_by_round(budget, second_application, auditor):
    other_round = RoundFactory(programme=budget.application.round.programme, number=2)
    other = ApplicationFactory(round=other_round, cluster=budget.application.cluster)
    BudgetLine.objects.create(
        application=other,
        phase=Phase.CONCEPT,
        grantee=budget.management,
        year=other.concept_start_on.year,
        position=line(Phase.CONCEPT, budget.management, 2000, "AZA", "0812", "0").position,
        eligible_amount=Decimal("5.00"),
    )

    _result, first = export(auditor, round=budget.application.round)
    _result, second = export(auditor, round=other_round)

    assert {row["application"] for row in data_rows(first)} == {
        budget.application.pk,
        second_application.pk,
    }
    assert {row["application"] for row in data_rows(second)} == {other.pk}


def test_flat_export_filters_by_programme(budget, auditor):
    other_programme = ProgrammeFactory(name="Clusters4Future", short_name="C4F")

    _result, same = export(auditor, programme=budget.application.round.programme)
    _result, other = export(auditor, programme=other_programme)

    assert len(data_rows(same)) == 11
    assert data_rows(other) == []


def test_flat_export_shows_a_cluster_management_only_its_own_lines(
    budget, second_application, manager_b
):
    _result, workbook = export(manager_b)

    assert {row["application"] for row in data_rows(workbook)} == {second_application.pk}


def test_flat_export_shows_an_anonymous_visitor_nothing(budget, anonymous):
    result, _workbook = export(anonymous)

    assert result.line_count == 0


def test_flat_export_starts_a_new_sheet_at_the_row_limit(budget, auditor):
    result, workbook = export(auditor, max_rows=4)  # the header and three lines

    sheets = workbook.worksheets[:-1]
    assert [ws.max_row for ws in sheets] == [4, 4, 4, 3]
    assert all([c.value for c in ws[1]] == [c.value for c in sheets[0][1]] for ws in sheets)
    assert len(set(result.sheet_titles)) == 4
    assert len(data_rows(workbook)) == 11


def test_flat_export_row_limit_is_excels(budget):
    assert EXCEL_MAX_ROWS == 2**20
    limit = inspect.signature(flat_module.write_budget_lines).parameters["max_rows"].default
    assert limit == 2**20


def test_flat_export_query_count_does_not_grow_with_the_lines(budget, manager_a, auditor):
    export(auditor)  # the auditor's roles are read once
    with CaptureQueriesContext(connection) as few:
        export(auditor)
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
                "1.00",
                project=budget.project,
            )
            for offset in (0, 1, 2)
            for code in ("0813", "0823", "0847", "0850")
        ],
        by=manager_a,
    )
    with CaptureQueriesContext(connection) as many:
        result, _workbook = export(auditor)

    assert result.line_count == 11 + 11  # 0813 in the last year was there already
    assert len(many) == len(few)


def test_flat_export_reports_progress(budget, auditor, monkeypatch):
    monkeypatch.setattr(flat_module, "PROGRESS_EVERY", 4)
    counts = []

    export(auditor, on_progress=counts.append)

    assert counts == [4, 8]


def test_flat_export_about_sheet_names_filters_and_count(budget, auditor, cluster_a):
    _result, workbook = export(auditor, cluster=cluster_a)
    about = dict(workbook.worksheets[-1].iter_rows(values_only=True))

    assert "Cluster A" in about.values()
    assert 11 in about.values()
    assert "anton-auditor" in about.values()


def test_flat_export_filename_names_each_filter(budget, cluster_a):
    assert (
        export_budget_lines_filename(
            round=budget.application.round,
            cluster=cluster_a,
            states=[State.CONCEPT_PHASE],
            on=date(2026, 11, 21),
        )
        == "InterSpiN_R1_Cluster-A_concept-phase_budget-lines_2026-11-21.xlsx"
    )


FIGURES = ("eligible_amount", "grant_amount", "projektpauschale_amount", "funding_amount")


def exact(value):
    """A spreadsheet number back to the cent."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def summary_units(application):
    """The summary's figures per (project title, grantee name, year) and per line key
    (project title, grantee name, year, position code)."""
    summary = budget_summary(application)
    blocks = [(None, block) for block in summary.concept.grantees] + [
        (project.project.title, block)
        for project in summary.implementation.projects
        for block in project.grantees
    ]
    units, lines = {}, {}
    for title, block in blocks:
        name = block.organisation.name
        for year, figures in block.by_year.items():
            units[(title, name, year)] = figures
        for row in block.positions:
            for year, figures in row.by_year.items():
                lines[(title, name, year, row.position.code)] = figures
    return units, lines


def cents_of(figures):
    return tuple(getattr(figures, name) for name in FIGURES)


def test_flat_export_figures_add_up_per_grantee_and_year_to_the_summary_to_the_cent(
    budget, auditor
):
    _result, workbook = export(auditor)
    rows = data_rows(workbook)
    units, lines = summary_units(budget.application)

    sums = defaultdict(lambda: [Decimal("0.00")] * len(FIGURES))
    for row in rows:
        unit = sums[(row["rd_project"], row["grantee"], row["year"])]
        for index, name in enumerate(FIGURES):
            unit[index] += exact(row[name])
        line_figures = lines[(row["rd_project"], row["grantee"], row["year"], row["position"])]
        assert tuple(exact(row[name]) for name in FIGURES) == cents_of(line_figures)
    assert {key: tuple(values) for key, values in sums.items()} == {
        key: cents_of(figures) for key, figures in units.items()
    }
    assert any(row["projektpauschale_amount"] for row in rows)  # the university's
    funding = sum(exact(row["funding_amount"]) for row in rows)
    assert funding == budget_summary(budget.application).total.figures.funding_amount


def test_flat_export_shares_a_grantee_year_grant_out_instead_of_rounding_each_line(
    application_a, manager_a, auditor
):
    """Two lines of 0.05 at 70 %: the grantee-year grant is 0.07 (rounded once), so the lines
    hold 0.04 and 0.03, not 0.04 twice."""
    management = application_a.cluster.management_organisation
    grantee_terms_set(
        application=application_a,
        organisation=management,
        basis="AZA",
        funding_rate=Decimal("70.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    year = application_a.concept_start_on.year
    budget_lines_write(
        application=application_a,
        writes=[
            line(Phase.CONCEPT, management, year, "AZA", code, "0.05") for code in ("0812", "0846")
        ],
        by=manager_a,
    )

    _result, workbook = export(auditor)

    grants = sorted(exact(row["grant_amount"]) for row in data_rows(workbook))
    assert grants == [Decimal("0.03"), Decimal("0.04")]
    (block,) = budget_summary(application_a).concept.grantees
    assert sum(grants) == block.by_year[year].grant_amount == Decimal("0.07")


def test_flat_export_figure_columns_are_money_and_say_which_figure(budget, auditor):
    _result, workbook = export(auditor)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]

    assert header[-3:] == ["Grant (EUR)", "Projektpauschale (EUR)", "Funding (EUR)"]
    for name in FIGURES:
        column = HEADINGS.index(name) + 1
        cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
        assert all(cell.data_type == "n" and "€" in cell.number_format for cell in cells)
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADINGS))}{sheet.max_row}"
    with translation.override("de"):
        _result, german = export(auditor)
    assert [cell.value for cell in german.worksheets[0][1]][-3:] == [
        "Zuwendung (EUR)",
        "Projektpauschale (EUR)",
        "Förderung (EUR)",
    ]
