"""Writes to programmes and their rounds, used alike by pages and API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import access
from .models import Programme, Round

ONLY_OFFICERS_CREATE_ROUNDS = gettext_noop("Only ministry officers may create rounds.")
ROUND_NUMBER_TAKEN = gettext_noop(
    "%(programme)s already has a round %(number)s (its rounds: %(taken)s); the next number "
    "is %(next)s."
)
ROUND_NUMBER_NOT_POSITIVE = gettext_noop(
    "Rounds are numbered from 1; the number given is %(number)s."
)


def round_create(
    *,
    programme: Programme,
    number: int,
    call_published_on: date,
    outline_deadline_at: datetime,
    funding_starts_on: date,
    selection_quota: int,
    envelope_amount: Decimal,
    min_submitted_reviews: int = 2,
    by: Any,
) -> Round:
    """Open a new competitive round of ``programme``. Officers only. Its number is unique in
    the programme (the programme's row is locked, so two officers cannot both take it); its
    outline deadline is after the call is published; its envelope and its quota are positive
    (``Round.clean``). Every broken rule is reported at once, with the numbers; nothing is
    written then."""
    if not access.is_officer(by):
        raise PermissionDenied(_(ONLY_OFFICERS_CREATE_ROUNDS))
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        round_ = Round(
            programme=programme,
            number=number,
            call_published_on=call_published_on,
            outline_deadline_at=outline_deadline_at,
            funding_starts_on=funding_starts_on,
            selection_quota=selection_quota,
            envelope_amount=envelope_amount,
            min_submitted_reviews=min_submitted_reviews,
        )
        errors: dict[str, list[ValidationError]] = {}
        try:
            round_.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if number_error := _number_refused(programme, number):
            errors["number"] = [ValidationError(number_error, code="round_number")]
        try:
            # Shape rules (digits, ranges) of the fields the round's own rules left alone.
            round_.clean_fields(exclude=["programme", *errors])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        round_.save()
    return round_


def _number_refused(programme: Programme, number: int) -> str | None:
    """Why ``number`` cannot be the programme's next round, or None."""
    if number < 1:
        return _(ROUND_NUMBER_NOT_POSITIVE) % {"number": number}
    taken = sorted(Round.objects.filter(programme=programme).values_list("number", flat=True))
    if number not in taken:
        return None
    return _(ROUND_NUMBER_TAKEN) % {
        "programme": programme.short_name,
        "number": number,
        "taken": ", ".join(str(n) for n in taken),
        "next": taken[-1] + 1,
    }
