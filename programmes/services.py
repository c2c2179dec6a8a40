"""Writes to programmes, their rounds and the organisations, used alike by pages and API:
rounds by officers; organisations proposed by cluster managements, added as reference data by
officers, and the officers' confirmation of proposals. Each is one transaction; organisations
keep their history with its writer."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel import clock
from kernel.history import save_with_history
from kernel.locks import lock_name

from . import access
from .models import Organisation, Programme, Round
from .names import name_key

ONLY_OFFICERS_CREATE_ROUNDS = gettext_noop("Only ministry officers may create rounds.")
ONLY_OFFICERS_CHANGE_ROUNDS = gettext_noop("Only ministry officers may change rounds.")
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
        _check_round(round_)
        round_.save()
    return round_


def round_update(*, round_: Round, changes: dict[str, Any], by: Any) -> Round:
    """An officer changes a round (the admin): the rules of :func:`round_create` on the
    result, under the same lock; its programme stays."""
    if not access.is_officer(by):
        raise PermissionDenied(_(ONLY_OFFICERS_CHANGE_ROUNDS))
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=round_.programme_id)
        locked = Round.objects.select_related("programme").get(pk=round_.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        _check_round(locked)
        locked.save()
    return locked


def _check_round(round_: Round) -> None:
    """Every broken rule of the round at once, with the numbers (``ValidationError``)."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        round_.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if number_error := _number_refused(round_):
        errors["number"] = [ValidationError(number_error, code="round_number")]
    try:
        # Shape rules (digits, ranges) of the fields the round's own rules left alone.
        round_.clean_fields(exclude=["programme", *errors])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _number_refused(round_: Round) -> str | None:
    """Why the round cannot have its number in its programme, or None."""
    programme, number = round_.programme, round_.number
    if number < 1:
        return _(ROUND_NUMBER_NOT_POSITIVE) % {"number": number}
    others = Round.objects.filter(programme=programme).exclude(pk=round_.pk)
    taken = sorted(others.values_list("number", flat=True))
    if number not in taken:
        return None
    return _(ROUND_NUMBER_TAKEN) % {
        "programme": programme.short_name,
        "number": number,
        "taken": ", ".join(str(n) for n in taken),
        "next": taken[-1] + 1,
    }


MAY_NOT_PROPOSE = gettext_noop(
    "Only ministry officers and cluster managements may add an organisation."
)
MAY_NOT_CONFIRM = gettext_noop("Only ministry officers may confirm an organisation.")
MAY_NOT_EDIT = gettext_noop("Only ministry officers may change an organisation.")
CITY_REQUIRED = gettext_noop("Give the city of the new organisation.")
DUPLICATE = gettext_noop(
    "This organisation exists already: %(name)s, %(city)s (no. %(id)s). Choose it rather than "
    "adding it again."
)
DUPLICATE_PROPOSED = gettext_noop(
    "Another cluster has proposed this organisation already; it can be used once a ministry "
    "officer has confirmed it."
)


def _duplicate_of(organisation: Organisation) -> Organisation | None:
    """Another organisation of the same country whose name means the same
    (``programmes.names``)."""
    return (
        Organisation.objects.filter(
            country=organisation.country, name_key=name_key(organisation.name)
        )
        .exclude(pk=organisation.pk)
        .order_by("pk")
        .first()
    )


def _ensure_new(organisation: Organisation, *, by: Any) -> None:
    """Refuse a duplicate, naming the existing organisation (unless ``by`` may not see it)."""
    existing = _duplicate_of(organisation)
    if existing is None:
        return
    if not access.can_see_organisation(by, existing):
        raise ValidationError(
            {"name": ValidationError(_(DUPLICATE_PROPOSED), code="duplicate_organisation")}
        )
    raise ValidationError(
        {
            "name": ValidationError(
                _(DUPLICATE)
                % {"name": existing.name, "city": existing.city or "–", "id": existing.pk},
                code="duplicate_organisation",
            )
        }
    )


def organisation_propose(
    *,
    name: str,
    legal_form: str,
    size_class: str,
    country: str,
    city: str,
    register_number: str = "",
    vat_number: str = "",
    by: Any,
) -> Organisation:
    """Add an organisation. An officer's is reference data, confirmed at once; a cluster
    management's is its cluster's proposal: usable in the cluster's own plans at once, seen by
    other clusters once an officer confirms it. Refused if an organisation of the same country
    has the same name, whatever its case, spacing and legal-form suffix; the check and the
    write hold a lock per country, so two proposals at once cannot both pass."""
    is_officer = access.is_officer(by)
    cluster_id = None if is_officer else access.cluster_id_of(by)
    if not is_officer and cluster_id is None:
        raise PermissionDenied(_(MAY_NOT_PROPOSE))
    if not city.strip():
        raise ValidationError({"city": ValidationError(_(CITY_REQUIRED), code="required")})
    organisation = Organisation(
        name=name.strip(),
        legal_form=legal_form,
        size_class=size_class,
        country=country.strip().upper(),
        city=city.strip(),
        register_number=register_number.strip(),
        vat_number=vat_number.strip(),
        proposed_by_cluster_id=cluster_id,
        confirmed_at=clock.now() if is_officer else None,
        confirmed_by=by if is_officer else None,
    )
    # Field rules first (an unknown country, a company without size), without the database.
    organisation.clean_fields()
    organisation.clean()
    with transaction.atomic():
        lock_name(f"organisation names in {organisation.country}")
        _ensure_new(organisation, by=by)
        organisation.validate_constraints()
        save_with_history(organisation, by=by)
    return organisation


def organisation_update(
    *, organisation: Organisation, changes: dict[str, Any], by: Any
) -> Organisation:
    """An officer changes an organisation (admin, API). A new name or country is checked for
    duplicates as a proposal is, under the same lock per country; a change that changes nothing
    writes nothing."""
    if not access.is_officer(by):
        raise PermissionDenied(_(MAY_NOT_EDIT))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        stored = {name: getattr(locked, name) for name in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        # Field rules first; they normalise values (country codes) before they are compared.
        locked.clean_fields()
        locked.clean()
        if all(getattr(locked, name) == value for name, value in stored.items()):
            return locked
        lock_name(f"organisation names in {locked.country}")
        _ensure_new(locked, by=by)
        locked.validate_constraints()
        save_with_history(locked, by=by)
    return locked


def organisation_confirm(*, organisation: Organisation, by: Any) -> Organisation:
    """An officer confirms a cluster's proposal: from now on every cluster sees it and may use
    it. Confirming a confirmed organisation changes nothing (and writes no history row)."""
    if not access.is_officer(by):
        raise PermissionDenied(_(MAY_NOT_CONFIRM))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.is_confirmed:
            return locked
        locked.confirmed_at = clock.now()
        locked.confirmed_by = by
        save_with_history(locked, by=by)
    return locked
