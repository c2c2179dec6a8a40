"""Writes to drawdowns and payment runs. Each is one atomic action under the application's row
lock (which serialises every request of its grantees), and transitions write their history
row. Refused: nothing is written, and the error says why with the numbers."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.models import Application
from applications.services import TransitionError, TransitionNotPermitted, TransitionRefused
from budgets.models import BudgetPosition, Phase, RDProject
from kernel import clock
from kernel.money import CENT
from programmes.models import Organisation

from . import access
from .guards import SUBMIT_GUARDS
from .models import DrawdownPosition, DrawdownRequest, DrawdownTransition, PaymentRun
from .selectors import COMMENT_REQUIRED, TRANSITION_NAMES, transition_option
from .states import DrawdownState

NOT_ENTERABLE = gettext_noop(
    "Only the cluster's own management enters and changes its drawdown requests, while they "
    "are drafts or returned for correction."
)
CHANGED_MEANWHILE = gettext_noop(
    "The request was changed meanwhile (it is now %(state)s). Reload it and try again."
)
UNKNOWN_TRANSITION = gettext_noop("There is no transition “%(name)s”.")
TOO_MANY_DECIMALS = gettext_noop(
    "The amount of position %(position)s (%(amount)s) has more than two decimal places."
)
PROJECT_ELSEWHERE = gettext_noop("The R&D project belongs to another application.")
PROJECT_NEEDED = gettext_noop("A drawdown of the implementation phase names its R&D project.")
PROJECT_NOT_IN_CONCEPT = gettext_noop("A drawdown of the concept phase names no R&D project.")
POSITION_TWICE = gettext_noop("Position %(position)s is given twice.")
PAY_BY_RUN = gettext_noop("A request is marked paid with its payment run.")
NOT_PAYMENT_OFFICER = gettext_noop("Only payment officers put requests into runs and pay them.")
NOT_RELEASED = gettext_noop(
    "Request %(number)s is %(state)s; only released requests go into a payment run."
)
IN_ANOTHER_RUN = gettext_noop("Request %(number)s is already in payment run %(run)s.")
EMPTY_RUN = gettext_noop("A payment run needs at least one released request.")
RUN_ALREADY_PAID = gettext_noop("Payment run %(run)s was marked paid on %(paid_on)s already.")
REFERENCE_MISSING = gettext_noop("Give the cash office's payment reference.")
NOT_PAID_AZA = gettext_noop("Only a paid request on the expenditure basis (AZA) is reported spent.")
SPENT_BEFORE_PAYMENT = gettext_noop("The money cannot be spent before it was paid (%(paid_on)s).")


class DrawdownChangedMeanwhile(TransitionError):
    """Someone else changed the request after the caller loaded it."""


PositionInput = tuple[BudgetPosition, Decimal]


def _lock_application(application_id: int) -> Application:
    """Lock the application: every drawdown of its grantees is checked against the others
    under this lock, so two requests cannot both take the last of a year's grant."""
    locked: Application = (
        Application.objects.select_for_update(of=("self",)).with_programme().get(pk=application_id)
    )
    return locked


def _lock_drawdown(drawdown_id: int, application: Application) -> DrawdownRequest:
    locked: DrawdownRequest = (
        DrawdownRequest.objects.select_for_update(of=("self",))
        .select_related("grantee", "checked_by")
        .get(pk=drawdown_id)
    )
    locked.application = application
    return locked


def _refuse(refusals: Sequence[Refusal]) -> None:
    if refusals:
        raise TransitionRefused(
            refusals[0].code, " ".join(r.detail for r in refusals), tuple(refusals)
        )


def _positions_checked(positions: Sequence[PositionInput]) -> list[PositionInput]:
    """Each position once, its amount in whole cents (the interfaces parse with
    ``kernel.money``; this refuses what reaches the service some other way)."""
    seen: set[int] = set()
    for position, amount in positions:
        if position.pk in seen:
            raise ValidationError(_(POSITION_TWICE) % {"position": position.code}, "position_twice")
        seen.add(position.pk)
        if amount != amount.quantize(CENT):
            raise ValidationError(
                _(TOO_MANY_DECIMALS) % {"position": position.code, "amount": amount},
                "too_many_decimals",
            )
    return list(positions)


