"""Who reviews what: the round's applications with their reviewers, and per application the
assigned reviewers and the searchable list of jury members to assign from, each with their
declared conflicts of interest and their assignments in the round. The services refuse what
may not be (a conflict of interest, the own cluster, no jury member); the page says why."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from applications.models import Application

from .. import access
from ..forms import AssignForm, JurySearchForm
from ..selectors import applications_under_review, jury_members_at_work
from ..services import (
    ASSIGNABLE_STATES,
    NOT_ASSIGNABLE,
    reviewer_assign,
    reviewer_unassign,
)
from .scope import competition_application, competition_round, require_assigner

PAGE_SIZE = 25
REVIEWER_ASSIGNED = gettext_noop("%(user)s is assigned to review this application.")
ASSIGNMENT_WITHDRAWN = gettext_noop("The assignment of %(user)s was withdrawn.")


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _back(application: Application, search: str) -> HttpResponse:
    """To the application's reviewers, with the jury search the officer had."""
    url = reverse("competition:reviewers", args=[application.pk])
    return redirect(f"{url}?{urlencode({'q': search})}" if search else url)


@login_required
def round_assignments(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's applications that are (or were) reviewed, with their reviewers and how far
    each review is."""
    round_ = competition_round(request.user, round_pk)
    return render(
        request,
        "competition/round_assignments.html",
        {"round": round_, "applications": applications_under_review(round_)},
    )


@login_required
def application_reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewers of one application and, for officers while reviewers may be assigned, the
    jury members (25 a page, searchable by name or username) to assign from."""
    application = competition_application(request.user, pk)
    search = JurySearchForm(request.GET or None)
    words = search.cleaned_data["q"] if search.is_valid() else ""
    members = None
    if access.can_list_jury_members(request.user) and application.state in ASSIGNABLE_STATES:
        members = Paginator(
            jury_members_at_work(application.round, search=words), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    assignments = (
        access.assignments_visible_to(request.user)
        .filter(application=application)
        .order_by("assigned_at", "pk")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competition/reviewers.html",
        {
            "application": application,
            "assignments": assignments,
            "assigned_ids": {assignment.reviewer_id for assignment in assignments},
            "members": members,
            "search": search,
            "words": words,
            "query": query.urlencode(),
            "can_assign": access.can_assign_reviewers(request.user),
            "not_assignable": None
            if application.state in ASSIGNABLE_STATES
            else _(NOT_ASSIGNABLE) % {"state": application.get_state_display()},
        },
    )


@login_required
@require_POST
def reviewer_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = competition_application(request.user, pk)
    require_assigner(request.user)
    form = AssignForm(request.POST)
    search = request.POST.get("q", "")
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["reviewer"]))
        return _back(application, search)
    reviewer = form.cleaned_data["reviewer"]
    try:
        reviewer_assign(application=application, reviewer=reviewer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(REVIEWER_ASSIGNED) % {"user": _name(reviewer)})
    return _back(application, search)


@login_required
@require_POST
def reviewer_withdraw_view(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Withdraw an assignment with its draft; the service keeps a submitted review on record."""
    application = competition_application(request.user, pk)
    require_assigner(request.user)
    assignment = get_object_or_404(
        access.assignments_visible_to(request.user), pk=assignment_pk, application=application
    )
    try:
        reviewer_unassign(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(ASSIGNMENT_WITHDRAWN) % {"user": _name(assignment.reviewer)})
    return _back(application, request.POST.get("q", ""))
