"""Writes to statements and settlements. Each is one atomic action under the application's row
lock (which serialises every statement and drawdown of its grantees), and transitions write
their history row. Refused: nothing is written, and the error says why with the numbers."""

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application
from applications.services import TransitionError, TransitionNotPermitted, TransitionRefused
from applications.states import State
from budgets.models import BudgetPosition, Phase, RDProject
from budgets.selectors import budget_summary
from correspondence.services import checked_upload
from correspondence.storage import delete_stored, store
from kernel import clock
from kernel.dates import format_day
from kernel.money import CENT, format_eur
from programmes.models import Organisation

from . import access
from .models import Settlement, Statement, StatementDocument, StatementLine, StatementTransition
from .selectors import (
    COMMENT_REQUIRED,
    SETTLEMENT_TRANSITIONS,
    STATEMENT_TRANSITIONS,
    figures_of,
    grantee_block,
    phase_period,
    statement_years,
    today,
    transition_option,
)
from .states import StatementKind, StatementState

NOT_ENTERABLE = gettext_noop(
    "Only the cluster's own management writes its statements, while they are drafts or "
    "returned with questions."
)
NOT_OFFICER = gettext_noop("Only ministry officers prepare settlements.")
CHANGED_MEANWHILE = gettext_noop(
    "It was changed meanwhile (it is now %(state)s). Reload it and try again."
)
UNKNOWN_TRANSITION = gettext_noop("There is no transition “%(name)s”.")
PROJECT_ELSEWHERE = gettext_noop("The R&D project belongs to another application.")
PROJECT_NEEDED = gettext_noop("A statement of the implementation phase names its R&D project.")
PROJECT_NOT_IN_CONCEPT = gettext_noop("A statement of the concept phase names no R&D project.")
PHASE_NOT_FUNDED = gettext_noop(
    "Statements for the %(phase)s follow its start; the application is %(state)s."
)
NOT_A_GRANTEE = gettext_noop("%(grantee)s has no approved grant in the %(phase)s.")
YEAR_NEEDED = gettext_noop("An interim statement names its calendar year.")
YEAR_OUTSIDE_PHASE = gettext_noop(
    "The year %(year)s lies outside the %(phase)s (%(start)s to %(end)s)."
)
YEAR_NOT_ENDED = gettext_noop(
    "The year %(year)s has not ended yet (it ends on %(end)s); its interim statement follows "
    "after that."
)
PHASE_NOT_ENDED = gettext_noop(
    "The %(phase)s ends on %(end)s; the final statement follows after that."
)
STATEMENT_EXISTS = gettext_noop("%(grantee)s has this statement already (number %(number)s).")
ACTUAL_NEGATIVE = gettext_noop(
    "The actual amount of position %(position)s in %(year)s is %(amount)s; actuals cannot be "
    "negative."
)
TOO_MANY_DECIMALS = gettext_noop(
    "The actual amount of position %(position)s in %(year)s (%(amount)s) has more than two "
    "decimal places."
)
POSITION_NOT_IN_PLAN = gettext_noop(
    "Position %(position)s is not in the approved budget of %(grantee)s."
)
LINE_YEAR_OUTSIDE = gettext_noop(
    "Actuals for %(year)s do not belong here: the statement covers %(years)s."
)
LINE_TWICE = gettext_noop("Position %(position)s in %(year)s is given twice.")
NOT_SETTLEABLE = gettext_noop(
    "Only an accepted final statement is settled; this is a %(kind)s, %(state)s."
)
ALREADY_SETTLED = gettext_noop("This final statement has its settlement already.")
ABOVE_GRANT = gettext_noop(
    "A settlement of %(amount)s is above the approved grant of %(approved)s, by %(excess)s."
)
ABOVE_ENTITLEMENT = gettext_noop(
    "A settlement of %(amount)s is above what the eligible actuals carry (%(entitled)s)."
)
SETTLED_NEGATIVE = gettext_noop("A settlement cannot be negative (%(amount)s).")

# A phase's grantees account for it once it has started.
FUNDED_STATES = {
    Phase.CONCEPT: (
        State.CONCEPT_PHASE,
        State.IMPLEMENTATION_PROPOSED,
        State.IMPLEMENTATION_PHASE,
        State.CLOSED,
        State.COMPLETED,
    ),
    Phase.IMPLEMENTATION: (State.IMPLEMENTATION_PHASE, State.COMPLETED),
}


class StatementChangedMeanwhile(TransitionError):
    """Someone else changed the statement or settlement after the caller loaded it."""


