"""Writes to change requests. Each is one atomic action under the application's row lock (which
serialises the change requests of one plan and every budget write), and transitions write their
history row. Refused: nothing is written, and the error says why with the numbers.

Approving writes the proposal into the live budget lines through the budget engine's service
(``budgets.versions.plan_change_apply``), which checks it once more with the plan check and
keeps the new version; every earlier version stays readable.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.models import Application
from applications.services import (
    ApplicationChangedMeanwhile,
    TransitionNotPermitted,
    TransitionRefused,
)
from budgets.models import Phase
from budgets.plan import LineInput, line_key
from budgets.versions import VersionRecord, plan_change_apply
from kernel import clock
from kernel.money import CENT

from . import access
from .guards import PROPOSAL_GUARDS, changes_something
from .models import ChangeRequest, ChangeRequestLine, ChangeRequestTransition
from .proposal import approved_phases, proposal_of
from .selectors import COMMENT_REQUIRED, TRANSITION_NAMES, approval_record, transition_option
from .states import OPEN_STATES

NOT_YOURS = gettext_noop(
    "Only the cluster's own management proposes changes to its plan, while the request is a "
    "draft or returned with questions."
)
OPEN_REQUEST_EXISTS = gettext_noop(
    "The plan has an open change request already (no. %(number)s, %(state)s); decide or finish "
    "that one first."
)
CHANGED_MEANWHILE = gettext_noop(
    "The change request was changed meanwhile (it is now %(state)s). Reload it and try again."
)
UNKNOWN_TRANSITION = gettext_noop("There is no transition “%(name)s”.")
PROJECT_ELSEWHERE = gettext_noop("The R&D project belongs to another application.")
PROJECT_ONLY_IN_IMPLEMENTATION = gettext_noop(
    "Implementation lines belong to an R&D project; concept lines to none."
)
LINE_TWICE = gettext_noop("The line %(grantee)s, %(year)s, %(position)s is given twice.")
AMOUNT_INVALID = gettext_noop(
    "The amount for %(grantee)s, %(year)s, %(position)s (%(amount)s) must be zero or more, in "
    "whole cents."
)
EDITABLE_FIELDS = frozenset({"reason", "concept_end_on", "implementation_end_on"})

# Saving a draft keeps every rule of a submitted proposal, except that it may change nothing yet.
DRAFT_GUARDS = tuple(guard for guard in PROPOSAL_GUARDS if guard is not changes_something)


def _lock_application(application_id: int) -> Application:
    locked: Application = (
        Application.objects.select_for_update(of=("self",)).with_programme().get(pk=application_id)
    )
    return locked


def _lock_change_request(pk: int, application: Application) -> ChangeRequest:
    locked: ChangeRequest = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .get(pk=pk)
    )
    locked.application = application
    return locked


def _refuse(refusals: Sequence[Refusal]) -> None:
    if refusals:
        raise TransitionRefused(
            refusals[0].code, " ".join(r.detail for r in refusals), tuple(refusals)
        )


def _lines_checked(application: Application, lines: Sequence[LineInput]) -> list[LineInput]:
    """Each key once, amounts not negative in whole cents, projects of this application (the
    interfaces parse with ``kernel.money``; this refuses what reaches the service otherwise)."""
    seen: set[tuple[Any, ...]] = set()
    for line in lines:
        words = {"grantee": line.grantee.name, "year": line.year, "position": line.position.code}
        if line_key(line) in seen:
            raise ValidationError(_(LINE_TWICE) % words, "line_twice")
        seen.add(line_key(line))
        if line.eligible_amount < 0 or line.eligible_amount != line.eligible_amount.quantize(CENT):
            raise ValidationError(
                _(AMOUNT_INVALID) % (words | {"amount": line.eligible_amount}), "amount_invalid"
            )
        if (line.phase == Phase.IMPLEMENTATION) != (line.rd_project is not None):
            raise ValidationError(
                _(PROJECT_ONLY_IN_IMPLEMENTATION), "project_only_in_implementation"
            )
        if line.rd_project is not None and line.rd_project.application_id != application.pk:
            raise ValidationError(_(PROJECT_ELSEWHERE), "project_elsewhere")
    return list(lines)


def _write(change_request: ChangeRequest, lines: list[LineInput] | None) -> ChangeRequest:
    """Check the proposal as it would be against every rule, then write it: only the lines
    whose amount differs from the plan are kept."""
    if lines is not None:
        change_request.pending_lines = lines  # type: ignore[attr-defined]
    change_request._proposal = None  # type: ignore[attr-defined]
    _refuse([refusal for guard in DRAFT_GUARDS for refusal in guard.refusals(change_request)])
    change_request.full_clean(exclude=["state", "application", "created_by", "version"])
    change_request.save()
    if lines is not None:
        change_request.lines.all().delete()
        ChangeRequestLine.objects.bulk_create(
            ChangeRequestLine(
                change_request=change_request,
                phase=item.phase,
                rd_project=item.rd_project,
                grantee=item.grantee,
                year=item.year,
                position=item.position,
                eligible_amount=item.eligible_amount,
            )
            for item in proposal_of(change_request).writes
        )
        change_request.pending_lines = None  # type: ignore[attr-defined]
    return change_request


def change_request_create(
    *,
    application: Application,
    by: Any,
    reason: str = "",
    lines: Sequence[LineInput] = (),
    concept_end_on: date | None = None,
    implementation_end_on: date | None = None,
) -> ChangeRequest:
    """A draft proposal to change the application's approved plan, by the cluster's own
    management. Refused for a plan that is not approved and while another change request of
    the plan is open; the proposal keeps every rule of a submitted one already."""
    if not access.can_propose_change(by, application):
        raise PermissionDenied(_(NOT_YOURS))
    with transaction.atomic():
        locked = _lock_application(application.pk)
        checked = _lines_checked(locked, lines)
        open_request = (
            ChangeRequest.objects.filter(application=locked, state__in=OPEN_STATES)
            .order_by("pk")
            .first()
        )
        if open_request is not None:
            raise TransitionRefused(
                "open_change_request",
                _(OPEN_REQUEST_EXISTS)
                % {"number": open_request.pk, "state": open_request.get_state_display()},
            )
        change_request = ChangeRequest(
            application=locked,
            reason=reason.strip(),
            concept_end_on=concept_end_on or locked.concept_end_on,
            implementation_end_on=implementation_end_on or locked.implementation_end_on,
            created_by=by,
        )
        return _write(change_request, checked)


def change_request_update(
    *,
    change_request: ChangeRequest,
    by: Any,
    lines: Sequence[LineInput] | None = None,
    **changes: Any,
) -> ChangeRequest:
    """Change a draft or returned proposal: its reason, the phases' end dates, and (when
    ``lines`` are given) the proposed amounts, which replace the earlier ones."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    with transaction.atomic():
        application = _lock_application(change_request.application_id)
        locked = _lock_change_request(change_request.pk, application)
        if not access.can_edit_change_request(by, locked):
            raise PermissionDenied(_(NOT_YOURS))
        checked = None if lines is None else _lines_checked(application, lines)
        for name, value in changes.items():
            setattr(locked, name, value.strip() if name == "reason" else value)
        return _write(locked, checked)


