"""The budget summary, the one source of every figure: per phase, year, R&D project, grantee and
position, with caps and headroom; fetched in a number of queries that does not grow with the
lines or the applications."""

import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from applications.states import State
from budgets.models import BudgetPosition, Phase, RDProject
from budgets.selectors import budget_summaries, budget_summary
from budgets.services import (
    LineInput,
    budget_lines_write,
    project_partner_add,
    rd_project_create,
)
from programmes.models import Organisation

from ..factories import ApplicationFactory, CompanyFactory, position, put_in_state_for_test
from .conftest import last_month
from .support import cents, concept_line, euros, grant_cents, pauschale_cents, start_concept_phase

pytestmark = pytest.mark.django_db

PAUSCHALE_RATE = Decimal("20.00")
RATES = {"management": Decimal("100.00"), "company": Decimal("70.00"), "university": Decimal(100)}
HAS_PAUSCHALE = {"management": False, "company": False, "university": True}


@dataclass(frozen=True)
class Planned:
    """One planned line: the grantee by role, year offset from the phase start, position, cents."""

    grantee: str
    year_offset: int
    basis: str
    code: str
    eligible_cents: int


CONCEPT_PLAN = [
    Planned("management", 0, "AZA", "0812", 30_000_000),
    Planned("management", 0, "AZA", "0846", 1_234_567),
    Planned("management", 1, "AZA", "0812", 20_000_000),
]
IMPLEMENTATION_PLAN = [
    Planned("company", 0, "AZK", "0837", 10_000_001),
    Planned("company", 0, "AZK", "0813", 5_000_000),
    Planned("company", 1, "AZK", "0837", 8_000_000),
    Planned("university", 0, "AZA", "0812", 6_000_005),
    Planned("university", 1, "AZA", "0846", 100_000),
]


@dataclass(frozen=True)
class Expected:
    eligible: int
    grant: int
    pauschale: int

    @property
    def funding(self) -> int:
        return self.grant + self.pauschale


def expected_by_grantee_year(plan: list[Planned]) -> dict[tuple[str, int], Expected]:
    """Integer-cent figures per grantee and year offset: rounded once per grantee and year."""
    eligible: dict[tuple[str, int], int] = defaultdict(int)
    for item in plan:
        eligible[item.grantee, item.year_offset] += item.eligible_cents
    result = {}
    for (grantee, offset), amount in eligible.items():
        grant = grant_cents(amount, RATES[grantee])
        pauschale = pauschale_cents(grant, PAUSCHALE_RATE) if HAS_PAUSCHALE[grantee] else 0
        result[grantee, offset] = Expected(amount, grant, pauschale)
    return result


def summed(figures) -> Expected:
    items = list(figures)
    return Expected(
        sum(f.eligible for f in items), sum(f.grant for f in items), sum(f.pauschale for f in items)
    )


def as_cents(figures) -> Expected:
    return Expected(
        cents(figures.eligible_amount),
        cents(figures.grant_amount),
        cents(figures.projektpauschale_amount),
    )


@pytest.fixture
def planned(application_a, manager_a, officer, company, university, partner_abroad):
    """Cluster A's application in the concept phase with CONCEPT_PLAN and one R&D project
    holding IMPLEMENTATION_PLAN."""
    first = application_a.concept_start_on.year
    for item in CONCEPT_PLAN[1:]:
        concept_line(
            application_a,
            by=manager_a,
            year=first + item.year_offset,
            code=item.code,
            eligible_amount=euros(item.eligible_cents),
        )
    application = start_concept_phase(
        application_a,
        manager=manager_a,
        officer=officer,
        concept_amounts=(euros(CONCEPT_PLAN[0].eligible_cents),),
    )
    project = rd_project_create(
        application=application,
        title="Printed sensors",
        start_month=application.implementation_start_on,
        end_month=last_month(application),
        by=manager_a,
    )
    for organisation, is_lead in ((company, True), (university, False), (partner_abroad, False)):
        project_partner_add(
            project=project, organisation=organisation, is_lead=is_lead, by=manager_a
        )
    grantees = {"company": company, "university": university}
    budget_lines_write(
        application=application,
        writes=[
            LineInput(
                phase=Phase.IMPLEMENTATION,
                rd_project=project,
                grantee=grantees[item.grantee],
                year=application.implementation_start_on.year + item.year_offset,
                position=position(item.basis, item.code),
                eligible_amount=euros(item.eligible_cents),
            )
            for item in IMPLEMENTATION_PLAN
        ],
        by=manager_a,
    )
    return application


