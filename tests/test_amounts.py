"""The one amount parser (kernel.money.parse_amount) on the shared table, and its messages."""

from decimal import Decimal

import pytest
from django.utils import translation

from kernel.money import (
    NOT_GERMAN_NOTATION,
    TOO_MANY_DECIMALS,
    AmountError,
    Notation,
    parse_amount,
)

from .amounts import amount_rows


@pytest.mark.parametrize("notation", list(Notation))
def test_parse_amount_reads_the_table(notation):
    for typed, expected in amount_rows(notation):
        if expected is None:
            with pytest.raises(AmountError):
                parse_amount(typed, notation=notation)
        else:
            amount = parse_amount(typed, notation=notation)
            assert amount == expected, typed
            assert amount.as_tuple().exponent == -2, typed  # always to the cent
            assert not amount.is_signed(), typed  # "-0,00" is stored without a sign


@pytest.mark.parametrize("typed", ["1.5", "12.5", "1,234.56"])
def test_parse_amount_says_why_an_english_amount_is_no_german_one(typed):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed, notation=Notation.GERMAN)
    assert refused.value.code == "wrong_notation"
    assert refused.value.message == NOT_GERMAN_NOTATION
    with translation.override("de"):
        assert f"„{typed}“ ist kein Betrag in deutscher Schreibweise" in str(refused.value)


def test_parse_amount_never_rounds():
    with pytest.raises(AmountError) as refused:
        parse_amount("0,005", notation=Notation.GERMAN)
    assert refused.value.code == "too_many_decimals"
    assert refused.value.message == TOO_MANY_DECIMALS


def test_parse_amount_refuses_negatives_unless_allowed():
    with pytest.raises(AmountError) as refused:
        parse_amount("-5,00", notation=Notation.GERMAN)
    assert refused.value.code == "negative"
    assert parse_amount("-5,00", notation=Notation.GERMAN, allow_negative=True) == Decimal("-5")


@pytest.mark.parametrize("typed", ["999999999999,99", "1.000.000.000.000,00"])
def test_parse_amount_keeps_to_what_money_fields_hold(typed):
    if typed.startswith("9"):
        assert parse_amount(typed, notation=Notation.GERMAN) == Decimal("999999999999.99")
    else:
        with pytest.raises(AmountError) as refused:
            parse_amount(typed, notation=Notation.GERMAN)
        assert refused.value.code == "too_large"


@pytest.mark.parametrize("typed", ["", "   ", "€"])
def test_parse_amount_wants_something(typed):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed, notation=Notation.GERMAN)
    assert refused.value.code == "required"
