"""Money is Decimal in EUR with two places, rounded half up; formatted in the user's locale."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import formats, translation

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """``rate_percent`` % of ``amount``, rounded half up to the cent."""
    return round_cents(amount * rate_percent / HUNDRED)


def format_eur(amount: Decimal) -> str:
    """``512.400,00 €`` in German, ``€512,400.00`` in English."""
    number = formats.number_format(
        round_cents(amount), decimal_pos=2, use_l10n=True, force_grouping=True
    )
    if (translation.get_language() or "de").startswith("de"):
        return f"{number}\N{NO-BREAK SPACE}€"
    return f"€{number}"


def format_percent(rate_percent: Decimal) -> str:
    return f"{formats.number_format(rate_percent, decimal_pos=2, use_l10n=True)}\N{NO-BREAK SPACE}%"


class MoneyField(models.DecimalField):  # type: ignore[type-arg]
    """A EUR amount: 14 digits, two of them after the point."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class PercentField(models.DecimalField):  # type: ignore[type-arg]
    """A rate in percent with two places (0.00 to 100.00)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