def test_summary_concept_years_with_cap_and_headroom(planned):
    summary = budget_summary(planned)
    first = planned.concept_start_on.year
    expected = expected_by_grantee_year(CONCEPT_PLAN)
    assert sorted(summary.concept.by_year) == [first, first + 1]
    for offset in (0, 1):
        capped = summary.concept.by_year[first + offset]
        assert as_cents(capped.figures) == expected["management", offset]
        assert capped.cap_amount == Decimal("500000.00")
        assert cents(capped.headroom_amount) == 50_000_000 - expected["management", offset].funding


def test_summary_concept_grantee_and_positions(planned):
    (block,) = budget_summary(planned).concept.grantees
    first = planned.concept_start_on.year
    assert block.organisation == planned.cluster.management_organisation
    assert (block.basis, block.funding_rate, block.has_projektpauschale) == (
        "AZA",
        Decimal("100.00"),
        False,
    )
    assert [row.position.code for row in block.positions] == ["0812", "0846"]
    staff = block.positions[0]
    assert {year: cents(f.eligible_amount) for year, f in staff.by_year.items()} == {
        first: 30_000_000,
        first + 1: 20_000_000,
    }
    assert cents(staff.total.eligible_amount) == 50_000_000
    assert as_cents(block.total) == summed(expected_by_grantee_year(CONCEPT_PLAN).values())


def test_summary_concept_total_against_both_years_caps(planned):
    total = budget_summary(planned).concept.total
    expected = summed(expected_by_grantee_year(CONCEPT_PLAN).values())
    assert as_cents(total.figures) == expected
    assert total.cap_amount == Decimal("1000000.00")  # 2 years × 500,000.00
    assert cents(total.headroom_amount) == 100_000_000 - expected.funding


def test_summary_project_block_per_grantee(planned, company, university, partner_abroad):
    (block,) = budget_summary(planned).implementation.projects
    first = planned.implementation_start_on.year
    expected = expected_by_grantee_year(IMPLEMENTATION_PLAN)
    assert block.lead_partner == company
    assert set(block.partners) == {company, university, partner_abroad}
    by_name = {grantee.organisation.name: grantee for grantee in block.grantees}
    assert set(by_name) == {company.name, university.name}
    for role, organisation in (("company", company), ("university", university)):
        grantee = by_name[organisation.name]
        assert grantee.funding_rate == RATES[role]
        assert grantee.has_projektpauschale is HAS_PAUSCHALE[role]
        for offset in (0, 1):
            assert as_cents(grantee.by_year[first + offset]) == expected[role, offset]
    assert as_cents(block.total) == summed(expected.values())


def test_summary_project_position_rows(planned, company):
    (block,) = budget_summary(planned).implementation.projects
    first = planned.implementation_start_on.year
    (company_block,) = [g for g in block.grantees if g.organisation == company]
    rows = {row.position.code: row for row in company_block.positions}
    assert sorted(rows) == ["0813", "0837"]
    assert {year: cents(f.eligible_amount) for year, f in rows["0837"].by_year.items()} == {
        first: 10_000_001,
        first + 1: 8_000_000,
    }
    assert all(row.position.basis == "AZK" for row in company_block.positions)


def test_summary_implementation_years_and_total_against_cap(planned):
    implementation = budget_summary(planned).implementation
    first = planned.implementation_start_on.year
    expected = expected_by_grantee_year(IMPLEMENTATION_PLAN)
    for offset in (0, 1):
        year = implementation.by_year[first + offset]
        assert as_cents(year.figures) == summed(
            figures for (_role, o), figures in expected.items() if o == offset
        )
        assert year.headroom_amount is None  # the implementation cap is on the total only
    total = summed(expected.values())
    assert as_cents(implementation.total.figures) == total
    assert implementation.total.cap_amount == Decimal("3000000.00")
    assert cents(implementation.total.headroom_amount) == 300_000_000 - total.funding


def test_summary_cluster_total_against_cap(planned):
    summary = budget_summary(planned)
    total = summed(
        [
            *expected_by_grantee_year(CONCEPT_PLAN).values(),
            *expected_by_grantee_year(IMPLEMENTATION_PLAN).values(),
        ]
    )
    assert as_cents(summary.total.figures) == total
    assert summary.total.cap_amount == Decimal("4000000.00")
    assert cents(summary.total.headroom_amount) == 400_000_000 - total.funding


def test_summary_years_cover_each_phase_period(planned):
    summary = budget_summary(planned)
    first = planned.concept_start_on.year
    assert list(summary.concept.years) == [first, first + 1]
    assert list(summary.implementation.years) == [first + 1, first + 2, first + 3]


def test_summary_of_a_valid_budget_has_no_violations(planned):
    assert budget_summary(planned).violations == []


# Query counts.


def loaded(*applications: Application) -> list[Application]:
    """Applications as a page would pass them: programme and management organisation loaded."""
    ids = [application.pk for application in applications]
    return list(Application.objects.with_programme().filter(pk__in=ids).order_by("pk"))