def _check_project(application: Application, phase: str, rd_project: RDProject | None) -> None:
    if phase == Phase.CONCEPT and rd_project is not None:
        raise ValidationError(_(PROJECT_NOT_IN_CONCEPT), "project_not_in_concept")
    if phase == Phase.IMPLEMENTATION and rd_project is None:
        raise ValidationError(_(PROJECT_NEEDED), "project_needed")
    if rd_project is not None and rd_project.application_id != application.pk:
        raise ValidationError(_(PROJECT_ELSEWHERE), "project_elsewhere")


def _write(drawdown: DrawdownRequest, positions: list[PositionInput] | None) -> DrawdownRequest:
    """Check the request as it would be against every rule, then write it and its positions."""
    if positions is not None:
        drawdown.pending_positions = positions
    _refuse([refusal for guard in SUBMIT_GUARDS for refusal in guard.refusals(drawdown)])
    drawdown.full_clean(exclude=["state", "application", "grantee", "rd_project"])
    drawdown.save()
    if positions is not None:
        drawdown.positions.all().delete()
        DrawdownPosition.objects.bulk_create(
            DrawdownPosition(request=drawdown, position=position, amount=amount)
            for position, amount in positions
        )
        drawdown.pending_positions = None
    return drawdown


def drawdown_create(
    *,
    application: Application,
    phase: str,
    grantee: Organisation,
    year: int,
    period_start_on: date,
    period_end_on: date,
    positions: Sequence[PositionInput],
    by: Any,
    rd_project: RDProject | None = None,
    spend_by_on: date | None = None,
    purpose: str = "",
) -> DrawdownRequest:
    """A draft request of a grantee for a year, entered by the cluster's own management; it
    keeps every rule of a submitted one already (so a refusal comes before anything is saved)."""
    if not access.can_enter_drawdowns(by, application):
        raise PermissionDenied(_(NOT_ENTERABLE))
    checked = _positions_checked(positions)
    with transaction.atomic():
        locked = _lock_application(application.pk)
        _check_project(locked, phase, rd_project)
        drawdown = DrawdownRequest(
            application=locked,
            phase=phase,
            rd_project=rd_project,
            grantee=grantee,
            year=year,
            period_start_on=period_start_on,
            period_end_on=period_end_on,
            spend_by_on=spend_by_on,
            purpose=purpose,
        )
        return _write(drawdown, checked)


EDITABLE_FIELDS = frozenset({"year", "period_start_on", "period_end_on", "spend_by_on", "purpose"})


def drawdown_update(
    *,
    drawdown: DrawdownRequest,
    by: Any,
    positions: Sequence[PositionInput] | None = None,
    **changes: Any,
) -> DrawdownRequest:
    """Change a draft or returned request (its grantee and phase stay); ``positions`` replace
    the request's positions when given."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    checked = None if positions is None else _positions_checked(positions)
    with transaction.atomic():
        application = _lock_application(drawdown.application_id)
        locked = _lock_drawdown(drawdown.pk, application)
        if not access.can_edit_drawdown(by, locked):
            raise PermissionDenied(_(NOT_ENTERABLE))
        for name, value in changes.items():
            setattr(locked, name, value)
        return _write(locked, checked)


def drawdown_transition(
    *,
    drawdown: DrawdownRequest,
    name: str,
    by: Any,
    comment: str = "",
    expected_state: str | None = None,
) -> DrawdownRequest:
    """Fire transition ``name`` as ``by``: lock the application and the request, check that
    nobody changed the request since the user saw it, check role, four eyes, comment and the
    rules, apply it and record who, when, from, to and why. Paying goes through the payment
    run (``payment_run_mark_paid``)."""
    if name not in TRANSITION_NAMES:
        raise TransitionRefused("unknown_transition", _(UNKNOWN_TRANSITION) % {"name": name})
    if name == "pay":
        raise TransitionRefused("pay_by_run", _(PAY_BY_RUN))
    with transaction.atomic():
        application = _lock_application(drawdown.application_id)
        locked = _lock_drawdown(drawdown.pk, application)
        return _fire(locked, name, by, comment, expected_state or drawdown.state)


def _fire(
    locked: DrawdownRequest,
    name: str,
    by: Any,
    comment: str,
    expected_state: str,
    **arguments: Any,
) -> DrawdownRequest:
    """The transition on a locked request, inside the caller's transaction."""
    comment = comment.strip()
    if locked.state != expected_state:
        raise DrawdownChangedMeanwhile(
            "changed_meanwhile", _(CHANGED_MEANWHILE) % {"state": locked.get_state_display()}
        )
    option = transition_option(locked, name, by)
    refusals = tuple(option.refusals)
    if option.code in ("not_permitted", "four_eyes"):
        raise TransitionNotPermitted(option.code, refusals[0].detail, refusals)
    if option.code == "wrong_state":
        raise TransitionRefused(option.code, refusals[0].detail, refusals)
    if option.comment_required and not comment:
        raise TransitionRefused(
            "comment_required", _(COMMENT_REQUIRED) % {"transition": option.label}
        )
    _refuse(refusals)
    if name in ("mark_checked", "release"):
        arguments["by"] = by
    source = locked.state
    getattr(locked, name)(**arguments)
    locked.save()
    DrawdownTransition.objects.create(
        request=locked,
        transition=name,
        source_state=source,
        target_state=locked.state,
        by=by,
        at=clock.now(),
        comment=comment,
    )
    return locked


