"""Serializer building blocks: money as strings with two decimals, and input that refuses keys
it does not know (a typo or a read-only field such as ``state`` is an error, never dropped)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kernel.money import AMOUNT_NOT_A_STRING, AmountError, Notation, parse_amount

LARGEST_ID = 2**63 - 1  # a BigAutoField
READ_ONLY_FIELD = _("This field cannot be written.")
UNKNOWN_FIELD = _("There is no such field.")


class MoneyField(serializers.DecimalField):
    """A EUR amount: a string with at most two decimals in JSON ("1234.56"), never a number.
    Input is read by the one amount parser in the API's notation (``kernel.money``)."""

    def to_internal_value(self, data: Any) -> Decimal:
        if not isinstance(data, str):
            raise serializers.ValidationError(
                gettext(AMOUNT_NOT_A_STRING) % {"example": '"1234.56"'}, code="not_a_string"
            )
        allow_negative = self.min_value is None or self.min_value < 0
        try:
            amount = parse_amount(data, notation=Notation.API, allow_negative=allow_negative)
        except AmountError as error:
            raise serializers.ValidationError(str(error), code=error.code) from None
        self.validate_precision(amount)
        return amount


def object_id(**kwargs: Any) -> serializers.IntegerField:
    """An id in a request body: a whole number a primary key can hold; anything else is a 400,
    never a database error (a huge number reaches no query)."""
    return serializers.IntegerField(min_value=1, max_value=LARGEST_ID, **kwargs)


def money(**kwargs: Any) -> MoneyField:
    """A EUR amount: a string with exactly two decimals in JSON, never a float."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    return MoneyField(coerce_to_string=True, **kwargs)


def percent(**kwargs: Any) -> serializers.DecimalField:
    """A rate in percent: a string with two decimals ("70.00")."""
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    return serializers.DecimalField(coerce_to_string=True, **kwargs)


class StrictInput(serializers.Serializer):  # type: ignore[type-arg]
    """Input shape only: types, required fields, digits. Unknown or read-only keys are refused.

    ``output`` is the serializer of the resource as it is shown: its other fields (``state``,
    ``id``, grants, ...) are named read-only in the error, rather than unknown."""

    output: type[serializers.Serializer] | None = None  # type: ignore[type-arg]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            shown = set(self.output().fields) if self.output else set()
            errors = {
                str(name): [READ_ONLY_FIELD if name in shown else UNKNOWN_FIELD]
                for name in data
                if name not in writable
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
