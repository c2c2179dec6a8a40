"""The template's read-only columns (``layout.READ_ONLY_KEYS``: the application, the position's
name, the grantee's funding rate and Projektpauschale, the line's last change): shown for
reading, never imported. A value there that differs from what the system shows for the row is
a problem, so nobody takes a funding rate changed in the file for a changed rate.

A blank cell is always accepted (rows added in the template have these cells empty), and a new
line's "last changed" is not compared (a row copied to add a line carries the original's).
Texts the export writes in the user's language are accepted in either language.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kernel.money import CENT, HUNDRED, format_percent
from programmes.models import Organisation

from ..models import BudgetLine, GranteeTerms
from ..protocols import BudgetedApplication
from ..workbooks.layout import LANGUAGES, READ_ONLY_KEYS
from .problems import READ_ONLY_CHANGED, Code, Problem, say
from .sheet import Table

TermsOf = Callable[[Organisation], GranteeTerms]
SAME_MOMENT = timedelta(seconds=1)  # a spreadsheet keeps times to about a millisecond


@dataclass(frozen=True)
class Expected:
    """What a read-only cell of one row should say: the values accepted, and how to show it."""

    accepted: Sequence[Any]
    shown: str


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _quoted(text: Any) -> str:
    return f"“{text}”" if not _blank(text) else _("an empty cell")


def _text(*accepted: str) -> Expected:
    return Expected([text.strip().casefold() for text in accepted], _quoted(accepted[0]))


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _matches(key: str, value: Any, expected: Expected) -> bool:
    if key in {"round"}:
        return _number(value) in expected.accepted
    if key == "funding_rate":
        number = _number(value)
        return number is not None and (number * HUNDRED).quantize(CENT) in expected.accepted
    if key == "projektpauschale":
        return isinstance(value, bool | int) and bool(value) in expected.accepted
    if key == "updated_at":
        return isinstance(value, datetime) and any(
            abs(value - moment) <= SAME_MOMENT for moment in expected.accepted
        )
    return str(value).strip().casefold() in expected.accepted


def _shown(key: str, value: Any) -> str:
    number = _number(value)
    if key == "funding_rate" and number is not None:
        return format_percent((number * HUNDRED).quantize(CENT))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    return _quoted(value)


def _state_words(application: BudgetedApplication) -> list[str]:
    """The state as a code and in every language the template is written in."""
    words = [str(application.state)]
    for language in LANGUAGES:
        with translation.override(language):
            words.append(str(application.get_state_display()))
    return words


class ReadOnlyCheck:
    """The expected read-only values of an application's rows."""

    def __init__(self, application: BudgetedApplication, terms_of: TermsOf) -> None:
        self.terms_of = terms_of
        self.of_application: Mapping[str, Expected] = {
            "programme": _text(application.round.programme.short_name),
            "round": Expected(
                [Decimal(application.round.number)], _quoted(application.round.number)
            ),
            "cluster": _text(application.cluster.name),
            "application_title": _text(application.title),
            "state": _text(application.get_state_display(), *_state_words(application)),
        }

    def expected(self, key: str, line: BudgetLine) -> Expected | None:
        """What the cell ``key`` of ``line``'s row should say; None: not compared."""
        if key in self.of_application:
            return self.of_application[key]
        if key == "position_name":
            position = line.position
            german = (translation.get_language() or "de").startswith("de")
            names = (position.name_de, position.name_en)
            return _text(*(names if german else reversed(names)))
        terms = self.terms_of(line.grantee)
        if key == "funding_rate":
            return Expected([terms.funding_rate], format_percent(terms.funding_rate))
        if key == "projektpauschale":
            flag = terms.has_projektpauschale
            return Expected([flag], _("yes") if flag else _("no"))
        if key == "updated_at" and line.pk is not None and line.updated_at is not None:
            moment = timezone.localtime(line.updated_at).replace(tzinfo=None)
            return Expected([moment], formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
        return None


def read_only_problems(
    application: BudgetedApplication,
    table: Table,
    parsed: Sequence[tuple[int, BudgetLine, bool]],
    terms_of: TermsOf,
) -> list[Problem]:
    """Every read-only cell of a parsed row that says something other than the system."""
    check = ReadOnlyCheck(application, terms_of)
    cells = dict(table.rows)
    found = []
    for number, line, _is_new in parsed:
        for key in READ_ONLY_KEYS:
            value = cells[number].get(key)
            if key not in table.columns or _blank(value):
                continue
            expected = check.expected(key, line)
            if expected is None or _matches(key, value, expected):
                continue
            message = say(
                READ_ONLY_CHANGED,
                {
                    "heading": table.headings[key],
                    "value": _shown(key, value),
                    "expected": expected.shown,
                },
            )
            found.append(table.locate(key, number, Code.READ_ONLY_CHANGED, message))
    return found
