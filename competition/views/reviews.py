"""The reviewers' pages: their assigned applications, and the review form (save a draft, then
submit; a submitted review is shown, never edited). The competition's services decide."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from applications.views import visible_application

from .access import assignments_visible_to
from .models import Recommendation, Review, ReviewCriterion, ReviewerAssignment
from .selectors import review_criteria
from .services import ScoreInput, review_save_draft, review_submit

DRAFT_KEPT = gettext_noop("Your draft was saved, but it was not submitted:")


class ReviewForm(forms.Form):
    """A score (on the criterion's scale) and a comment per criterion, the recommendation and
    an overall comment. A draft may leave anything empty; submitting needs everything."""

    recommendation = forms.ChoiceField(
        label=capfirst(gettext_lazy("recommendation")),
        choices=[("", "–"), *Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=capfirst(gettext_lazy("overall comment")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: Sequence[ReviewCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[
                    ("", "–"),
                    *[(n, n) for n in range(criterion.scale_min, criterion.scale_max + 1)],
                ],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )
            self.fields[f"note-{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[ReviewCriterion, Any, Any]]:
        return [(c, self[f"score-{c.pk}"], self[f"note-{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[ScoreInput]:
        data = self.cleaned_data
        return [
            ScoreInput(c, data.get(f"score-{c.pk}"), data.get(f"note-{c.pk}") or "")
            for c in self.criteria
        ]


def _add_errors(form: ReviewForm, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _initial(review: Review | None) -> dict[str, Any]:
    if review is None:
        return {}
    initial: dict[str, Any] = {"recommendation": review.recommendation, "comment": review.comment}
    for score in review.scores.all():
        initial[f"score-{score.criterion_id}"] = score.score
        initial[f"note-{score.criterion_id}"] = score.comment
    return initial


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """A reviewer's assigned applications, each with the state of their review."""
    assignments = (
        assignments_visible_to(request.user)
        .filter(reviewer_id=request.user.pk)
        .select_related("application__round__programme")
        .order_by("-application__round__number", "application__cluster__name")
    )
    return render(request, "competition/reviews.html", {"assignments": assignments})


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of the application by the reviewer assigned to it (no one else: 404)."""
    application = visible_application(request.user, pk)
    assignment: ReviewerAssignment = get_object_or_404(
        assignments_visible_to(request.user), application=application, reviewer_id=request.user.pk
    )
    review = (
        Review.objects.filter(assignment=assignment).prefetch_related("scores__criterion").first()
    )
    criteria = list(review_criteria(application.round))
    form = ReviewForm(request.POST or None, criteria=criteria, initial=_initial(review))
    is_submitted = review is not None and review.is_submitted
    if request.method == "POST" and not is_submitted and form.is_valid():
        try:
            review = review_save_draft(
                assignment=assignment,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("Your draft was saved."))
                return redirect("competition:review", pk=application.pk)
            try:
                review_submit(review=review, by=request.user)
            except ValidationError as error:
                form.add_error(None, _(DRAFT_KEPT))
                _add_errors(form, error)
            else:
                messages.success(request, _("Your review was submitted."))
                return redirect("competition:review", pk=application.pk)
    return render(
        request,
        "competition/review.html",
        {
            "application": application,
            "form": form,
            "review": review,
            "is_submitted": is_submitted,
            "can_write": False,
        },
    )
