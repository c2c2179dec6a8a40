"""Violations name the rule, scope, limit, actual and excess; their message uses the user's
number format, and their JSON shape carries money as strings with two decimals."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from budgets.models import BudgetLine
from budgets.services import grantee_terms_set, project_partner_add, rd_project_create
from budgets.violations import BudgetRuleError, Rule, Unit, Violation
from kernel.money import format_eur
from programmes.models import Basis

from .conftest import last_month
from .support import concept_line
from .test_implementation_rules import implementation_line

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


# Dates in messages: the user's style, never ISO (the phase and project dates are data elsewhere).


def english_day(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def german_day(day: date) -> str:
    return f"{day:%d.%m.%Y}"


@pytest.fixture
def year_before_phase(application_a, manager_a, concept_year) -> Violation:
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(application_a, by=manager_a, year=concept_year - 1, eligible_amount=Decimal(1))
    (violation,) = refused.value.violations
    return violation


@pytest.mark.parametrize(("language", "style"), [("en", english_day), ("de", german_day)])
def test_violation_message_gives_phase_dates_in_the_users_style(
    year_before_phase, application_a, language, style
):
    with translation.override(language):
        message = year_before_phase.message
    start, end = application_a.concept_start_on, application_a.concept_end_on
    assert f"({style(start)} " in message
    assert f" {style(end)})" in message
    assert start.isoformat() not in message
    assert end.isoformat() not in message


def test_the_same_violation_speaks_either_language(year_before_phase, application_a):
    """Made once, the violation words its dates in the language active when it is shown."""
    start = application_a.concept_start_on
    with translation.override("de"):
        german = year_before_phase.message
    with translation.override("en"):
        english = year_before_phase.message
    assert german_day(start) in german
    assert english_day(start) in english


@pytest.mark.parametrize(("language", "month"), [("en", "December"), ("de", "Dezember")])
def test_violation_message_gives_project_months_in_the_users_language(
    in_concept_phase, manager_a, company, language, month
):
    start = in_concept_phase.implementation_start_on
    short = rd_project_create(
        application=in_concept_phase,
        title="One year",
        start_month=start,
        end_month=date(start.year, 12, 1),
        by=manager_a,
    )
    project_partner_add(project=short, organisation=company, is_lead=True, by=manager_a)
    with translation.override(language), pytest.raises(BudgetRuleError) as refused:
        implementation_line(short, company, by=manager_a, eligible_cents=100, year=start.year + 1)
    (message,) = refused.value.messages
    assert f"{month} {start.year})" in message
    assert f"{start.year}-12" not in message


@pytest.mark.parametrize(
    "rule", [Rule.CONCEPT_ANNUAL_CAP, Rule.IMPLEMENTATION_CAP, Rule.CLUSTER_CAP]
)
def test_cap_messages_call_the_capped_figure_funding_in_both_languages(rule):
    """The caps apply to grant plus Projektpauschale: docs/glossary.md calls that "funding"
    (Förderung); "grant" (Zuwendung) is the figure without the Projektpauschale."""
    violation = Violation(
        rule, "2026", limit=Decimal("1.00"), actual=Decimal("2.00"), unit=Unit.EUR
    )
    with translation.override("en"):
        english = violation.message
    with translation.override("de"):
        german = violation.message
    assert "funding" in english
    assert "grant" not in english
    assert "Förderung" in german
    assert "Zuwendung" not in german
