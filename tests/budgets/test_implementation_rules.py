"""Implementation-phase rules at their boundaries: at most three R&D projects, at most
3,000,000.00 in total (grant plus Projektpauschale), and 4,000,000.00 for both phases."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from applications.models import Application
from budgets.models import BudgetLine, Phase, RDProject
from budgets.selectors import budget_summary
from budgets.services import budget_line_save, project_partner_add, rd_project_create
from budgets.violations import BudgetRuleError, Rule
from programmes.models import Organisation

from ..factories import position
from .conftest import last_month
from .support import cents, euros, funding_cents, grant_cents, start_concept_phase

pytestmark = pytest.mark.django_db

IMPLEMENTATION_CAP_CENTS = 300_000_000
CLUSTER_CAP_CENTS = 400_000_000
SMALL_COMPANY_RATE = Decimal("70.00")
# 4,285,714.29 × 70 % = 3,000,000.003 → 3,000,000.00; one cent more eligible → 3,000,000.01.
EXACT_CAP_AT_70 = 428_571_429


def implementation_line(
    project: RDProject,
    grantee: Organisation,
    *,
    by: Any,
    eligible_cents: int,
    year: int | None = None,
    basis: str = "AZK",
    code: str = "0837",
) -> BudgetLine:
    application = project.application
    return budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=grantee,
        year=year or application.implementation_start_on.year,
        position=position(basis, code),
        eligible_amount=euros(eligible_cents),
        by=by,
    )


def new_project(application: Application, title: str, *, by: Any) -> RDProject:
    return rd_project_create(
        application=application,
        title=title,
        start_month=application.implementation_start_on,
        end_month=last_month(application),
        by=by,
    )


def test_implementation_fourth_project_refused(project, manager_a):
    application = project.application
    for title in ("Second", "Third"):
        new_project(application, title, by=manager_a)
    with pytest.raises(BudgetRuleError) as refused:
        new_project(application, "Fourth", by=manager_a)
    (violation,) = refused.value.violations
    assert violation.rule == Rule.IMPLEMENTATION_MAX_PROJECTS
    assert (violation.limit, violation.actual, violation.excess) == (3, 4, 1)
    assert RDProject.objects.filter(application=application).count() == 3


def test_implementation_cap_accepts_exactly_the_cap(project, manager_a, company):
    assert grant_cents(EXACT_CAP_AT_70, SMALL_COMPANY_RATE) == IMPLEMENTATION_CAP_CENTS
    implementation_line(project, company, by=manager_a, eligible_cents=EXACT_CAP_AT_70)
    total = budget_summary(project.application).implementation.total
    assert cents(total.figures.funding_amount) == IMPLEMENTATION_CAP_CENTS
    assert total.headroom_amount == 0


def test_implementation_cap_refuses_one_cent_over(project, manager_a, company):
    eligible = EXACT_CAP_AT_70 + 1
    assert grant_cents(eligible, SMALL_COMPANY_RATE) == IMPLEMENTATION_CAP_CENTS + 1
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, company, by=manager_a, eligible_cents=eligible)
    (violation,) = refused.value.violations
    assert violation.rule == Rule.IMPLEMENTATION_CAP
    assert (violation.limit, violation.actual, violation.excess) == (
        euros(IMPLEMENTATION_CAP_CENTS),
        euros(IMPLEMENTATION_CAP_CENTS + 1),
        euros(1),
    )
    assert not BudgetLine.objects.filter(phase=Phase.IMPLEMENTATION).exists()


def test_implementation_cap_counts_projektpauschale(project, manager_a, university, company):
    """2,500,000.00 at 100 % plus 20 % is the whole cap; one cent of company grant breaks it."""
    university_eligible = 250_000_000
    assert (
        funding_cents(university_eligible, Decimal("100.00"), has_projektpauschale=True)
        == IMPLEMENTATION_CAP_CENTS
    )
    implementation_line(
        project,
        university,
        by=manager_a,
        eligible_cents=university_eligible,
        basis="AZA",
        code="0812",
    )
    assert grant_cents(1, SMALL_COMPANY_RATE) == 1  # 0.007 rounds up to a cent
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, company, by=manager_a, eligible_cents=1)
    (violation,) = refused.value.violations
    assert violation.rule == Rule.IMPLEMENTATION_CAP
    assert violation.actual == euros(IMPLEMENTATION_CAP_CENTS + 1)


def test_implementation_cap_spans_projects_and_years(project, manager_a, company):
    application = project.application
    second = new_project(application, "Second", by=manager_a)
    project_partner_add(project=second, organisation=company, is_lead=True, by=manager_a)
    first_year = application.implementation_start_on.year
    first, second_eligible = 214_285_714, 214_285_716
    assert (
        grant_cents(first, SMALL_COMPANY_RATE) + grant_cents(second_eligible, SMALL_COMPANY_RATE)
        == IMPLEMENTATION_CAP_CENTS + 1
    )
    implementation_line(project, company, by=manager_a, eligible_cents=first)
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(
            second, company, by=manager_a, eligible_cents=second_eligible, year=first_year + 1
        )
    (violation,) = refused.value.violations
    assert violation.rule == Rule.IMPLEMENTATION_CAP
    assert violation.actual == euros(IMPLEMENTATION_CAP_CENTS + 1)


@pytest.fixture
def roomy_project(roomy_implementation, manager_a, officer, company):
    """A project of an application with 1,000,000.00 concept budget (two full years) under a
    3.6M implementation cap, so that the 4M per-cluster cap binds first."""
    application = start_concept_phase(
        roomy_implementation,
        manager=manager_a,
        officer=officer,
        concept_amounts=(Decimal("500000.00"), Decimal("500000.00")),
    )
    created = new_project(application, "Roomy", by=manager_a)
    project_partner_add(project=created, organisation=company, is_lead=True, by=manager_a)
    return created


def test_cluster_cap_accepts_exactly_the_cap(roomy_project, manager_a, company):
    implementation_line(roomy_project, company, by=manager_a, eligible_cents=EXACT_CAP_AT_70)
    total = budget_summary(roomy_project.application).total
    assert cents(total.figures.funding_amount) == CLUSTER_CAP_CENTS
    assert total.headroom_amount == 0


def test_cluster_cap_refuses_one_cent_over(roomy_project, manager_a, company):
    application = roomy_project.application
    implementation_line(roomy_project, company, by=manager_a, eligible_cents=EXACT_CAP_AT_70)
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(
            roomy_project,
            company,
            by=manager_a,
            eligible_cents=1,
            year=application.implementation_start_on.year + 1,
        )
    (violation,) = refused.value.violations
    assert violation.rule == Rule.CLUSTER_CAP
    assert (violation.limit, violation.actual, violation.excess) == (
        euros(CLUSTER_CAP_CENTS),
        euros(CLUSTER_CAP_CENTS + 1),
        euros(1),
    )


def test_implementation_year_outside_phase_refused(project, manager_a, company):
    application = project.application
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(
            project,
            company,
            by=manager_a,
            eligible_cents=100,
            year=application.implementation_end_on.year + 1,
        )
    assert Rule.YEAR_OUTSIDE_PHASE in [v.rule for v in refused.value.violations]


def test_implementation_year_outside_project_refused(in_concept_phase, manager_a, company):
    start = in_concept_phase.implementation_start_on
    short = rd_project_create(
        application=in_concept_phase,
        title="One year",
        start_month=start,
        end_month=date(start.year, 12, 1),
        by=manager_a,
    )
    project_partner_add(project=short, organisation=company, is_lead=True, by=manager_a)
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(short, company, by=manager_a, eligible_cents=100, year=start.year + 1)
    assert [v.rule for v in refused.value.violations] == [Rule.YEAR_OUTSIDE_PROJECT]
