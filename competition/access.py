"""Who may see and do what in the competition: the one place its pages, API, admin and services
ask. Built on the roles of ``programmes.access``.

Officers run the competition (criteria, assignments) and see everything, with auditors reading
along; a reviewer (jury member) sees and writes only their own assignments, reviews and
conflict-of-interest declarations, of applications in review or decided. Cluster managements see
none of it. What a user may not see is absent for them (404).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from applications.states import REVIEWED_STATES
from programmes import access as roles

from .models import ConflictOfInterest, Review, ReviewerAssignment, ReviewScore


def can_set_criteria(user: Any) -> bool:
    return roles.is_officer(user)


def can_assign_reviewers(user: Any) -> bool:
    return roles.is_officer(user)


def can_declare_conflict(user: Any, *, reviewer: Any) -> bool:
    """Reviewers declare their own conflicts; officers record one for any jury member."""
    return (user.pk == reviewer.pk and roles.is_reviewer(user)) or roles.is_officer(user)


def is_assigned_reviewer(user: Any, assignment: ReviewerAssignment) -> bool:
    return user.pk == assignment.reviewer_id and roles.is_reviewer(user)


def can_read_ranking(user: Any) -> bool:
    """The ranking compares every cluster of a round: officers and auditors."""
    return roles.can_read_all(user)


def can_read_round_competition(user: Any) -> bool:
    """A round's competition pages (assignments, conflicts of interest, every review, the
    ranking): officers run them and auditors read along; to anyone else they are absent."""
    return roles.can_read_all(user)


def can_list_jury_members(user: Any) -> bool:
    """The list of jury members is there to assign from: officers only."""
    return roles.is_officer(user)


def can_be_reviewer(user: Any) -> bool:
    return roles.is_reviewer(user)


def declarable_users(user: Any) -> QuerySet[Any]:
    """Whom a declaration may name: anyone for officers (the service checks they are a jury
    member), only oneself otherwise, so that another user's id is unknown exactly as an id that
    does not exist (no way to probe which users exist)."""
    users = get_user_model()._default_manager.all()
    return users if roles.is_officer(user) else users.filter(pk=user.pk)


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    """Every review (with reviewer and scores) for officers and auditors; a reviewer's own
    reviews of applications they see; nothing for anyone else, cluster managements included."""
    reviews = Review.objects.select_related(
        "assignment__application__round", "assignment__application__cluster", "assignment__reviewer"
    ).prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
    if roles.can_read_all(user):
        return reviews
    if roles.is_reviewer(user):
        return reviews.filter(
            assignment__reviewer_id=user.pk, assignment__application__state__in=REVIEWED_STATES
        )
    return reviews.none()


def assignments_visible_to(user: Any) -> QuerySet[ReviewerAssignment]:
    """Who reviews what: everything for officers and auditors; a reviewer's own assignments of
    applications in review (or decided); nothing for anyone else."""
    assignments = ReviewerAssignment.objects.select_related(
        "application__round", "application__cluster", "reviewer", "review"
    )
    if roles.can_read_all(user):
        return assignments
    if roles.is_reviewer(user):
        return assignments.filter(reviewer_id=user.pk, application__state__in=REVIEWED_STATES)
    return assignments.none()


def conflicts_visible_to(user: Any) -> QuerySet[ConflictOfInterest]:
    """Declared conflicts of interest: all for officers and auditors, a reviewer's own."""
    conflicts = ConflictOfInterest.objects.select_related("reviewer", "cluster", "declared_by")
    if roles.can_read_all(user):
        return conflicts
    if roles.is_reviewer(user):
        return conflicts.filter(reviewer_id=user.pk)
    return conflicts.none()