LineInput = tuple[BudgetPosition, int, Decimal]


def _lock_application(application_id: int) -> Application:
    locked: Application = (
        Application.objects.select_for_update(of=("self",)).with_programme().get(pk=application_id)
    )
    return locked


def _lock_statement(statement_id: int, application: Application) -> Statement:
    locked: Statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("grantee")
        .get(pk=statement_id)
    )
    locked.application = application
    return locked


def _check_project(application: Application, phase: str, rd_project: RDProject | None) -> None:
    if phase == Phase.CONCEPT and rd_project is not None:
        raise ValidationError(_(PROJECT_NOT_IN_CONCEPT), "project_not_in_concept")
    if phase == Phase.IMPLEMENTATION and rd_project is None:
        raise ValidationError(_(PROJECT_NEEDED), "project_needed")
    if rd_project is not None and rd_project.application_id != application.pk:
        raise ValidationError(_(PROJECT_ELSEWHERE), "project_elsewhere")


def _check_period(application: Application, kind: str, phase: str, year: int | None) -> None:
    """An interim statement for an ended year of the phase; the final one after the phase."""
    start, end = phase_period(application, phase)
    context = {
        "phase": Phase(phase).label,
        "start": format_day(start),
        "end": format_day(end),
        "year": year,
    }
    if kind == StatementKind.FINAL:
        if today() <= end:
            raise ValidationError(_(PHASE_NOT_ENDED) % context, "phase_not_ended")
        return
    if year is None:
        raise ValidationError(_(YEAR_NEEDED), "year_needed")
    if not start.year <= year <= end.year:
        raise ValidationError(_(YEAR_OUTSIDE_PHASE) % context, "year_outside_phase")
    if today() <= date(year, 12, 31):
        context["end"] = format_day(date(year, 12, 31))
        raise ValidationError(_(YEAR_NOT_ENDED) % context, "year_not_ended")


def _accepted_interim_actuals(statement: Statement) -> list[StatementLine]:
    """The final statement starts from the accepted interim statements' actuals."""
    interim = StatementLine.objects.filter(
        statement__application_id=statement.application_id,
        statement__phase=statement.phase,
        statement__rd_project_id=statement.rd_project_id,
        statement__grantee_id=statement.grantee_id,
        statement__kind=StatementKind.INTERIM,
        statement__state=StatementState.ACCEPTED,
    )
    return [
        StatementLine(
            statement=statement,
            position_id=line.position_id,
            year=line.year,
            actual_amount=line.actual_amount,
        )
        for line in interim
    ]


def statement_create(
    *,
    application: Application,
    kind: str,
    phase: str,
    grantee: Organisation,
    by: Any,
    rd_project: RDProject | None = None,
    year: int | None = None,
    narrative: str = "",
) -> Statement:
    """A draft statement of a grantee of the current plan, written by the cluster's own
    management: an interim one for an ended year of the phase, or the final one after the
    phase has ended (it starts with the actuals of the accepted interim statements)."""
    if not access.can_enter_statements(by, application):
        raise PermissionDenied(_(NOT_ENTERABLE))
    if kind == StatementKind.FINAL:
        year = None
    with transaction.atomic():
        locked = _lock_application(application.pk)
        _check_project(locked, phase, rd_project)
        if locked.state not in FUNDED_STATES[Phase(phase)]:
            context = {"phase": Phase(phase).label, "state": locked.get_state_display()}
            raise ValidationError(_(PHASE_NOT_FUNDED) % context, "phase_not_funded")
        project_id = rd_project.pk if rd_project else None
        block = grantee_block(budget_summary(locked), phase, project_id, grantee.pk)
        if block is None:
            context = {"grantee": grantee.name, "phase": Phase(phase).label}
            raise ValidationError(_(NOT_A_GRANTEE) % context, "not_a_grantee")
        _check_period(locked, kind, phase, year)
        existing = Statement.objects.filter(
            application=locked,
            kind=kind,
            phase=phase,
            rd_project=rd_project,
            grantee=grantee,
            year=year,
        ).first()
        if existing is not None:
            context = {"grantee": grantee.name, "number": existing.pk}
            raise ValidationError(_(STATEMENT_EXISTS) % context, "statement_exists")
        statement = Statement(
            application=locked,
            kind=kind,
            phase=phase,
            rd_project=rd_project,
            grantee=grantee,
            year=year,
            narrative=narrative,
        )
        statement.full_clean(exclude=["state", "application", "grantee", "rd_project"])
        statement.save()
        if kind == StatementKind.FINAL:
            StatementLine.objects.bulk_create(_accepted_interim_actuals(statement))
        return statement


