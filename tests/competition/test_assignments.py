"""Officers assign reviewers; never a conflicted reviewer, the cluster's own management, or a
user who is no reviewer. Conflicts of interest are declared by the reviewer (or recorded by an
officer) and withdraw their draft assignments."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from competition.models import ConflictOfInterest, Review, ReviewerAssignment
from competition.services import (
    CONFLICT_OF_INTEREST,
    NOT_A_REVIEWER,
    ONLY_OFFICERS_ASSIGN,
    ONLY_OWN_CONFLICTS,
    OWN_CLUSTER,
    UNASSIGN_SUBMITTED,
    ScoreInput,
    conflict_declare,
    review_save_draft,
    reviewer_assign,
    reviewer_unassign,
)
from programmes.access import Role

from ..factories import ApplicationFactory, RoundFactory, user_with_role
from .conftest import fire
from .support import review_submitted

pytestmark = pytest.mark.django_db

REASON = "I advised the cluster on its strategy last year."


def test_reviewer_assign_by_officer_records_who_and_when(in_review_a, reviewer, officer):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    stored = ReviewerAssignment.objects.get(pk=assignment.pk)
    assert (stored.application, stored.reviewer, stored.assigned_by) == (
        in_review_a,
        reviewer,
        officer,
    )
    assert stored.assigned_at is not None


def test_reviewer_assign_accepted_while_submitted(submitted_a, reviewer, officer):
    """The panel can be put together before the review starts."""
    reviewer_assign(application=submitted_a, reviewer=reviewer, by=officer)

    assert ReviewerAssignment.objects.filter(application=submitted_a, reviewer=reviewer).exists()


@pytest.mark.parametrize("persona", ["manager_a", "auditor", "reviewer_2"])
def test_reviewer_assign_refused_to_everyone_but_officers(in_review_a, reviewer, persona, request):
    with pytest.raises(PermissionDenied) as refused:
        reviewer_assign(
            application=in_review_a, reviewer=reviewer, by=request.getfixturevalue(persona)
        )

    assert str(refused.value) == ONLY_OFFICERS_ASSIGN
    assert not ReviewerAssignment.objects.exists()


def test_reviewer_assign_refused_after_conflict_of_interest(in_review_a, reviewer, officer):
    conflict_declare(reviewer=reviewer, cluster=in_review_a.cluster, reason=REASON, by=reviewer)

    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    assert refused.value.code == "conflict_of_interest"
    assert refused.value.message == CONFLICT_OF_INTEREST % {
        "user": reviewer.username,
        "cluster": in_review_a.cluster.name,
    }
    assert not ReviewerAssignment.objects.exists()


def test_reviewer_assign_refused_for_the_clusters_own_manager(in_review_a, officer, cluster_a):
    """A member of the cluster's management who is also on the jury cannot judge it."""
    insider = user_with_role("ines-insider", Role.CLUSTER_MANAGEMENT, cluster_a)
    insider.groups.add(Group.objects.get(name=Role.REVIEWER))

    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=in_review_a, reviewer=insider, by=officer)

    assert refused.value.code == "own_cluster"
    assert refused.value.message == OWN_CLUSTER % {
        "user": insider.username,
        "cluster": cluster_a.name,
    }
    assert not ReviewerAssignment.objects.exists()


def test_reviewer_assign_accepts_a_manager_of_another_cluster(in_review_a, officer, cluster_b):
    outsider = user_with_role("olaf-outsider", Role.CLUSTER_MANAGEMENT, cluster_b)
    outsider.groups.add(Group.objects.get(name=Role.REVIEWER))

    reviewer_assign(application=in_review_a, reviewer=outsider, by=officer)

    assert ReviewerAssignment.objects.filter(reviewer=outsider).count() == 1


@pytest.mark.parametrize("persona", ["officer", "auditor", "manager_b"])
def test_reviewer_assign_refused_for_a_user_without_the_reviewer_role(
    in_review_a, officer, persona, request
):
    user = request.getfixturevalue(persona)

    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=in_review_a, reviewer=user, by=officer)

    assert refused.value.code == "not_a_reviewer"
    assert refused.value.message == NOT_A_REVIEWER % {"user": user.username}
    assert not ReviewerAssignment.objects.exists()


def test_reviewer_assign_refused_for_a_draft(application_a, reviewer, officer):
    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=application_a, reviewer=reviewer, by=officer)

    assert refused.value.code == "not_assignable"
    assert not ReviewerAssignment.objects.exists()


def test_reviewer_assign_refused_twice(in_review_a, reviewer, officer):
    reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    assert refused.value.code == "already_assigned"
    assert ReviewerAssignment.objects.count() == 1