def drawdown_report_spent(*, drawdown: DrawdownRequest, spent_on: date, by: Any) -> DrawdownRequest:
    """The cluster management reports a paid AZA request as spent, which ends its flag."""
    with transaction.atomic():
        application = _lock_application(drawdown.application_id)
        locked = _lock_drawdown(drawdown.pk, application)
        if not access.can_report_spent(by, locked):
            raise PermissionDenied(_(NOT_ENTERABLE))
        if locked.state != DrawdownState.PAID or locked.spend_by_on is None:
            raise ValidationError(_(NOT_PAID_AZA), "not_paid_aza")
        assert locked.paid_on is not None  # paid requests have their date
        if spent_on < locked.paid_on:
            raise ValidationError(
                _(SPENT_BEFORE_PAYMENT) % {"paid_on": locked.paid_on.isoformat()},
                "spent_before_payment",
            )
        locked.spent_reported_on = spent_on
        locked.save(update_fields=["spent_reported_on", "updated_at"])
    return locked


@transaction.atomic
def payment_run_create(*, drawdowns: Sequence[DrawdownRequest], by: Any) -> PaymentRun:
    """Group released requests, none in a run yet, into a new payment run."""
    if not access.can_manage_payment_runs(by):
        raise PermissionDenied(_(NOT_PAYMENT_OFFICER))
    if not drawdowns:
        raise ValidationError(_(EMPTY_RUN), "empty_run")
    locked = list(
        DrawdownRequest.objects.select_for_update()
        .filter(pk__in=[d.pk for d in drawdowns])
        .order_by("pk")
    )
    for drawdown in locked:
        context = {"number": drawdown.pk, "state": drawdown.get_state_display()}
        if drawdown.state != DrawdownState.RELEASED:
            raise ValidationError(_(NOT_RELEASED) % context, "not_released")
        if drawdown.payment_run_id is not None:
            raise ValidationError(
                _(IN_ANOTHER_RUN) % {**context, "run": drawdown.payment_run_id}, "in_another_run"
            )
    run = PaymentRun.objects.create(created_by=by)
    DrawdownRequest.objects.filter(pk__in=[d.pk for d in locked]).update(payment_run=run)
    return run


@transaction.atomic
def payment_run_mark_paid(*, run: PaymentRun, paid_on: date, reference: str, by: Any) -> PaymentRun:
    """The cash office has paid the run: each request becomes paid with the run's date and
    reference, each with its history row."""
    if not access.can_manage_payment_runs(by):
        raise PermissionDenied(_(NOT_PAYMENT_OFFICER))
    reference = reference.strip()
    if not reference:
        raise ValidationError({"payment_reference": _(REFERENCE_MISSING)})
    locked_run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if locked_run.paid_on is not None:
        raise ValidationError(
            _(RUN_ALREADY_PAID) % {"run": run.pk, "paid_on": locked_run.paid_on.isoformat()},
            "run_already_paid",
        )
    application_ids = sorted(set(locked_run.requests.values_list("application_id", flat=True)))
    applications = {pk: _lock_application(pk) for pk in application_ids}
    for drawdown in locked_run.requests.select_for_update(of=("self",)).order_by("pk"):
        drawdown.application = applications[drawdown.application_id]
        _fire(drawdown, "pay", by, "", DrawdownState.RELEASED, paid_on=paid_on, reference=reference)
    locked_run.paid_on = paid_on
    locked_run.payment_reference = reference
    locked_run.paid_by = by
    locked_run.save()
    return locked_run
