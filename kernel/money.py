"""Money is Decimal in EUR with two places, rounded half up; formatted in the user's locale, and
read from what people type by one parser (``parse_amount``) for the grid, the import, the admin
and the API."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal("999999999999.99")  # MoneyField: 14 digits, two of them decimals

AMOUNT_REQUIRED = gettext_noop("Enter an amount.")
NOT_AN_AMOUNT = gettext_noop("“%(value)s” is not an amount in euros; write it as %(example)s.")
NOT_GERMAN_NOTATION = gettext_noop(
    "“%(value)s” is not an amount in German notation: the decimal mark is a comma and dots "
    "group thousands in threes, as in %(example)s."
)
NOT_ENGLISH_NOTATION = gettext_noop(
    "“%(value)s” is not an amount in English notation: the decimal mark is a point and commas "
    "group thousands in threes, as in %(example)s."
)
NOT_API_NOTATION = gettext_noop(
    "“%(value)s” is not an amount: write digits with a point and at most two decimals, such as "
    "%(example)s (no spaces, exponents or thousands separators)."
)
AMOUNT_NOT_A_STRING = gettext_noop(
    "An amount is a string such as %(example)s, not a JSON number (numbers lose cents)."
)
TOO_MANY_DECIMALS = gettext_noop(
    "“%(value)s” has more than two decimal places: amounts are in euros and cents."
)
NEGATIVE_AMOUNT = gettext_noop("“%(value)s” is negative; amounts cannot be negative.")
AMOUNT_TOO_LARGE = gettext_noop(
    "“%(value)s” is larger than the largest amount the system keeps (%(largest)s)."
)


class Notation(StrEnum):
    """How an amount is written: as people write it in German or English, or as the API's
    schema says (digits, a point, at most two decimals)."""

    GERMAN = "de"
    ENGLISH = "en"
    API = "api"

    @classmethod
    def of_language(cls, language: str | None) -> "Notation":
        return cls.ENGLISH if (language or "de").startswith("en") else cls.GERMAN


# Digits, optionally grouped in threes by the notation's separator (or a space), then the
# decimal mark and digits. How many decimals is checked afterwards, to say so in the error.
_SPACES = "[ \N{NO-BREAK SPACE}\N{NARROW NO-BREAK SPACE}]"


def _people(group: str, mark: str) -> re.Pattern[str]:
    # A grouped number starts with 1 to 3 digits that are not a zero ("0.005" is no grouping).
    whole = rf"[1-9]\d{{0,2}}(?:(?:{group}|{_SPACES})\d{{3}})+|\d+"
    return re.compile(rf"(?P<sign>-?)(?P<whole>{whole})(?:{mark}(?P<fraction>\d+))?")


_PEOPLE = {Notation.GERMAN: _people(r"\.", ","), Notation.ENGLISH: _people(",", r"\.")}
_API = re.compile(r"(?P<sign>-?)(?P<whole>\d+)(?:\.(?P<fraction>\d+))?")
_EXAMPLES = {Notation.GERMAN: "1.234,56", Notation.ENGLISH: "1,234.56", Notation.API: '"1234.56"'}
_OTHER = {Notation.GERMAN: Notation.ENGLISH, Notation.ENGLISH: Notation.GERMAN}
_WRONG_NOTATION = {Notation.GERMAN: NOT_GERMAN_NOTATION, Notation.ENGLISH: NOT_ENGLISH_NOTATION}


@dataclass(frozen=True)
class AmountError(ValueError):
    """Why a text is not an amount: a stable ``code``, and the message (a constant of this module)
    with its parameters, translated when it is shown (``str()``)."""

    code: str
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return gettext(self.message) % self.params


def parse_amount(text: str, *, notation: Notation, allow_negative: bool = False) -> Decimal:
    """An amount in EUR from what was typed, exactly to the cent (never rounded).

    People's notations ignore spaces around it and a "€"/"EUR"; the API's takes the schema's
    string only. A German "1.5" or "12.5" is refused (a dot groups thousands in threes there),
    so is an English "1.234,5"; neither is ever read as 15 or 125. "-0,00" is zero.
    """
    shown = text.strip()
    cleaned = text
    if notation is Notation.API:
        match = _API.fullmatch(text)
    else:
        cleaned = re.sub(r"(?i)^\s*(€|eur)?\s*|\s*(€|eur)?\s*$", "", text)
        match = _PEOPLE[notation].fullmatch(cleaned)
    if not cleaned.strip():
        raise AmountError("required", AMOUNT_REQUIRED)
    if match is None:
        raise _unreadable(shown, notation, cleaned)
    whole = re.sub(r"\D", "", match["whole"])
    fraction = match["fraction"] or ""
    params = {"value": shown}
    if len(fraction) > 2:
        raise AmountError("too_many_decimals", TOO_MANY_DECIMALS, params)
    try:
        amount = Decimal(f"{match['sign']}{whole}.{fraction or '0'}").quantize(CENT)
    except InvalidOperation as error:  # too many digits for the context
        raise AmountError("too_large", AMOUNT_TOO_LARGE, _largest(params)) from error
    if amount == 0:
        return abs(amount)  # "-0,00" is zero, stored without a sign
    if amount < 0 and not allow_negative:
        raise AmountError("negative", NEGATIVE_AMOUNT, params)
    if abs(amount) > MAX_AMOUNT:
        raise AmountError("too_large", AMOUNT_TOO_LARGE, _largest(params))
    return amount


def _unreadable(shown: str, notation: Notation, cleaned: str) -> AmountError:
    params = {"value": shown, "example": _EXAMPLES[notation]}
    if notation is Notation.API:
        return AmountError("invalid", NOT_API_NOTATION, params)
    if _PEOPLE[_OTHER[notation]].fullmatch(cleaned.strip()):
        return AmountError("wrong_notation", _WRONG_NOTATION[notation], params)
    return AmountError("invalid", NOT_AN_AMOUNT, params)


def _largest(params: dict[str, str]) -> dict[str, str]:
    return {**params, "largest": format_eur(MAX_AMOUNT)}


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