def test_assignment_is_unique_per_reviewer_and_application_in_the_database(
    in_review_a, reviewer, officer
):
    ReviewerAssignment.objects.create(
        application=in_review_a, reviewer=reviewer, assigned_by=officer
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewerAssignment.objects.create(
            application=in_review_a, reviewer=reviewer, assigned_by=officer
        )


def test_reviewer_unassign_removes_the_assignment_and_its_draft(
    in_review_a, reviewer, officer, criteria
):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    review_save_draft(
        assignment=assignment, scores=[ScoreInput(criteria[0], 3)], recommendation="", by=reviewer
    )

    reviewer_unassign(assignment=assignment, by=officer)

    assert not ReviewerAssignment.objects.exists()
    assert not Review.objects.exists()


def test_reviewer_unassign_refused_after_submission(in_review_a, reviewer, officer, criteria):
    review = review_submitted(in_review_a, reviewer, officer=officer)

    with pytest.raises(ValidationError) as refused:
        reviewer_unassign(assignment=review.assignment, by=officer)

    assert refused.value.code == "review_submitted"
    assert refused.value.message == UNASSIGN_SUBMITTED % {"user": reviewer.username}
    assert Review.objects.filter(pk=review.pk, submitted_at__isnull=False).exists()
    assert ReviewerAssignment.objects.filter(pk=review.assignment.pk).exists()


def test_reviewer_unassign_refused_to_a_reviewer(in_review_a, reviewer, officer):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    with pytest.raises(PermissionDenied):
        reviewer_unassign(assignment=assignment, by=reviewer)

    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


# Conflicts of interest


def test_conflict_declare_by_the_reviewer_is_recorded(reviewer, cluster_a):
    conflict = conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=REASON, by=reviewer)

    stored = ConflictOfInterest.objects.get(pk=conflict.pk)
    assert (stored.reviewer, stored.cluster, stored.reason, stored.declared_by) == (
        reviewer,
        cluster_a,
        REASON,
        reviewer,
    )


def test_conflict_declare_recorded_by_an_officer_for_the_reviewer(reviewer, cluster_a, officer):
    conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=REASON, by=officer)

    assert ConflictOfInterest.objects.get().declared_by == officer


@pytest.mark.parametrize("persona", ["reviewer_2", "manager_a", "auditor"])
def test_conflict_declare_refused_for_someone_else(reviewer, cluster_a, persona, request):
    with pytest.raises(PermissionDenied) as refused:
        conflict_declare(
            reviewer=reviewer,
            cluster=cluster_a,
            reason=REASON,
            by=request.getfixturevalue(persona),
        )

    assert str(refused.value) == ONLY_OWN_CONFLICTS
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_conflict_declare_needs_a_reason(reviewer, cluster_a, reason):
    with pytest.raises(ValidationError) as refused:
        conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=reason, by=reviewer)

    assert refused.value.code == "reason_missing"
    assert not ConflictOfInterest.objects.exists()


def test_conflict_declare_twice_refused(reviewer, cluster_a):
    conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=REASON, by=reviewer)

    with pytest.raises(ValidationError) as refused:
        conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=REASON, by=reviewer)

    assert refused.value.code == "already_declared"
    assert ConflictOfInterest.objects.count() == 1


def test_conflict_declare_withdraws_draft_assignments_of_the_cluster(
    in_review_a, reviewer, officer, criteria, open_round, cluster_b, manager_b
):
    """The reviewer's draft on cluster A goes; their assignment on cluster B stays."""
    on_a = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    review_save_draft(
        assignment=on_a, scores=[ScoreInput(criteria[0], 2)], recommendation="", by=reviewer
    )
    application_b = fire(
        fire(
            ApplicationFactory(round=open_round, cluster=cluster_b, with_region=True),
            "submit",
            manager_b,
        ),
        "start_review",
        officer,
    )
    on_b = reviewer_assign(application=application_b, reviewer=reviewer, by=officer)

    conflict_declare(reviewer=reviewer, cluster=in_review_a.cluster, reason=REASON, by=reviewer)

    assert list(ReviewerAssignment.objects.all()) == [on_b]
    assert not Review.objects.filter(assignment__application=in_review_a).exists()


def test_conflict_declare_keeps_a_submitted_review_on_record(
    in_review_a, reviewer, officer, criteria
):
    review = review_submitted(in_review_a, reviewer, officer=officer)

    conflict_declare(reviewer=reviewer, cluster=in_review_a.cluster, reason=REASON, by=reviewer)

    assert Review.objects.filter(pk=review.pk, submitted_at__isnull=False).exists()
    assert ConflictOfInterest.objects.filter(reviewer=reviewer).count() == 1


def test_conflict_declare_refused_for_a_user_without_the_reviewer_role(cluster_a, officer):
    with pytest.raises(ValidationError) as refused:
        conflict_declare(reviewer=officer, cluster=cluster_a, reason=REASON, by=officer)

    assert refused.value.code == "not_a_reviewer"


def test_reviewer_assign_refused_for_the_same_cluster_in_a_later_round(
    in_review_a, reviewer, officer, programme, cluster_a, manager_a
):
    """A conflict is with the cluster, whatever the round."""
    conflict_declare(reviewer=reviewer, cluster=cluster_a, reason=REASON, by=reviewer)
    later = fire(
        ApplicationFactory(
            round=RoundFactory(programme=programme, number=2), cluster=cluster_a, with_region=True
        ),
        "submit",
        manager_a,
    )

    with pytest.raises(ValidationError) as refused:
        reviewer_assign(application=later, reviewer=reviewer, by=officer)

    assert refused.value.code == "conflict_of_interest"
    assert not ReviewerAssignment.objects.filter(application=later).exists()
