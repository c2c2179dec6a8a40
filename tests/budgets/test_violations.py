"""Violations name the rule, scope, limit, actual and excess; their message uses the user's
number format, and their JSON shape carries money as strings with two decimals."""

from decimal import Decimal

import pytest
from django.utils import translation

from budgets.models import BudgetLine
from budgets.services import grantee_terms_set, rd_project_create
from budgets.violations import BudgetRuleError, Rule, Unit, Violation
from kernel.money import format_eur
from programmes.models import Basis

from .conftest import last_month
from .support import concept_line

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture
def over_cap(application_a, manager_a, concept_year) -> BudgetRuleError:
    """500,000.00 planned, then 12,400.00 more travel in the same year: 512,400.00."""
    concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("500000.00")
    )
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            code="0846",
            eligible_amount=Decimal("12400.00"),
        )
    return refused.value


def test_format_eur_in_german():
    with translation.override("de"):
        assert format_eur(Decimal("512400")) == f"512.400,00{NBSP}€"


def test_format_eur_in_english():
    with translation.override("en"):
        assert format_eur(Decimal("512400")) == "€512,400.00"


def test_violation_names_rule_scope_and_numbers(over_cap, concept_year):
    (violation,) = over_cap.violations
    assert violation.rule == Rule.CONCEPT_ANNUAL_CAP
    assert violation.scope == str(concept_year)
    assert violation.unit == Unit.EUR
    assert (violation.limit, violation.actual, violation.excess) == (
        Decimal("500000.00"),
        Decimal("512400.00"),
        Decimal("12400.00"),
    )


def test_violation_message_uses_german_number_format(over_cap, concept_year):
    (violation,) = over_cap.violations
    with translation.override("de"):
        message = violation.message
    assert "512.400,00" in message
    assert "500.000,00" in message
    assert "12.400,00" in message
    assert str(concept_year) in message


def test_violation_message_uses_english_number_format(over_cap):
    (violation,) = over_cap.violations
    with translation.override("en"):
        message = violation.message
    assert "512,400.00" in message
    assert "500,000.00" in message
    assert "12,400.00" in message
    assert "512.400" not in message


def test_budget_rule_error_message_follows_the_active_language(
    application_a, manager_a, concept_year
):
    concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("500000.00")
    )
    with translation.override("en"), pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            code="0846",
            eligible_amount=Decimal("12400.00"),
        )
    (message,) = refused.value.messages
    assert "512,400.00" in message
    (error,) = refused.value.error_list
    assert error.code == Rule.CONCEPT_ANNUAL_CAP


def assert_no_floats(value) -> None:
    if isinstance(value, dict):
        for item in value.values():
            assert_no_floats(item)
    else:
        assert not isinstance(value, float), value


def test_violation_as_dict_gives_money_as_strings_with_two_decimals(over_cap, concept_year):
    (violation,) = over_cap.violations
    shape = violation.as_dict()
    assert {key: shape[key] for key in ("rule", "scope", "limit", "actual", "excess", "unit")} == {
        "rule": "concept_annual_cap",
        "scope": str(concept_year),
        "limit": "500000.00",
        "actual": "512400.00",
        "excess": "12400.00",
        "unit": "EUR",
    }
    assert isinstance(shape["message"], str)
    assert_no_floats(shape)


def test_violation_as_dict_keeps_two_decimals_for_whole_and_fine_amounts():
    violation = Violation(
        Rule.IMPLEMENTATION_CAP,
        "implementation",
        limit=Decimal("3000000"),
        actual=Decimal("3000000.01"),
        unit=Unit.EUR,
    )
    shape = violation.as_dict()
    assert (shape["limit"], shape["actual"], shape["excess"]) == (
        "3000000.00",
        "3000000.01",
        "0.01",
    )


def test_violation_as_dict_for_a_count_has_whole_numbers(project, manager_a):
    application = project.application

    def create(title: str) -> None:
        rd_project_create(
            application=application,
            title=title,
            start_month=application.implementation_start_on,
            end_month=last_month(application),
            by=manager_a,
        )

    create("Second")
    create("Third")
    with pytest.raises(BudgetRuleError) as refused:
        create("Fourth")
    (violation,) = refused.value.violations
    shape = violation.as_dict()
    assert (shape["limit"], shape["actual"], shape["excess"]) == (3, 4, 1)
    assert_no_floats(shape)


def test_violation_for_a_rate_formats_percent(capped_rate, manager_a):
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
    assert violation.as_dict()["actual"] == "90.00"
    with translation.override("de"):
        assert f"90,00{NBSP}%" in violation.message
    with translation.override("en"):
        assert f"90.00{NBSP}%" in violation.message


def test_refused_write_reports_every_broken_rule(
    application_a, manager_a, university, concept_year
):
    """A university line of 600,000.00 in the concept phase breaks two rules at once."""
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            eligible_amount=Decimal("600000.00"),
            grantee=university,
        )
    assert {v.rule for v in refused.value.violations} == {
        Rule.CONCEPT_ANNUAL_CAP,
        Rule.CONCEPT_GRANTEE,
    }
    assert not BudgetLine.objects.exists()
