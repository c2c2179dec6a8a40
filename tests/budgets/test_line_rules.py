"""Rules on single lines and grantee terms: partners abroad get no grant, positions belong to
the grantee's basis, grantees are project partners, rates stay under the programme's maximum,
and amounts are non-negative with at most two decimals."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from budgets.models import BudgetLine, GranteeTerms, Phase, RDProject
from budgets.services import budget_line_save, grantee_terms_set
from budgets.violations import BudgetRuleError, Rule
from programmes.models import Basis, Organisation

from ..factories import CompanyFactory, position
from .support import concept_line

pytestmark = pytest.mark.django_db


def rules_of(error: pytest.ExceptionInfo[BudgetRuleError]) -> list[str]:
    return [violation.rule for violation in error.value.violations]


def implementation_line(
    project: RDProject,
    grantee: Organisation,
    *,
    by: Any,
    basis: str,
    code: str,
    amount: str = "1000.00",
) -> BudgetLine:
    application = project.application
    return budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=grantee,
        year=application.implementation_start_on.year,
        position=position(basis, code),
        eligible_amount=Decimal(amount),
        by=by,
    )


def test_grantee_terms_set_refuses_a_rate_for_a_partner_abroad(
    application_a, manager_a, partner_abroad
):
    with pytest.raises(BudgetRuleError) as refused:
        grantee_terms_set(
            application=application_a,
            organisation=partner_abroad,
            basis=Basis.AZK,
            funding_rate=Decimal("10.00"),
            has_projektpauschale=False,
            by=manager_a,
        )
    assert rules_of(refused) == [Rule.PARTNER_ABROAD_FUNDED]
    assert refused.value.violations[0].params["country"] == "FR"
    assert not GranteeTerms.objects.filter(organisation=partner_abroad).exists()


def test_grantee_terms_set_accepts_rate_zero_for_a_partner_abroad(
    application_a, manager_a, partner_abroad
):
    terms = grantee_terms_set(
        application=application_a,
        organisation=partner_abroad,
        basis=Basis.AZK,
        funding_rate=Decimal("0.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    assert GranteeTerms.objects.get(pk=terms.pk).funding_rate == 0


def test_budget_line_for_a_partner_abroad_refused(project, manager_a, partner_abroad):
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, partner_abroad, by=manager_a, basis="AZK", code="0837")
    assert rules_of(refused) == [Rule.PARTNER_ABROAD_FUNDED]
    assert not BudgetLine.objects.filter(grantee=partner_abroad).exists()


def test_budget_line_with_position_of_the_other_basis_refused(project, manager_a, company):
    """A company (AZK) cannot book on the AZA position 0812."""
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, company, by=manager_a, basis="AZA", code="0812")
    assert rules_of(refused) == [Rule.POSITION_BASIS]
    params = refused.value.violations[0].params
    assert (params["code"], params["position_basis"], params["basis"]) == ("0812", "AZA", "AZK")


def test_budget_line_position_0850_is_keyed_by_basis(project, manager_a, company):
    """0850 exists on both forms; the company's line goes on the AZK one."""
    line = implementation_line(project, company, by=manager_a, basis="AZK", code="0850")
    assert (line.position.basis, line.position.code) == ("AZK", "0850")
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, company, by=manager_a, basis="AZA", code="0850")
    assert rules_of(refused) == [Rule.POSITION_BASIS]


def test_concept_line_with_position_of_the_other_basis_refused(
    application_a, manager_a, management, concept_year
):
    with pytest.raises(BudgetRuleError) as refused:
        budget_line_save(
            application=application_a,
            phase=Phase.CONCEPT,
            grantee=management,
            year=concept_year,
            position=position("AZK", "0837"),
            eligible_amount=Decimal("100.00"),
            by=manager_a,
        )
    assert rules_of(refused) == [Rule.POSITION_BASIS]


def test_budget_line_for_grantee_outside_the_project_refused(project, manager_a):
    stranger = CompanyFactory(name="Not in the project GmbH")
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, stranger, by=manager_a, basis="AZK", code="0837")
    assert rules_of(refused) == [Rule.GRANTEE_NOT_PROJECT_PARTNER]
    assert refused.value.violations[0].params["grantee"] == stranger.name


def test_funding_rate_above_programme_maximum_refused(capped_rate, manager_a):
    with pytest.raises(BudgetRuleError) as refused:
        grantee_terms_set(
            application=capped_rate,
            organisation=capped_rate.cluster.management_organisation,
            basis=Basis.AZA,
            funding_rate=Decimal("90.00"),
            has_projektpauschale=False,
            by=manager_a,
        )
    (violation,) = refused.value.violations
    assert violation.rule == Rule.FUNDING_RATE_ABOVE_MAXIMUM
    assert (violation.limit, violation.actual, violation.excess) == (
        Decimal("80.00"),
        Decimal("90.00"),
        Decimal("10.00"),
    )


def test_funding_rate_at_programme_maximum_accepted(capped_rate, manager_a):
    terms = grantee_terms_set(
        application=capped_rate,
        organisation=capped_rate.cluster.management_organisation,
        basis=Basis.AZA,
        funding_rate=Decimal("80.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    assert GranteeTerms.objects.get(pk=terms.pk).funding_rate == Decimal("80.00")


def test_default_funding_rate_is_capped_at_programme_maximum(capped_rate, manager_a, management):
    """The management's default is 100 %; under an 80 % programme its terms start at 80 %."""
    line = concept_line(
        capped_rate,
        by=manager_a,
        year=capped_rate.concept_start_on.year,
        eligible_amount=Decimal("100.00"),
        grantee=capped_rate.cluster.management_organisation,
    )
    terms = GranteeTerms.objects.get(application=capped_rate, organisation=line.grantee)
    assert terms.funding_rate == Decimal("80.00")


def test_projektpauschale_for_a_company_refused(application_a, manager_a, company):
    with pytest.raises(BudgetRuleError) as refused:
        grantee_terms_set(
            application=application_a,
            organisation=company,
            basis=Basis.AZA,
            funding_rate=Decimal("70.00"),
            has_projektpauschale=True,
            by=manager_a,
        )
    assert rules_of(refused) == [Rule.PROJEKTPAUSCHALE_NOT_APPLICABLE]


@pytest.mark.parametrize("amount", ["-0.01", "-1000.00", "1.005", "0.001"])
def test_budget_line_with_invalid_amount_refused_and_nothing_written(
    application_a, manager_a, management, concept_year, amount
):
    with pytest.raises(ValidationError) as refused:
        concept_line(
            application_a, by=manager_a, year=concept_year, eligible_amount=Decimal(amount)
        )
    assert not isinstance(refused.value, BudgetRuleError)
    assert "eligible_amount" in refused.value.message_dict
    assert not BudgetLine.objects.exists()
    assert not BudgetLine.history.exists()
    # The grantee's terms are created with the first line; a refused line leaves none behind.
    assert not GranteeTerms.objects.filter(organisation=management).exists()


def test_budget_line_invalid_amount_leaves_existing_line_unchanged(
    application_a, manager_a, concept_year
):
    line = concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=Decimal(5))
    with pytest.raises(ValidationError):
        concept_line(
            application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("-5.00")
        )
    assert BudgetLine.objects.get(pk=line.pk).eligible_amount == Decimal("5.00")
    assert BudgetLine.history.count() == 1
