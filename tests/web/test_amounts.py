"""Amounts as users type them into the budget grid: "1.234,56" in German, "1,234.56" in English,
read by the one amount parser. The shared table (tests/amounts.py) runs through the grid page;
nothing is read as a number ten or a thousand times off, and a refused cell saves nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.states import State
from budgets.models import BudgetLine, Phase
from kernel.forms import AmountField, format_amount
from kernel.money import TOO_MANY_DECIMALS

from ..amounts import people_rows
from .conftest import browser
from .test_budget_grid import cell, grid_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(application_a, to_state):
    return to_state(application_a, State.SELECTED)


@pytest.mark.parametrize(("language", "typed", "expected"), people_rows())
def test_grid_reads_the_amount_table(manager_a, selected, language, typed, expected):
    management = selected.cluster.management_organisation
    name = cell(management, "AZA", "0812", selected.concept_start_on.year)

    response = browser(manager_a, language).post(grid_url(selected), {name: typed})

    lines = BudgetLine.objects.filter(application=selected, phase=Phase.CONCEPT)
    if expected is None:
        assert response.status_code == 200
        assert response.context["form"].errors[name], typed
        assert not lines.exists()
    elif expected == 0:
        assert response.status_code == 302
        assert not lines.exists()  # a zero cell is no line
    else:
        assert response.status_code == 302, response.context["form"].errors
        assert [line.eligible_amount for line in lines] == [expected]


def test_field_refuses_three_decimals_naming_what_was_typed():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        AmountField().clean("1,234.567")
    assert refused.value.messages == [TOO_MANY_DECIMALS % {"value": "1,234.567"}]
    assert refused.value.code == "too_many_decimals"


def test_field_refuses_negative_amounts():
    with translation.override("de"), pytest.raises(ValidationError):
        AmountField().clean("-5,00")


def test_field_reads_empty_as_nothing():
    assert AmountField(required=False).clean("") is None


def test_field_gives_two_decimals():
    with translation.override("de"):
        assert AmountField().clean("7") == Decimal("7.00")


def test_field_refuses_more_digits_than_money_has():
    with translation.override("en"), pytest.raises(ValidationError):
        AmountField().clean("1,000,000,000,000.00")


def test_amounts_are_shown_grouped_in_the_users_language():
    with translation.override("de"):
        assert format_amount(Decimal("1234567.5")) == "1.234.567,50"
    with translation.override("en"):
        assert format_amount(Decimal("1234567.5")) == "1,234,567.50"
