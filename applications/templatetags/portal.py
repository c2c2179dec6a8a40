"""Template filters of the portal: money and rates in the user's locale, state names."""

from decimal import Decimal
from typing import Any

from django import template

from applications.states import State
from kernel.money import format_eur, format_percent

register = template.Library()


@register.filter
def eur(amount: Decimal | int | None) -> str:
    """``512.400,00 €`` in German, ``€512,400.00`` in English; a dash for no amount."""
    if amount is None or amount == "":
        return "–"
    return format_eur(Decimal(amount))


@register.filter
def percent(rate: Decimal | None) -> str:
    return "–" if rate is None else format_percent(Decimal(rate))


@register.filter
def state_label(value: str) -> str:
    """The words for a state stored as text (history rows keep the raw value)."""
    try:
        return str(State(value).label)
    except ValueError:
        return value


@register.filter
def is_negative(amount: Any) -> bool:
    return amount is not None and amount != "" and Decimal(amount) < 0


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or None: for tables whose columns are years."""
    return mapping.get(key) if mapping else None
