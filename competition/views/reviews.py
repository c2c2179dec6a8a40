"""The reviewers' pages: their assigned applications; the review form beside the outline and
the budget (save a draft; submit after a confirmation; a submitted review is shown, never
edited); and their declarations of a conflict of interest. The competition's services decide."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application
from applications.views import visible_application
from budgets.grid import cap_rows
from budgets.selectors import budget_summary

from .. import access
from ..forms import ConflictForm, ReviewForm
from ..models import Review, ReviewerAssignment
from ..selectors import review_criteria
from ..services import conflict_declare, review_save_draft, review_submit
from .scope import add_service_errors

DRAFT_KEPT = gettext_noop("Your draft was saved, but it was not submitted:")
DRAFT_SAVED = gettext_noop("Your draft was saved.")
REVIEW_SUBMITTED = gettext_noop("Your review was submitted.")
CONFLICT_DECLARED = gettext_noop(
    "Your conflict of interest with %(cluster)s is on record. You are no longer assigned to its "
    "applications, except where your review is already submitted."
)


def _initial(review: Review | None) -> dict[str, Any]:
    if review is None:
        return {}
    initial: dict[str, Any] = {"recommendation": review.recommendation, "comment": review.comment}
    for score in review.scores.all():
        initial[f"score-{score.criterion_id}"] = score.score
        initial[f"note-{score.criterion_id}"] = score.comment
    return initial


def _own_assignment(user: Any, pk: int) -> tuple[Application, ReviewerAssignment]:
    """The application and the user's own assignment to it; for anyone else both are absent."""
    application = visible_application(user, pk)
    assignment: ReviewerAssignment = get_object_or_404(
        access.assignments_visible_to(user), application=application, reviewer_id=user.pk
    )
    return application, assignment


def _review_of(assignment: ReviewerAssignment) -> Review | None:
    return (
        Review.objects.filter(assignment=assignment).prefetch_related("scores__criterion").first()
    )


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """A reviewer's assigned applications, each with the state of their review."""
    assignments = (
        access.assignments_visible_to(request.user)
        .filter(reviewer_id=request.user.pk)
        .select_related("application__round__programme")
        .order_by("-application__round__number", "application__cluster__name")
    )
    return render(request, "competition/reviews.html", {"assignments": assignments})


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of the application by the reviewer assigned to it (no one else: 404), beside
    its outline and budget. "Submit" saves the draft and asks for a confirmation."""
    application, assignment = _own_assignment(request.user, pk)
    review = _review_of(assignment)
    criteria = list(review_criteria(application.round))
    form = ReviewForm(request.POST or None, criteria=criteria, initial=_initial(review))
    is_submitted = review is not None and review.is_submitted
    if request.method == "POST" and not is_submitted and form.is_valid():
        try:
            review_save_draft(
                assignment=assignment,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "submit" in request.POST:
                return redirect("competition:review-submit", pk=application.pk)
            messages.success(request, _(DRAFT_SAVED))
            return redirect("competition:review", pk=application.pk)
    summary = budget_summary(application)
    return render(
        request,
        "competition/review.html",
        {
            "application": application,
            "form": form,
            "review": review,
            "is_submitted": is_submitted,
            "summary": summary,
            "cap_rows": cap_rows(summary),
            "regions": application.partner_regions.all(),
            "can_write": False,
        },
    )


@login_required
def review_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the saved draft as it would be submitted. POST: submit it (the service checks that
    every criterion is scored and a recommendation given); afterwards it cannot change."""
    application, assignment = _own_assignment(request.user, pk)
    review = _review_of(assignment)
    if review is None or review.is_submitted:
        return redirect("competition:review", pk=application.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            review_submit(review=review, by=request.user)
        except ValidationError as error:
            errors = [_(DRAFT_KEPT), *error.messages]
        else:
            messages.success(request, _(REVIEW_SUBMITTED))
            return redirect("competition:review", pk=application.pk)
    scores = {score.criterion_id: score for score in review.scores.all()}
    return render(
        request,
        "competition/review_submit.html",
        {
            "application": application,
            "review": review,
            "rows": [(c, scores.get(c.pk)) for c in review_criteria(application.round)],
            "errors": errors,
            "can_write": False,
        },
    )


@login_required
def conflicts_view(request: HttpRequest) -> HttpResponse:
    """A jury member's declared conflicts of interest, and the form to declare one (with the
    cluster chosen when they come from a review). Only for jury members; absent otherwise."""
    if not access.can_be_reviewer(request.user):
        raise Http404
    form = ConflictForm(request.POST or None, initial={"cluster": request.GET.get("cluster")})
    if request.method == "POST" and form.is_valid():
        cluster = form.cleaned_data["cluster"]
        try:
            conflict_declare(
                reviewer=request.user,
                cluster=cluster,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _(CONFLICT_DECLARED) % {"cluster": cluster.name})
            return redirect("competition:conflicts")
    conflicts = access.conflicts_visible_to(request.user).filter(reviewer_id=request.user.pk)
    return render(
        request,
        "competition/conflicts.html",
        {"form": form, "conflicts": conflicts.order_by("cluster__name")},
    )
