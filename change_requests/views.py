"""The portal's change request pages: an application's plan versions and change requests, a
request's plan against its proposal side by side, the proposal entered on budget grids, and
the officers' decisions. Thin: access from ``access``, writes through ``services``, reads from
``selectors`` and ``proposal``."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application
from applications.services import TransitionError
from budgets.violations import BudgetRuleError
from kernel.roles import can_read_all

from . import access, selectors
from .forms import ChangeRequestForm, TransitionForm, proposal_grids
from .models import ChangeRequest
from .proposal import approved_phases, proposal_of
from .services import (
    NOT_YOURS,
    change_request_create,
    change_request_transition,
    change_request_update,
)
from .states import ChangeState

SAVED = gettext_noop("The proposal was saved.")
TRANSITION_DONE = gettext_noop("Done: %(transition)s.")


def _application(user: Any, pk: int) -> Application:
    application: Application = get_object_or_404(
        access.applications_with_versions(user).with_programme(), pk=pk
    )
    return application


def _change_request(user: Any, pk: int) -> ChangeRequest:
    """The request if ``user`` may read it; anything else is absent (404)."""
    found: ChangeRequest = get_object_or_404(
        selectors.with_relations(access.change_requests_visible_to(user)).select_related(
            "application__cluster__management_organisation"
        ),
        pk=pk,
    )
    return found


def _errors(error: Exception) -> list[str]:
    if isinstance(error, TransitionError):
        return [refusal.detail for refusal in error.refusals] or [error.detail]
    if isinstance(error, BudgetRuleError):
        return [violation.message for violation in error.violations]
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    """Officers and auditors: the change requests waiting for a decision, then all others.
    A cluster management: its own."""
    visible = selectors.with_relations(access.change_requests_visible_to(request.user))
    return render(
        request,
        "change_requests/queue.html",
        {
            "waiting": selectors.waiting_for_officers().filter(pk__in=visible.values("pk"))
            if can_read_all(request.user)
            else [],
            "change_requests": visible.order_by("-created_at", "-pk")[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_view(request: HttpRequest, application_pk: int) -> HttpResponse:
    """The plan's versions (each downloadable as a workbook) and its change requests; the
    cluster management starts a new one here (POST)."""
    application = _application(request.user, application_pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            created = change_request_create(application=application, by=request.user)
        except (TransitionError, ValidationError) as error:
            errors = _errors(error)
        else:
            return redirect("change_requests:edit", pk=created.pk)
    return render(
        request,
        "change_requests/application.html",
        {
            "application": application,
            "versions": selectors.version_views(application),
            "change_requests": selectors.with_relations(
                access.change_requests_visible_to(request.user).filter(application=application)
            ),
            "approved_phases": approved_phases(application),
            "may_propose": access.can_propose_change(request.user, application),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _detail_page(
    request: HttpRequest, change_request: ChangeRequest, errors: list[str], status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "change_requests/detail.html",
        {
            "change_request": change_request,
            "application": change_request.application,
            "proposal": proposal_of(change_request),
            "history": selectors.change_request_history(change_request),
            "options": selectors.offered_transitions(change_request, user),
            "can_edit": access.can_edit_change_request(user, change_request),
            "errors": errors,
            "form": TransitionForm(),
        },
        status=status,
    )


@login_required
@require_GET
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _change_request(request.user, pk), [])


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal on the budget grids of the approved phases, with the reason and the end
    dates; saved all or nothing."""
    change_request = _change_request(request.user, pk)
    if not access.can_edit_change_request(request.user, change_request):
        raise PermissionDenied(_(NOT_YOURS))
    proposal = proposal_of(change_request)
    phases = approved_phases(change_request.application)
    data = request.POST if request.method == "POST" else None
    form = ChangeRequestForm(
        data,
        initial={
            "reason": change_request.reason,
            "concept_end_on": change_request.concept_end_on,
            "implementation_end_on": change_request.implementation_end_on,
        },
    )
    grids = proposal_grids(proposal.check.plan, phases, data)
    errors: list[str] = []
    if data is not None and form.is_valid() and all(grid.form.is_valid() for grid in grids):
        try:
            change_request_update(
                change_request=change_request,
                by=request.user,
                lines=[line for grid in grids for line in grid.lines()],
                **form.cleaned_data,
            )
        except (TransitionError, ValidationError, BudgetRuleError) as error:
            errors = _errors(error)
        else:
            messages.success(request, _(SAVED))
            return redirect("change_requests:detail", pk=change_request.pk)
    return render(
        request,
        "change_requests/edit.html",
        {
            "change_request": change_request,
            "application": change_request.application,
            "form": form,
            "grids": grids,
            "errors": errors,
        },
        status=400 if data is not None else 200,
    )


@login_required
@require_POST
def transition_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    change_request = _change_request(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        changed = change_request_transition(
            change_request=change_request,
            name=name,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
    except (TransitionError, BudgetRuleError) as error:
        if isinstance(error, TransitionError) and error.code == "not_permitted":
            raise PermissionDenied(error.detail) from None
        fresh = _change_request(request.user, pk)
        return _detail_page(request, fresh, _errors(error), status=400)
    option = selectors.transition_option(changed, name, request.user)
    messages.success(request, _(TRANSITION_DONE) % {"transition": option.label})
    if changed.state == ChangeState.APPROVED:
        return redirect("change_requests:application", application_pk=changed.application_id)
    return redirect("change_requests:detail", pk=pk)
