"""The officers' view of a round's competition: the declared conflicts of interest, every
submitted review, and the weighted ranking, from which the panel's decision (select or reject)
is recorded after a confirmation, through the workflow's one service."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.forms import TransitionForm
from applications.selectors import transition_offered, transition_option
from applications.services import TransitionError, TransitionNotPermitted, application_transition
from programmes.models import Cluster

from .. import access
from ..forms import RecordConflictForm
from ..selectors import (
    RankingLine,
    jury_members,
    review_criteria,
    round_conflicts,
    round_ranking,
    round_reviews,
)
from ..services import conflict_declare
from .scope import add_service_errors, competition_application, competition_round, require_assigner

# The panel's decisions, fired from the ranking.
DECISIONS = ("select", "reject")
DECIDED = gettext_noop("%(step)s: done. The application is now %(state)s.")
CONFLICT_RECORDED = gettext_noop(
    "The conflict of interest of %(user)s with %(cluster)s is on record. They are no longer "
    "assigned to its applications, except where their review is already submitted."
)


@dataclass(frozen=True)
class RankingRow:
    """A line of the ranking as the page shows it: its mean per criterion in the criteria's
    order, and the decisions this user may start from it (their guards are asked on the
    confirmation page)."""

    line: RankingLine
    criterion_means: Sequence[Decimal | None]
    decisions: Sequence[str]


@login_required
def round_conflicts_view(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The conflicts of interest with the round's clusters; officers record one for a jury
    member here (auditors read: 403 on a post)."""
    round_ = competition_round(request.user, round_pk)
    if request.method == "POST":
        require_assigner(request.user)
    form = None
    if access.can_assign_reviewers(request.user):
        clusters = Cluster.objects.filter(applications__round=round_).distinct().order_by("name")
        form = RecordConflictForm(request.POST or None, clusters=clusters, jury=jury_members())
    if form is not None and request.method == "POST" and form.is_valid():
        given = form.cleaned_data
        reviewer, cluster, reason = given["reviewer"], given["cluster"], given["reason"]
        try:
            conflict_declare(reviewer=reviewer, cluster=cluster, reason=reason, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = {"user": reviewer.get_full_name() or reviewer.username, "cluster": cluster.name}
            messages.success(request, _(CONFLICT_RECORDED) % names)
            return redirect("competition:round-conflicts", round_pk=round_.pk)
    return render(
        request,
        "competition/round_conflicts.html",
        {"round": round_, "conflicts": round_conflicts(round_, user=request.user), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def round_reviews_view(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Every submitted review of the round: per criterion its score and comment, the
    recommendation and the overall comment."""
    round_ = competition_round(request.user, round_pk)
    return render(
        request,
        "competition/round_reviews.html",
        {
            "round": round_,
            "criteria": review_criteria(round_),
            "reviews": round_reviews(round_, user=request.user),
        },
    )


@login_required
def ranking_view(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's applications by weighted mean score (ties share a rank), with the reviews
    submitted of those required, the selections so far against the quota, and the decisions
    this user may start."""
    round_ = competition_round(request.user, round_pk)
    ranking = round_ranking(round_, user=request.user)
    rows = [
        RankingRow(
            line=line,
            criterion_means=[
                line.criterion_mean_display(criterion.pk) for criterion in ranking.criteria
            ],
            decisions=[
                name
                for name in DECISIONS
                if transition_offered(line.application, name, request.user)
            ],
        )
        for line in ranking.lines
    ]
    return render(
        request,
        "competition/ranking.html",
        {"round": round_, "ranking": ranking, "rows": rows},
    )


@login_required
def decide_view(request: HttpRequest, round_pk: int, pk: int, name: str) -> HttpResponse:
    """GET: confirm the panel's decision on an application of the ranking, with its place in
    the ranking, the quota and the comment the decision needs. POST: fire it."""
    round_ = competition_round(request.user, round_pk)
    application = competition_application(request.user, pk)
    if name not in DECISIONS or application.round_id != round_.pk:
        raise Http404
    option = transition_option(application, name, request.user)
    if option.code == "not_permitted":
        raise PermissionDenied(option.refusals[0].detail)
    form = TransitionForm(request.POST or None, initial={"seen_state": application.state})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_transition(
                application=application,
                name=name,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_state=form.cleaned_data["seen_state"],
            )
        except TransitionNotPermitted as error:
            raise PermissionDenied(error.detail) from error
        except TransitionError as error:
            field = "comment" if error.code == "comment_required" else None
            for detail in [refusal.detail for refusal in error.refusals] or [error.detail]:
                form.add_error(field, detail)
        else:
            messages.success(
                request,
                _(DECIDED) % {"step": option.label, "state": application.get_state_display()},
            )
            return redirect("competition:ranking", round_pk=round_.pk)
    ranking = round_ranking(round_, user=request.user)
    return render(
        request,
        "competition/decide.html",
        {
            "round": round_,
            "application": application,
            "option": option,
            "form": form,
            "ranking": ranking,
            "line": next(
                (line for line in ranking.lines if line.application.pk == application.pk), None
            ),
        },
    )
