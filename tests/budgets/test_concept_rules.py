"""Concept-phase rules at their boundaries: the annual cap on grant plus Projektpauschale, the
maximum and consecutive years, the phase period, and the cluster management as sole grantee."""

from decimal import Decimal

import pytest

from budgets.models import BudgetLine
from budgets.selectors import budget_summary
from budgets.violations import BudgetRuleError, Rule

from ..factories import ApplicationFactory
from .support import cents, concept_line, euros, funding_cents

pytestmark = pytest.mark.django_db

CAP_CENTS = 50_000_000  # 500,000.00, InterSpiN's concept_annual_cap_amount
HUNDRED = Decimal("100.00")


def rules_of(error: pytest.ExceptionInfo[BudgetRuleError]) -> list[str]:
    return [violation.rule for violation in error.value.violations]


def only_violation(error: pytest.ExceptionInfo[BudgetRuleError], rule: Rule):
    (violation,) = [v for v in error.value.violations if v.rule == rule]
    return violation


def test_concept_cap_accepts_exactly_the_cap(application_a, manager_a, concept_year):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=euros(CAP_CENTS))
    year = budget_summary(application_a).concept.by_year[concept_year]
    assert cents(year.figures.funding_amount) == CAP_CENTS
    assert year.headroom_amount == 0


def test_concept_cap_refuses_one_cent_over(application_a, manager_a, concept_year):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=euros(CAP_CENTS))
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a, by=manager_a, year=concept_year, code="0846", eligible_amount=euros(1)
        )
    assert rules_of(refused) == [Rule.CONCEPT_ANNUAL_CAP]
    violation = refused.value.violations[0]
    assert violation.scope == str(concept_year)
    assert (violation.limit, violation.actual, violation.excess) == (
        euros(CAP_CENTS),
        euros(CAP_CENTS + 1),
        euros(1),
    )


def test_concept_cap_applies_per_calendar_year(application_a, manager_a, concept_year):
    """A full cap in each of the two years is fine; the cap is not on the phase total."""
    for year in (concept_year, concept_year + 1):
        concept_line(application_a, by=manager_a, year=year, eligible_amount=euros(CAP_CENTS))
    summary = budget_summary(application_a)
    assert cents(summary.concept.total.figures.funding_amount) == 2 * CAP_CENTS
    assert summary.violations == []


def test_concept_cap_with_projektpauschale_accepts_exactly_the_cap(university_cluster, officer):
    """A university management: 416,666.67 at 100 % plus 20 % Projektpauschale is 500,000.00."""
    application = ApplicationFactory(cluster=university_cluster)
    year = application.concept_start_on.year
    eligible = 41_666_667
    assert funding_cents(eligible, HUNDRED, has_projektpauschale=True) == CAP_CENTS

    concept_line(application, by=officer, year=year, eligible_amount=euros(eligible))
    figures = budget_summary(application).concept.by_year[year].figures
    assert (cents(figures.grant_amount), cents(figures.projektpauschale_amount)) == (
        41_666_667,
        8_333_333,
    )
    assert cents(figures.funding_amount) == CAP_CENTS


def test_concept_cap_with_projektpauschale_refuses_one_cent_more(university_cluster, officer):
    application = ApplicationFactory(cluster=university_cluster)
    year = application.concept_start_on.year
    eligible = 41_666_668
    expected = funding_cents(eligible, HUNDRED, has_projektpauschale=True)
    assert expected == CAP_CENTS + 2  # the Projektpauschale rounds up too

    with pytest.raises(BudgetRuleError) as refused:
        concept_line(application, by=officer, year=year, eligible_amount=euros(eligible))
    violation = only_violation(refused, Rule.CONCEPT_ANNUAL_CAP)
    assert (violation.actual, violation.excess) == (euros(expected), euros(expected - CAP_CENTS))
    assert not BudgetLine.objects.filter(application=application).exists()


def test_concept_cap_counts_projektpauschale_not_only_the_grant(university_cluster, officer):
    """450,000.00 of grant is under the cap, but with 90,000.00 Projektpauschale it is over."""
    application = ApplicationFactory(cluster=university_cluster)
    year = application.concept_start_on.year
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(application, by=officer, year=year, eligible_amount=Decimal("450000.00"))
    violation = only_violation(refused, Rule.CONCEPT_ANNUAL_CAP)
    assert violation.actual == euros(funding_cents(45_000_000, HUNDRED, has_projektpauschale=True))
    assert violation.actual == Decimal("540000.00")


def test_concept_third_year_refused(application_a, manager_a, concept_year):
    for year in (concept_year, concept_year + 1):
        concept_line(application_a, by=manager_a, year=year, eligible_amount=Decimal("1000.00"))
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a, by=manager_a, year=concept_year + 2, eligible_amount=Decimal("1000.00")
        )
    violation = only_violation(refused, Rule.CONCEPT_MAX_YEARS)
    assert (violation.limit, violation.actual, violation.excess) == (2, 3, 1)
    assert BudgetLine.objects.filter(application=application_a).count() == 2


def test_concept_three_years_accepted_where_the_programme_allows_them(
    three_concept_years, manager_a
):
    first = three_concept_years.concept_start_on.year
    for year in (first, first + 1, first + 2):
        concept_line(three_concept_years, by=manager_a, year=year, eligible_amount=euros(100))
    assert sorted(budget_summary(three_concept_years).concept.by_year) == [
        first,
        first + 1,
        first + 2,
    ]


def test_concept_years_must_be_consecutive(three_concept_years, manager_a):
    first = three_concept_years.concept_start_on.year
    concept_line(three_concept_years, by=manager_a, year=first, eligible_amount=euros(100))
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(three_concept_years, by=manager_a, year=first + 2, eligible_amount=euros(100))
    assert rules_of(refused) == [Rule.CONCEPT_YEARS_CONSECUTIVE]
    assert refused.value.violations[0].params["years"] == f"{first}, {first + 2}"


def test_concept_year_of_only_zero_amounts_does_not_bridge_a_gap(three_concept_years, manager_a):
    """A year whose lines are all 0.00 asks for no money, so it is no concept year."""
    first = three_concept_years.concept_start_on.year
    concept_line(three_concept_years, by=manager_a, year=first, eligible_amount=euros(100))
    concept_line(three_concept_years, by=manager_a, year=first + 1, eligible_amount=euros(0))
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(three_concept_years, by=manager_a, year=first + 2, eligible_amount=euros(100))
    assert rules_of(refused) == [Rule.CONCEPT_YEARS_CONSECUTIVE]


def test_concept_year_before_the_phase_refused(application_a, manager_a, concept_year):
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(application_a, by=manager_a, year=concept_year - 1, eligible_amount=euros(1))
    assert rules_of(refused) == [Rule.YEAR_OUTSIDE_PHASE]
    assert refused.value.violations[0].scope == str(concept_year - 1)


def test_concept_year_after_the_phase_refused(three_concept_years, manager_a):
    last = three_concept_years.concept_end_on.year
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(three_concept_years, by=manager_a, year=last + 1, eligible_amount=euros(1))
    assert rules_of(refused) == [Rule.YEAR_OUTSIDE_PHASE]


def test_concept_grantee_other_than_cluster_management_refused(
    application_a, manager_a, university, concept_year
):
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            eligible_amount=euros(100),
            grantee=university,
        )
    assert rules_of(refused) == [Rule.CONCEPT_GRANTEE]
    assert refused.value.violations[0].params["grantee"] == university.name
