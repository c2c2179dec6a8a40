"""Form fields for money: euros and cents typed in the user's notation, read by the one amount
parser (``kernel.money.parse_amount``). The budget grid and the admin use them alike."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, translation

from .money import AmountError, Notation, parse_amount


def format_amount(amount: Decimal) -> str:
    """An amount for an input field, in the user's locale with grouping: "1.234,56"."""
    return formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


class AmountInput(forms.TextInput):
    """A text input for euros (a number input would refuse the German "1.234,56")."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return format_amount(value)
        formatted: str | None = super().format_value(value)
        return formatted


class AmountField(forms.DecimalField):
    """Euros and cents typed in the user's notation; empty means nothing (unless required).
    Amounts are never negative unless ``allow_negative``."""

    widget = AmountInput

    def __init__(self, *, allow_negative: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.allow_negative = allow_negative

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or not str(value).strip():
            return None
        notation = Notation.of_language(translation.get_language())
        try:
            return parse_amount(str(value), notation=notation, allow_negative=self.allow_negative)
        except AmountError as error:
            raise ValidationError(str(error), code=error.code) from None
