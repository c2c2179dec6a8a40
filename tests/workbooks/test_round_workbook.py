"""The round workbook for the funding body."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from applications.models import ApplicationTransition
from applications.selectors import round_overview
from budgets.selectors import budget_summary
from budgets.services import budget_lines_write, grantee_terms_set
from budgets.workbooks.cells import put_text
from competition.selectors import round_ranking
from kernel import clock
from kernel.history import save_with_history
from programmes.access import Role
from reports.round_workbook import ROUND_SHEETS, round_workbook, round_workbook_filename

from ..applications.conftest import berlin
from ..budgets.support import fire
from ..competition.support import competition_rows, reviews_for_selection
from ..factories import ApplicationFactory, ClusterFactory, RoundFactory, user_with_role
from .support import concept_lines, reopen

pytestmark = pytest.mark.django_db

REVISION = "Please explain the partner regions."
MOMENT = berlin(2027, 3, 2, 9, 30, 0)


@pytest.fixture
def round_with_two(budget, cluster_b, manager_b, officer):
    """Cluster A in the concept phase (committed), cluster B's draft with a concept budget
    (not committed; submitted once and sent back for revision), and an application of another
    round that must not show."""
    draft = ApplicationFactory(round=budget.application.round, cluster=cluster_b, with_region=True)
    budget_lines_write(
        application=draft,
        writes=concept_lines(draft, cluster_b.management_organisation),
        by=manager_b,
    )
    draft = fire(draft, "submit", manager_b)
    draft = fire(draft, "start_review", officer)
    draft = fire(draft, "request_revision", officer, REVISION)
    other_round = RoundFactory(programme=budget.application.round.programme, number=2)
    ApplicationFactory(round=other_round, cluster=ClusterFactory(name="Cluster C"))
    return budget.application, draft


def audit_rows(workbook):
    return list(workbook.worksheets[2].iter_rows(min_row=2, values_only=True))


def changes_in(rows):
    """The rows of the audit trail that are changes (not state changes)."""
    return [row for row in rows if row[8] is not None]


def set_rate(application, organisation, rate, by, basis="AZA"):
    return grantee_terms_set(
        application=application,
        organisation=organisation,
        basis=basis,
        funding_rate=Decimal(rate),
        has_projektpauschale=False,
        by=by,
    )


def application_rows(workbook):
    sheet = workbook.worksheets[1]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if isinstance(row[0], int)]


def test_round_workbook_has_a_row_per_application_of_the_round(round_with_two, officer):
    committed, draft = round_with_two
    workbook = reopen(round_workbook(committed.round, by=officer).to_bytes())

    assert [row[0] for row in application_rows(workbook)] == [committed.pk, draft.pk]


def cover_value(built, workbook, label: str):
    """The figure the cover shows beside ``label`` (what its formula must come to)."""
    cover = workbook.worksheets[0]
    for row in cover.iter_rows():
        if row[0].value == label:
            return built.expected[(cover.title, row[1].coordinate)]
    raise AssertionError(f"no {label!r} on the cover")


COMMITTED = "Committed (concept once selected, implementation once approved)"
PLANNED = "Planned (implementation not yet approved)"


def test_round_workbook_counts_selected_applications_against_the_envelope(round_with_two, officer):
    committed, draft = round_with_two
    built = round_workbook(committed.round, by=officer)
    workbook = reopen(built.to_bytes())

    flags = {row[0]: row[5] for row in application_rows(workbook)}
    assert flags == {committed.pk: True, draft.pk: False}
    # In the concept phase: its concept budget is committed, its implementation budget planned.
    summary = budget_summary(committed)
    assert cover_value(built, workbook, COMMITTED) == summary.concept.total.figures.funding_amount
    assert cover_value(built, workbook, PLANNED) == (
        summary.implementation.total.figures.funding_amount
    )
    overview = round_overview(committed.round)
    assert cover_value(built, workbook, COMMITTED) == overview.committed.funding_amount
    assert cover_value(built, workbook, PLANNED) == overview.planned.funding_amount


def test_round_workbook_shows_concept_funding_per_year_and_funding_per_project(
    round_with_two, officer
):
    committed, _draft = round_with_two
    summary = budget_summary(committed)
    workbook = reopen(round_workbook(committed.round, by=officer).to_bytes())
    header = [cell.value for cell in workbook.worksheets[1][1]]
    row = application_rows(workbook)[0]

    for year, capped in summary.concept.by_year.items():
        column = next(i for i, h in enumerate(header) if h and str(year) in str(h))
        assert row[column] == pytest.approx(float(capped.figures.funding_amount), abs=0.001)
    assert "Printed sensors" in row
    project_total = summary.implementation.projects[0].total.funding_amount
    assert row[row.index("Printed sensors") + 1] == pytest.approx(float(project_total), abs=0.001)


def test_round_workbook_lists_every_state_change_in_the_audit_trail(round_with_two, officer):
    committed, draft = round_with_two
    workbook = reopen(round_workbook(committed.round, by=officer).to_bytes())
    trail = workbook.worksheets[2]

    rows = [row for row in trail.iter_rows(min_row=2, values_only=True) if row[4] is not None]
    changes = ApplicationTransition.objects.filter(application__in=[committed, draft])
    # A: submit, start_review, select, start_concept_phase; B: submit, start_review and back.
    assert len(rows) == changes.count() == 7
    assert {(row[0], row[3], row[7] or "") for row in rows} == {
        (change.application_id, change.by.username, change.comment) for change in changes
    }


def test_round_workbook_shows_a_cluster_management_only_its_own_application(
    round_with_two, manager_a
):
    committed, _draft = round_with_two
    workbook = reopen(round_workbook(committed.round, by=manager_a).to_bytes())

    assert [row[0] for row in application_rows(workbook)] == [committed.pk]
    assert {row[0] for row in workbook.worksheets[2].iter_rows(min_row=2, values_only=True)} == {
        committed.pk
    }


def test_round_workbook_query_count_does_not_grow_with_the_applications(
    round_with_two, manager_b, officer
):
    committed, _draft = round_with_two
    round_workbook(committed.round, by=officer)  # the officer's roles are read once
    with CaptureQueriesContext(connection) as two:
        few = audit_rows(reopen(round_workbook(committed.round, by=officer).to_bytes()))
    for name in ("Cluster D", "Cluster E"):
        cluster = ClusterFactory(name=name)
        manager = user_with_role(f"manager-{name}", Role.CLUSTER_MANAGEMENT, cluster)
        more = ApplicationFactory(round=committed.round, cluster=cluster, with_region=True)
        # Grantee terms created and changed, and their organisation changed: three rows more.
        management = cluster.management_organisation
        budget_lines_write(application=more, writes=concept_lines(more, management), by=manager)
        set_rate(more, management, "90.00", officer)
        management.city = f"{name} city"
        save_with_history(management, by=officer)
        fire(more, "submit", manager)
    with CaptureQueriesContext(connection) as four:
        many = audit_rows(reopen(round_workbook(committed.round, by=officer).to_bytes()))

    assert len(four) == len(two)
    assert len(changes_in(many)) == len(changes_in(few)) + 2 * 3
    assert len(many) == len(few) + 2 * 4


def test_round_workbook_takes_further_sheets(round_with_two, officer):
    committed, _draft = round_with_two

    def ranking(built, data):
        sheet = built.workbook.create_sheet("Ranking")
        put_text(sheet, 1, 1, f"{len(data.overview.lines)} applications")

    workbook = reopen(
        round_workbook(committed.round, by=officer, sheets=[*ROUND_SHEETS, ranking]).to_bytes()
    )
    assert workbook["Ranking"]["A1"].value == "2 applications"


def test_round_workbook_expects_every_formula_to_come_to_a_summary_figure(round_with_two, officer):
    committed, _draft = round_with_two
    built = round_workbook(committed.round, by=officer)
    workbook = reopen(built.to_bytes())

    formulas = {
        (ws.title, cell.coordinate)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    assert formulas == set(built.expected)


def test_round_workbook_filename_names_programme_round_and_date(budget):
    assert (
        round_workbook_filename(budget.application.round, on=date(2026, 11, 21))
        == "InterSpiN_R1_round_2026-11-21.xlsx"
    )


def ranking_rows(workbook):
    sheet = next(ws for ws in workbook.worksheets if ws.title == "Scores and ranking")
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_round_workbook_ranks_the_reviewed_applications_as_the_ranking_does(open_round, officer):
    first = competition_rows(open_round, officer=officer)
    second = competition_rows(open_round, officer=officer)
    reviews_for_selection(second, officer=officer)
    ranking = round_ranking(open_round, user=officer)

    rows = ranking_rows(reopen(round_workbook(open_round, by=officer).to_bytes()))

    assert {first.cluster.name, second.cluster.name} <= {row[2] for row in rows}
    expected = {
        line.application.cluster.name: (line.rank, line.weighted_mean_display, line.submitted_count)
        for line in ranking.lines
    }
    assert {row[2]: (row[0], row[5], row[6]) for row in rows} == expected


def test_round_workbook_of_a_round_without_reviews_has_no_ranking_sheet(open_round, officer):
    ApplicationFactory(round=open_round)  # a draft: nothing to rank yet
    workbook = reopen(round_workbook(open_round, by=officer).to_bytes())

    assert "Scores and ranking" not in workbook.sheetnames


def test_round_workbook_audit_trail_shows_who_changed_a_funding_rate_when_from_what_to_what(
    round_with_two, officer
):
    committed, _draft = round_with_two
    company = committed.grantee_terms.get(organisation__name="Sensorik Dresden GmbH").organisation
    with clock.frozen_at(MOMENT):
        set_rate(committed, company, "60.00", officer, basis="AZK")

    rows = changes_in(audit_rows(reopen(round_workbook(committed.round, by=officer).to_bytes())))

    assert rows[-1] == (
        committed.pk,
        "Cluster A",
        datetime(2027, 3, 2, 9, 30),  # local time: Excel has no time zones
        "olga-officer",
        None,
        None,
        None,
        None,
        "Grantee terms of Sensorik Dresden GmbH",
        "changed",
        "funding rate 70.00\N{NO-BREAK SPACE}% → 60.00\N{NO-BREAK SPACE}%",
    )
    # The set-up's own changes are there too: the university's rate set by the officer.
    assert (
        committed.pk,
        "olga-officer",
        "Grantee terms of TU Dresden",
        "changed",
        "funding rate 100.00\N{NO-BREAK SPACE}% → 87.50\N{NO-BREAK SPACE}%",
    ) in {(row[0], row[3], row[8], row[9], row[10]) for row in rows}


def test_round_workbook_audit_trail_lists_projects_and_partners_as_created(round_with_two, officer):
    committed, _draft = round_with_two

    rows = changes_in(audit_rows(reopen(round_workbook(committed.round, by=officer).to_bytes())))

    subjects = {(row[8], row[9]) for row in rows if row[0] == committed.pk}
    assert {
        ("R&D project “Printed sensors”", "created"),
        ("Partner Sensorik Dresden GmbH in “Printed sensors”", "created"),
        ("Partner TU Dresden in “Printed sensors”", "created"),
        ("Partner CEA-Leti (FR) in “Printed sensors”", "created"),
    } <= subjects


def test_round_workbook_audit_trail_is_in_time_order(round_with_two, officer):
    committed, _draft = round_with_two

    rows = audit_rows(reopen(round_workbook(committed.round, by=officer).to_bytes()))

    times = [row[2] for row in rows]
    assert times == sorted(times)
    assert changes_in(rows)
    assert len(changes_in(rows)) < len(rows)


def test_round_workbook_audit_trail_reads_in_german(round_with_two, officer):
    committed, _draft = round_with_two

    with translation.override("de"):
        workbook = reopen(round_workbook(committed.round, by=officer).to_bytes())

    trail = workbook.worksheets[2]
    assert [cell.value for cell in trail[1]][8:] == ["Eintrag", "Vorgang", "Was sich geändert hat"]
    assert (
        "Förderkonditionen von TU Dresden",
        "geändert",
        "Förderquote 100,00\N{NO-BREAK SPACE}% → 87,50\N{NO-BREAK SPACE}%",
    ) in {row[8:] for row in changes_in(audit_rows(workbook))}


@pytest.mark.parametrize("language", ["en", "de"])
def test_round_workbook_cover_gives_the_call_date_as_a_real_date(budget, officer, language):
    """A date the spreadsheet program can sort and filter, shown in the reader's locale."""
    round_ = budget.application.round
    round_.call_published_on = date(2027, 3, 2)
    round_.save()
    with translation.override(language):
        workbook = reopen(round_workbook(round_, by=officer).to_bytes())
        label = translation.gettext("Call published on")
    cell = next(row[1] for row in workbook.worksheets[0].iter_rows() if row[0].value == label)
    assert cell.value == datetime(2027, 3, 2)
    assert cell.is_date