def statement_update(*, statement: Statement, narrative: str, by: Any) -> Statement:
    """Change the narrative report while the cluster management has the statement."""
    with transaction.atomic():
        locked = _lock_statement(statement.pk, _lock_application(statement.application_id))
        if not access.can_edit_statement(by, locked):
            raise PermissionDenied(_(NOT_ENTERABLE))
        locked.narrative = narrative
        locked.full_clean(exclude=["state", "application", "grantee", "rd_project"])
        locked.save()
        return locked


def _lines_checked(statement: Statement, lines: Sequence[LineInput]) -> list[LineInput]:
    """Each position and year once, in the grantee's plan and the statement's years, not
    negative, in whole cents."""
    view = figures_of(statement)
    assert view.block is not None  # a statement is created only for a grantee of the plan
    planned = {row.position.pk for row in view.block.positions}
    years = statement_years(statement)
    seen: set[tuple[int, int]] = set()
    for position, year, amount in lines:
        context: dict[str, object] = {
            "position": position.code,
            "year": year,
            "amount": format_eur(amount) if amount == amount.quantize(CENT) else amount,
            "grantee": statement.grantee.name,
            "years": ", ".join(str(y) for y in years),
        }
        if year not in years:
            raise ValidationError(_(LINE_YEAR_OUTSIDE) % context, "year_outside_phase")
        if position.pk not in planned:
            raise ValidationError(_(POSITION_NOT_IN_PLAN) % context, "position_not_in_plan")
        if (position.pk, year) in seen:
            raise ValidationError(_(LINE_TWICE) % context, "line_twice")
        seen.add((position.pk, year))
        if amount < 0:
            raise ValidationError(_(ACTUAL_NEGATIVE) % context, "actual_negative")
        if amount != amount.quantize(CENT):
            raise ValidationError(_(TOO_MANY_DECIMALS) % context, "too_many_decimals")
    return list(lines)


def statement_lines_save(*, statement: Statement, lines: Sequence[LineInput], by: Any) -> Statement:
    """Replace the statement's actuals (the grid and the import write all of them at once);
    refused as a whole if one line is wrong."""
    with transaction.atomic():
        locked = _lock_statement(statement.pk, _lock_application(statement.application_id))
        if not access.can_edit_statement(by, locked):
            raise PermissionDenied(_(NOT_ENTERABLE))
        checked = _lines_checked(locked, lines)
        locked.lines.all().delete()
        StatementLine.objects.bulk_create(
            StatementLine(statement=locked, position=position, year=year, actual_amount=amount)
            for position, year, amount in checked
            if amount > 0
        )
        locked.save(update_fields=["updated_at"])
        return locked


def statement_document_attach(
    *, statement: Statement, file: "UploadedFile[Any]", by: Any
) -> StatementDocument:
    """Attach a document (receipts, the signed report) while the cluster management has the
    statement; checked by its content like every document (PDF, XLSX, DOCX, ODT, size), kept
    in the private storage."""
    if not access.can_edit_statement(by, statement):
        raise PermissionDenied(_(NOT_ENTERABLE))
    checked = checked_upload(file)
    stored_name = store(checked.content, checked.file_type.value)
    try:
        with transaction.atomic():
            _lock_statement(statement.pk, _lock_application(statement.application_id))
            document = StatementDocument(
                statement=statement,
                uploaded_by=by,
                original_name=checked.name[:255],
                size=len(checked.content),
                file_type=checked.file_type.value,
                sha256=hashlib.sha256(checked.content).hexdigest(),
                stored_name=stored_name,
            )
            document.full_clean(exclude=["statement", "uploaded_by"])
            document.save()
    except BaseException:
        delete_stored(stored_name)
        raise
    return document


def _check_state(obj: Statement | Settlement, expected_state: str) -> None:
    if obj.state != expected_state:
        raise StatementChangedMeanwhile(
            "changed_meanwhile",
            _(CHANGED_MEANWHILE) % {"state": obj.get_state_display()},
        )