def change_request_transition(
    *,
    change_request: ChangeRequest,
    name: str,
    by: Any,
    comment: str = "",
    expected_state: str | None = None,
) -> ChangeRequest:
    """Fire transition ``name`` as ``by``: lock the application and the request, check that
    nobody changed the request since the user saw it, check role, comment and the rules, apply
    it and record who, when, from, to and why. Approving writes the proposal into the plan as
    its next version, in the same transaction."""
    if name not in TRANSITION_NAMES:
        raise TransitionRefused("unknown_transition", _(UNKNOWN_TRANSITION) % {"name": name})
    comment = comment.strip()
    with transaction.atomic():
        application = _lock_application(change_request.application_id)
        locked = _lock_change_request(change_request.pk, application)
        if locked.state != (expected_state or change_request.state):
            raise ApplicationChangedMeanwhile(
                "changed_meanwhile", _(CHANGED_MEANWHILE) % {"state": locked.get_state_display()}
            )
        option = transition_option(locked, name, by)
        refusals = tuple(option.refusals)
        if option.code == "not_permitted":
            raise TransitionNotPermitted(option.code, refusals[0].detail, refusals)
        if option.code == "wrong_state":
            raise TransitionRefused(option.code, refusals[0].detail, refusals)
        if option.comment_required and not comment:
            raise TransitionRefused(
                "comment_required", _(COMMENT_REQUIRED) % {"transition": option.label}
            )
        _refuse(refusals)
        source = locked.state
        if name == "approve":
            proposal = proposal_of(locked)
            locked.version = plan_change_apply(
                application=application,
                writes=proposal.writes,
                periods=proposal.periods,
                phases=approved_phases(application),
                record=VersionRecord(
                    reason=locked.reason,
                    proposed_by=locked.created_by,
                    proposed_at=locked.submitted_at,
                    approved_by=by,
                    approved_at=clock.now(),
                ),
                first=approval_record(application),
                by=by,
            )
        if name in ("approve", "refuse"):
            getattr(locked, name)(by=by)
        else:
            getattr(locked, name)()
        locked.save()
        ChangeRequestTransition.objects.create(
            change_request=locked,
            transition=name,
            source_state=source,
            target_state=locked.state,
            by=by,
            at=clock.now(),
            comment=comment,
        )
        return locked
