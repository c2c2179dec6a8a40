"""Amounts as users type them: "1.234,56" in German, "1,234.56" in English; thousands
separators must group three digits, so nothing is read as a number ten or a thousand times off."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from budgets.forms import TOO_MANY_DECIMALS, AmountField, format_amount, parse_amount


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1.234", "1234"),
        ("12.345.678,9", "12345678.9"),
        ("0,5", "0.5"),
        ("  512.400,00 € ", "512400.00"),
        ("1 234,56", "1234.56"),
        ("1\N{NO-BREAK SPACE}234,56", "1234.56"),
    ],
)
def test_german_amounts(typed, amount):
    with translation.override("de"):
        assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1,234.56", "1234.56"), ("1234.56", "1234.56"), ("€512,400.00", "512400.00")],
)
def test_english_amounts(typed, amount):
    with translation.override("en"):
        assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["1.5", "1.23,4", "12,34.5", "1,2,3", "abc", "1.2345", ",5"])
def test_german_amounts_that_are_not_numbers(typed):
    with translation.override("de"), pytest.raises(ValueError, match=re.escape(typed)):
        parse_amount(typed)


@pytest.mark.parametrize("typed", ["1234,56", "1,23", "1.234.56"])
def test_english_amounts_that_are_not_numbers(typed):
    with translation.override("en"), pytest.raises(ValueError, match=re.escape(typed)):
        parse_amount(typed)


def test_field_refuses_three_decimals_naming_what_was_typed():
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        AmountField().clean("1.234,567")
    assert refused.value.messages == [str(TOO_MANY_DECIMALS) % {"value": "1.234,567"}]


def test_field_refuses_negative_amounts():
    with translation.override("de"), pytest.raises(ValidationError):
        AmountField().clean("-5,00")


def test_field_reads_empty_as_nothing():
    assert AmountField().clean("") is None


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