def count_queries(read) -> int:
    with CaptureQueriesContext(connection) as queries:
        read()
    return len(queries)


def implementation_keys(
    projects: list[RDProject], grantees: list[tuple[Organisation, str]]
) -> list[tuple[int, RDProject, Organisation, BudgetPosition]]:
    """Line keys over years × projects × grantees' positions, years outermost."""
    positions = {
        "AZK": [position("AZK", code) for code in ("0837", "0813", "0838")],
        "AZA": [position("AZA", code) for code in ("0812", "0846", "0822")],
    }
    return [
        (year_offset, project, organisation, item)
        for year_offset, project, (organisation, basis) in itertools.product(
            range(3), projects, grantees
        )
        for item in positions[basis]
    ]


def test_budget_summary_query_count_does_not_grow_with_lines(
    in_concept_phase, manager_a, company, university, partner_abroad
):
    application = in_concept_phase
    company_2 = CompanyFactory(name="Zweite Sensorik GmbH")
    projects = []
    for title in ("One", "Two", "Three"):
        project = rd_project_create(
            application=application,
            title=title,
            start_month=application.implementation_start_on,
            end_month=last_month(application),
            by=manager_a,
        )
        for organisation, is_lead in ((company, True), (university, False), (company_2, False)):
            project_partner_add(
                project=project, organisation=organisation, is_lead=is_lead, by=manager_a
            )
        project_partner_add(project=project, organisation=partner_abroad, by=manager_a)
        projects.append(project)
    grantees = [(company, "AZK"), (university, "AZA"), (company_2, "AZK")]
    keys = implementation_keys(projects, grantees)

    def write(count: int) -> None:
        first = application.implementation_start_on.year
        budget_lines_write(
            application=application,
            writes=[
                LineInput(
                    phase=Phase.IMPLEMENTATION,
                    rd_project=project,
                    grantee=organisation,
                    year=first + year_offset,
                    position=item,
                    eligible_amount=Decimal("1000.00"),
                )
                for year_offset, project, organisation, item in keys[:count]
            ],
            by=manager_a,
        )

    write(2)  # with the concept line: 3 lines
    assert application.budget_lines.count() == 3
    (reloaded,) = loaded(application)
    few = count_queries(lambda: budget_summary(reloaded))
    write(59)
    assert application.budget_lines.count() == 60
    (reloaded,) = loaded(application)
    with CaptureQueriesContext(connection) as queries:
        summary = budget_summary(reloaded)
    assert cents(summary.implementation.total.figures.eligible_amount) == 59 * 100_000
    assert len(queries) == few


def furnish(application: Application, *, officer, grantees: list[Organisation]) -> None:
    """Give an application a concept line, an R&D project and three implementation lines,
    written by an officer through the services."""
    concept_line(
        application,
        by=officer,
        year=application.concept_start_on.year,
        eligible_amount=Decimal("50000.00"),
    )
    # Only the state matters here (the workflow is tested elsewhere): open the implementation
    # budget without firing the transitions, which need each cluster's own management.
    put_in_state_for_test(application, State.CONCEPT_PHASE)
    project = rd_project_create(
        application=application,
        title="Joint project",
        start_month=application.implementation_start_on,
        end_month=last_month(application),
        by=officer,
    )
    for organisation in grantees:
        project_partner_add(project=project, organisation=organisation, by=officer)
    staff = BudgetPosition.objects.get(basis="AZA", code="0812")
    budget_lines_write(
        application=application,
        writes=[
            LineInput(
                phase=Phase.IMPLEMENTATION,
                rd_project=project,
                grantee=grantees[0],
                year=application.implementation_start_on.year + year_offset,
                position=staff,
                eligible_amount=Decimal("1000.00"),
            )
            for year_offset in range(3)
        ],
        by=officer,
    )


def test_budget_summaries_query_count_does_not_grow_with_applications(
    open_round, officer, university, partner_abroad
):
    applications = [ApplicationFactory(round=open_round) for _ in range(10)]
    for application in applications:
        furnish(application, officer=officer, grantees=[university, partner_abroad])

    two_loaded, ten_loaded = loaded(*applications[:2]), loaded(*applications)
    two = count_queries(lambda: budget_summaries(two_loaded))
    with CaptureQueriesContext(connection) as queries:
        summaries = budget_summaries(ten_loaded)
    assert len(queries) == two
    assert sorted(summaries) == sorted(a.pk for a in applications)
    expected_concept = grant_cents(5_000_000, Decimal("100.00"))
    assert {cents(s.concept.total.figures.funding_amount) for s in summaries.values()} == {
        expected_concept
    }
    assert all(len(s.implementation.projects) == 1 for s in summaries.values())
