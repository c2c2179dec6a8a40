"""Writes of the competition: review criteria, reviewer assignments, conflicts of interest and
reviews. Each is one atomic action.

Rules across rows are checked under a lock, always taken in the same order (application, then
assignment, review and round; or the reviewer's user row, then assignments): the application row
for anything that depends on its state (the transitions lock it too), the round row for the
criteria (frozen once a review of the round exists), the reviewer's user row for assignments and
conflict declarations (so a conflict and an assignment cannot cross).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application
from applications.states import State
from kernel import clock
from programmes.models import Cluster, ClusterMembership, Round

from . import access
from .models import (
    REVIEW_SUBMITTED,
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)

ONLY_OFFICERS_SET_CRITERIA = gettext_noop("Only ministry officers may set the review criteria.")
CRITERIA_FROZEN = gettext_noop(
    "Round %(round)s already has reviews: its criteria can no longer be changed, or the scores "
    "would no longer compare."
)
ONLY_OFFICERS_ASSIGN = gettext_noop("Only ministry officers may assign reviewers.")
NOT_A_REVIEWER = gettext_noop("%(user)s is not a reviewer (jury member).")
OWN_CLUSTER = gettext_noop(
    "%(user)s works for the management of %(cluster)s and cannot review its application."
)
CONFLICT_OF_INTEREST = gettext_noop("%(user)s declared a conflict of interest with %(cluster)s.")
NOT_ASSIGNABLE = gettext_noop(
    "Reviewers are assigned while the application is submitted or in review; it is %(state)s."
)
ALREADY_ASSIGNED = gettext_noop("%(user)s is already assigned to this application.")
NOT_ASSIGNED = gettext_noop("%(user)s is no longer assigned to this application.")
UNASSIGN_SUBMITTED = gettext_noop(
    "%(user)s has submitted the review: the assignment stays on record."
)
ONLY_OWN_CONFLICTS = gettext_noop(
    "Reviewers declare their own conflicts of interest; an officer may record one for them."
)
CONFLICT_ALREADY_DECLARED = gettext_noop(
    "%(user)s has already declared a conflict of interest with %(cluster)s."
)
REASON_MISSING = gettext_noop("A conflict of interest needs a reason.")
ONLY_ASSIGNED_REVIEWER = gettext_noop(
    "Only the reviewer assigned to the application may write this review."
)
NOT_IN_REVIEW = gettext_noop(
    "Reviews are written while the application is in review; it is %(state)s."
)
UNKNOWN_CRITERION = gettext_noop("“%(criterion)s” is not a review criterion of round %(round)s.")
CRITERION_TWICE = gettext_noop("“%(criterion)s” is scored twice.")
SCORE_OUT_OF_SCALE = gettext_noop(
    "The score for “%(criterion)s” must lie between %(min)s and %(max)s; %(score)s does not."
)
UNKNOWN_RECOMMENDATION = gettext_noop("“%(recommendation)s” is not a recommendation.")
NO_CRITERIA = gettext_noop("Round %(round)s has no review criteria yet: there is nothing to score.")
CRITERIA_UNSCORED = gettext_noop(
    "Every criterion needs a score before the review is submitted; missing: %(names)s."
)
RECOMMENDATION_MISSING = gettext_noop(
    "The review needs an overall recommendation (fund, do not fund or undecided) before it is "
    "submitted."
)

CRITERION_FIELDS = frozenset({"name", "description", "weight", "scale_min", "scale_max", "order"})
ASSIGNABLE_STATES = (State.SUBMITTED, State.IN_REVIEW)


@dataclass(frozen=True)
class ScoreInput:
    """The score (None: not yet decided, in a draft) and comment for one criterion."""

    criterion: ReviewCriterion
    score: int | None
    comment: str = ""


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _lock_application(application_id: int) -> Application:
    locked: Application = Application.objects.select_for_update().get(pk=application_id)
    return locked


# Criteria


def _lock_round_for_criteria(round_id: int, by: Any) -> Round:
    """Lock the round and make sure its criteria may still change: by an officer, and only
    while no review of the round exists (a review saved meanwhile locks the round too)."""
    if not access.can_set_criteria(by):
        raise PermissionDenied(_(ONLY_OFFICERS_SET_CRITERIA))
    round_ = Round.objects.select_for_update().get(pk=round_id)
    if Review.objects.filter(assignment__application__round=round_).exists():
        raise ValidationError(_(CRITERIA_FROZEN) % {"round": round_.number}, code="criteria_frozen")
    return round_


@transaction.atomic
def criterion_create(
    *,
    round: Round,
    name: str,
    weight: Decimal,
    by: Any,
    description: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    order: int = 0,
) -> ReviewCriterion:
    """Add a criterion to a round, before any of its applications is reviewed."""
    round_ = _lock_round_for_criteria(round.pk, by)
    criterion = ReviewCriterion(
        round=round_,
        name=name.strip(),
        description=description,
        weight=weight,
        scale_min=scale_min,
        scale_max=scale_max,
        order=order,
    )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: ReviewCriterion, by: Any, **changes: Any) -> ReviewCriterion:
    """Change a criterion's name, description, weight, scale or order, before any application
    of its round is reviewed."""
    unknown = set(changes) - CRITERION_FIELDS
    if unknown:
        raise ValueError(f"Not changeable here: {sorted(unknown)}")
    _lock_round_for_criteria(criterion.round_id, by)
    stored = ReviewCriterion.objects.get(pk=criterion.pk)
    for field, value in changes.items():
        setattr(stored, field, value.strip() if field == "name" else value)
    stored.full_clean()
    stored.save()
    return stored


@transaction.atomic
def criterion_delete(*, criterion: ReviewCriterion, by: Any) -> None:
    """Remove a criterion, before any application of its round is reviewed."""
    _lock_round_for_criteria(criterion.round_id, by)
    ReviewCriterion.objects.filter(pk=criterion.pk).delete()


# Assignments and conflicts of interest


@transaction.atomic
def reviewer_assign(*, application: Application, reviewer: Any, by: Any) -> ReviewerAssignment:
    """An officer asks a reviewer to review a submitted application (or one in review). Not a
    user without the reviewer role, not someone of the cluster's own management, and not a
    reviewer who declared a conflict of interest with the cluster."""
    if not access.can_assign_reviewers(by):
        raise PermissionDenied(_(ONLY_OFFICERS_ASSIGN))
    locked = _lock_application(application.pk)
    # Serialises with the reviewer's conflict declarations.
    get_user_model()._default_manager.select_for_update().get(pk=reviewer.pk)
    cluster = locked.cluster
    names = {"user": _name(reviewer), "cluster": cluster.name}
    if not access.can_be_reviewer(reviewer):
        raise ValidationError(_(NOT_A_REVIEWER) % names, code="not_a_reviewer")
    if ClusterMembership.objects.filter(user_id=reviewer.pk, cluster=cluster).exists():
        raise ValidationError(_(OWN_CLUSTER) % names, code="own_cluster")
    if ConflictOfInterest.objects.filter(reviewer_id=reviewer.pk, cluster=cluster).exists():
        raise ValidationError(_(CONFLICT_OF_INTEREST) % names, code="conflict_of_interest")
    if locked.state not in ASSIGNABLE_STATES:
        raise ValidationError(
            _(NOT_ASSIGNABLE) % {"state": locked.get_state_display()}, code="not_assignable"
        )
    if ReviewerAssignment.objects.filter(application=locked, reviewer_id=reviewer.pk).exists():
        raise ValidationError(_(ALREADY_ASSIGNED) % names, code="already_assigned")
    assignment = ReviewerAssignment(
        application=locked, reviewer=reviewer, assigned_by=by, assigned_at=clock.now()
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def _assignment_withdraw(assignment: ReviewerAssignment) -> bool:
    """Delete a locked assignment with its draft review; False (and nothing deleted) if its
    review is submitted."""
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is not None:
        if review.is_submitted:
            return False
        review.delete()
    assignment.delete()
    return True


@transaction.atomic
def reviewer_unassign(*, assignment: ReviewerAssignment, by: Any) -> None:
    """An officer takes a review away from a reviewer, with its draft; never once the review
    is submitted (it is part of the record the panel decides on)."""
    if not access.can_assign_reviewers(by):
        raise PermissionDenied(_(ONLY_OFFICERS_ASSIGN))
    _lock_application(assignment.application_id)
    current = ReviewerAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:
        return  # removed meanwhile: what the caller wanted
    if not _assignment_withdraw(current):
        raise ValidationError(
            _(UNASSIGN_SUBMITTED) % {"user": _name(assignment.reviewer)}, code="review_submitted"
        )


@transaction.atomic
def conflict_declare(
    *, reviewer: Any, cluster: Cluster, reason: str, by: Any
) -> ConflictOfInterest:
    """A reviewer declares (or an officer records for them) a conflict of interest with a
    cluster. Their assignments to its applications are withdrawn with their drafts, and no new
    one can be made; a review already submitted stays on record."""
    if not access.can_declare_conflict(by, reviewer=reviewer):
        raise PermissionDenied(_(ONLY_OWN_CONFLICTS))
    names = {"user": _name(reviewer), "cluster": cluster.name}
    if not access.can_be_reviewer(reviewer):
        raise ValidationError(_(NOT_A_REVIEWER) % names, code="not_a_reviewer")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_(REASON_MISSING), code="reason_missing")
    get_user_model()._default_manager.select_for_update().get(pk=reviewer.pk)
    if ConflictOfInterest.objects.filter(reviewer_id=reviewer.pk, cluster=cluster).exists():
        raise ValidationError(_(CONFLICT_ALREADY_DECLARED) % names, code="already_declared")
    conflict = ConflictOfInterest(
        reviewer=reviewer, cluster=cluster, reason=reason, declared_by=by, declared_at=clock.now()
    )
    conflict.full_clean()
    conflict.save()
    assignments = ReviewerAssignment.objects.select_for_update().filter(
        reviewer_id=reviewer.pk, application__cluster=cluster
    )
    for assignment in assignments:
        _assignment_withdraw(assignment)
    return conflict


# Reviews


def _lock_own_assignment(assignment: ReviewerAssignment, by: Any) -> tuple[Application, Any]:
    """Lock the application and the assignment, and make sure ``by`` is its reviewer and the
    application is in review."""
    if not access.is_assigned_reviewer(by, assignment):
        raise PermissionDenied(_(ONLY_ASSIGNED_REVIEWER))
    application = _lock_application(assignment.application_id)
    current = ReviewerAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:
        raise ValidationError(_(NOT_ASSIGNED) % {"user": _name(by)}, code="not_assigned")
    if application.state != State.IN_REVIEW:
        raise ValidationError(
            _(NOT_IN_REVIEW) % {"state": application.get_state_display()}, code="not_in_review"
        )
    return application, current


def _score_problems(
    scores: Iterable[ScoreInput], criteria: dict[int, ReviewCriterion], round_number: int
) -> list[ValidationError]:
    problems = []
    seen: set[int] = set()
    for item in scores:
        criterion = criteria.get(item.criterion.pk)
        names = {"criterion": item.criterion.name, "round": round_number}
        if criterion is None:
            problems.append(ValidationError(_(UNKNOWN_CRITERION) % names, code="unknown_criterion"))
            continue
        if criterion.pk in seen:
            problems.append(ValidationError(_(CRITERION_TWICE) % names, code="criterion_twice"))
        seen.add(criterion.pk)
        if item.score is not None and not criterion.accepts(item.score):
            problems.append(
                ValidationError(
                    _(SCORE_OUT_OF_SCALE)
                    % {
                        **names,
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                        "score": item.score,
                    },
                    code="score_out_of_scale",
                )
            )
    return problems


@transaction.atomic
def review_save_draft(
    *,
    assignment: ReviewerAssignment,
    scores: Sequence[ScoreInput],
    recommendation: str,
    by: Any,
    comment: str | None = None,
) -> Review:
    """The assigned reviewer saves their review as a draft while the application is in review:
    the given scores (each within its criterion's scale; others stay as they were), the
    recommendation ("" while undecided), and the overall comment if given."""
    application, current = _lock_own_assignment(assignment, by)
    review = Review.objects.select_for_update().filter(assignment=current).first()
    if review is None:
        # The round's first review freezes its criteria: serialise with their changes.
        Round.objects.select_for_update().get(pk=application.round_id)
        review = Review(assignment=current, created_at=clock.now())
    elif review.is_submitted:
        raise ValidationError(_(REVIEW_SUBMITTED), code="review_submitted")
    criteria = {c.pk: c for c in ReviewCriterion.objects.filter(round_id=application.round_id)}
    round_number = Round.objects.values_list("number", flat=True).get(pk=application.round_id)
    problems = _score_problems(scores, criteria, round_number)
    if recommendation and recommendation not in Recommendation.values:
        problems.append(
            ValidationError(
                _(UNKNOWN_RECOMMENDATION) % {"recommendation": recommendation},
                code="unknown_recommendation",
            )
        )
    if problems:
        raise ValidationError(problems)
    review.recommendation = recommendation
    if comment is not None:
        review.comment = comment
    review.updated_at = clock.now()
    review.full_clean()
    review.save()
    stored = {score.criterion_id: score for score in ReviewScore.objects.filter(review=review)}
    for item in scores:
        row = stored.get(item.criterion.pk) or ReviewScore(review=review, criterion=item.criterion)
        row.score = item.score
        row.comment = item.comment
        row.full_clean()
        row.save()
    return review


@transaction.atomic
def review_submit(*, review: Review, by: Any) -> Review:
    """The assigned reviewer submits their review while the application is in review: every
    criterion of the round scored within its scale and a recommendation given. From then on
    the review cannot change."""
    application, _current = _lock_own_assignment(review.assignment, by)
    locked: Review = Review.objects.select_for_update().get(pk=review.pk)
    if locked.is_submitted:
        raise ValidationError(_(REVIEW_SUBMITTED), code="review_submitted")
    criteria = list(ReviewCriterion.objects.filter(round_id=application.round_id))
    round_number = Round.objects.values_list("number", flat=True).get(pk=application.round_id)
    if not criteria:
        raise ValidationError(_(NO_CRITERIA) % {"round": round_number}, code="no_criteria")
    scored = {score.criterion_id: score for score in locked.scores.all()}
    problems = _score_problems(
        (
            ScoreInput(criterion, row.score)
            for criterion in criteria
            if (row := scored.get(criterion.pk)) is not None
        ),
        {criterion.pk: criterion for criterion in criteria},
        round_number,
    )
    missing = [c.name for c in criteria if c.pk not in scored or scored[c.pk].score is None]
    if missing:
        problems.append(
            ValidationError(
                _(CRITERIA_UNSCORED) % {"names": ", ".join(missing)}, code="criteria_unscored"
            )
        )
    if not locked.recommendation:
        problems.append(ValidationError(_(RECOMMENDATION_MISSING), code="recommendation_missing"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    locked.submitted_at = now
    locked.updated_at = now
    locked.full_clean()
    locked.save()
    return locked