def _fire(obj: Statement | Settlement, name: str, by: Any, comment: str) -> None:
    option = transition_option(obj, name, by)
    refusals = tuple(option.refusals)
    if option.code in ("not_permitted", "four_eyes"):
        raise TransitionNotPermitted(option.code, refusals[0].detail, refusals)
    if refusals:
        raise TransitionRefused(option.code, refusals[0].detail, refusals)
    if option.comment_required and not comment:
        raise TransitionRefused(
            "comment_required", _(COMMENT_REQUIRED) % {"transition": option.label}
        )
    method = getattr(obj, name)
    if name in ("accept", "decide"):
        method(by=by)
    else:
        method()
    obj.save()


def statement_transition(
    *,
    statement: Statement,
    name: str,
    by: Any,
    comment: str = "",
    expected_state: str | None = None,
) -> Statement:
    """Fire ``name`` as ``by``: the cluster management submits, an officer accepts or returns
    it with questions (a comment). Locked, checked against the state the user saw, recorded."""
    if name not in STATEMENT_TRANSITIONS:
        raise TransitionRefused("unknown_transition", _(UNKNOWN_TRANSITION) % {"name": name})
    comment = comment.strip()
    with transaction.atomic():
        locked = _lock_statement(statement.pk, _lock_application(statement.application_id))
        _check_state(locked, expected_state or statement.state)
        source = locked.state
        _fire(locked, name, by, comment)
        StatementTransition.objects.create(
            statement=locked,
            transition=name,
            source_state=source,
            target_state=locked.state,
            by=by,
            at=clock.now(),
            comment=comment,
        )
        return locked


def settlement_prepare(
    *,
    statement: Statement,
    by: Any,
    settled_amount: Decimal | None = None,
    comment: str = "",
) -> Settlement:
    """An officer settles an accepted final statement: the eligible actuals of every year ×
    the funding rate (+ the Projektpauschale where it applies), at most the approved grant,
    against what was paid. ``settled_amount`` sets a lower figure (items found ineligible);
    it may not exceed the entitlement nor the approved grant."""
    if not access.can_settle(by):
        raise PermissionDenied(_(NOT_OFFICER))
    with transaction.atomic():
        locked = _lock_statement(statement.pk, _lock_application(statement.application_id))
        if locked.kind != StatementKind.FINAL or locked.state != StatementState.ACCEPTED:
            context = {"kind": locked.get_kind_display(), "state": locked.get_state_display()}
            raise ValidationError(_(NOT_SETTLEABLE) % context, "not_settleable")
        if Settlement.objects.filter(statement=locked).exists():
            raise ValidationError(_(ALREADY_SETTLED), "already_settled")
        figures = figures_of(locked).figures
        assert figures is not None  # accepted statements are of grantees of the plan
        approved = figures.approved_funding_amount
        entitled = min(figures.funding.funding_amount, approved)
        amount = entitled if settled_amount is None else settled_amount
        context = {
            "amount": format_eur(amount),
            "approved": format_eur(approved),
            "excess": format_eur(amount - approved),
            "entitled": format_eur(entitled),
        }
        if amount < 0:
            raise ValidationError(_(SETTLED_NEGATIVE) % context, "settled_negative")
        if amount > approved:
            raise ValidationError(_(ABOVE_GRANT) % context, "above_grant")
        if amount > entitled:
            raise ValidationError(_(ABOVE_ENTITLEMENT) % context, "above_entitlement")
        if amount != amount.quantize(CENT):
            raise ValidationError(
                {"settled_amount": _("Give the amount in whole cents.")}, "too_many_decimals"
            )
        settlement = Settlement(
            statement=locked,
            eligible_amount=figures.funding.eligible_amount,
            grant_amount=figures.funding.grant_amount,
            projektpauschale_amount=figures.funding.projektpauschale_amount,
            approved_amount=approved,
            settled_amount=amount,
            paid_amount=figures.paid_amount,
            prepared_by=by,
            prepared_at=clock.now(),
            comment=comment.strip(),
        )
        settlement.full_clean(exclude=["state", "statement", "prepared_by"])
        settlement.save()
        return settlement


def settlement_transition(
    *, settlement: Settlement, name: str, by: Any, expected_state: str | None = None
) -> Settlement:
    """Decide a prepared settlement: four eyes, an officer who did not prepare it. The balance
    then stands as the final payment or the repayment claim."""
    if name not in SETTLEMENT_TRANSITIONS:
        raise TransitionRefused("unknown_transition", _(UNKNOWN_TRANSITION) % {"name": name})
    with transaction.atomic():
        _lock_application(settlement.statement.application_id)
        locked: Settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("statement__application")
            .get(pk=settlement.pk)
        )
        _check_state(locked, expected_state or settlement.state)
        _fire(locked, name, by, "")
        return locked
