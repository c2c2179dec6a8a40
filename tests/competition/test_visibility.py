"""A reviewer sees the applications assigned to them once they are in review, and nothing else;
reviewer identities and scores are for officers and auditors, never for cluster managements."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from applications.access import (
    applications_visible_to,
    budget_lines_visible_to,
    can_read_application,
)
from applications.models import Application
from applications.states import State
from budgets.models import BudgetLine, Phase
from budgets.services import budget_line_save
from competition.access import assignments_visible_to, conflicts_visible_to, reviews_visible_to
from competition.selectors import RANKING_NOT_PERMITTED, round_ranking
from competition.services import conflict_declare, reviewer_assign
from programmes.access import Role

from ..factories import ApplicationFactory, position, user_with_role
from .conftest import REASON_TO_REJECT, fire, into_review
from .support import review_submitted

pytestmark = pytest.mark.django_db


def visible_ids(user) -> set[int]:
    return set(applications_visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def in_review_b(open_round, cluster_b, manager_b, officer) -> Application:
    application = ApplicationFactory(round=open_round, cluster=cluster_b, with_region=True)
    return into_review(application, manager=manager_b, officer=officer)


def test_reviewer_sees_nothing_unassigned(in_review_a, in_review_b, reviewer):
    assert visible_ids(reviewer) == set()
    assert not can_read_application(reviewer, in_review_a)


def test_reviewer_sees_an_assigned_application_in_review_only(
    in_review_a, in_review_b, reviewer, officer
):
    reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    assert visible_ids(reviewer) == {in_review_a.pk}
    assert can_read_application(reviewer, in_review_a)
    assert not can_read_application(reviewer, in_review_b)


def test_reviewer_does_not_see_an_assigned_application_before_review(
    submitted_a, reviewer, officer
):
    reviewer_assign(application=submitted_a, reviewer=reviewer, by=officer)

    assert visible_ids(reviewer) == set()
    assert not can_read_application(reviewer, submitted_a)
    assert not assignments_visible_to(reviewer).exists()


def test_reviewer_keeps_seeing_a_decided_application(in_review_a, reviewer, officer):
    reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    rejected = fire(in_review_a, "reject", officer, REASON_TO_REJECT)

    assert rejected.state == State.REJECTED
    assert visible_ids(reviewer) == {in_review_a.pk}


@pytest.mark.parametrize("leave_by", ["request_revision", "withdraw"])
def test_reviewer_loses_sight_of_an_application_sent_back_or_withdrawn(
    in_review_a, reviewer, officer, manager_a, leave_by
):
    reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    if leave_by == "withdraw":
        fire(in_review_a, "withdraw", manager_a)
    else:
        fire(in_review_a, "request_revision", officer, "Please name the partners.")

    assert visible_ids(reviewer) == set()


def test_reviewer_who_also_manages_a_cluster_sees_both_once(
    in_review_a, in_review_b, officer, cluster_b
):
    both = user_with_role("bea-both", Role.CLUSTER_MANAGEMENT, cluster_b)
    both.groups.add(Group.objects.get(name=Role.REVIEWER))
    reviewer_assign(application=in_review_a, reviewer=both, by=officer)

    rows = list(applications_visible_to(both).values_list("pk", flat=True))

    assert sorted(rows) == sorted([in_review_a.pk, in_review_b.pk])


def test_reviewer_sees_budget_lines_of_assigned_applications_only(
    application_a, manager_a, officer, reviewer, open_round, cluster_b, manager_b
):
    """The budget a cluster planned with its outline is part of what the panel judges."""
    application_b = ApplicationFactory(round=open_round, cluster=cluster_b, with_region=True)
    for application, manager in ((application_a, manager_a), (application_b, manager_b)):
        budget_line_save(
            application=application,
            phase=Phase.CONCEPT,
            grantee=application.cluster.management_organisation,
            year=application.concept_start_on.year,
            position=position("AZA", "0812"),
            eligible_amount=Decimal("1000.00"),
            by=manager,
        )
        into_review(application, manager=manager, officer=officer)
    reviewer_assign(application=application_a, reviewer=reviewer, by=officer)

    lines = budget_lines_visible_to(reviewer)

    assert set(lines.values_list("pk", flat=True)) == set(
        BudgetLine.objects.filter(application=application_a).values_list("pk", flat=True)
    )
    assert lines.count() == 1


# Reviewer identities and scores


@pytest.fixture
def two_reviews(in_review_a, officer, reviewer, reviewer_2, criteria):
    return [
        review_submitted(in_review_a, reviewer, officer=officer),
        review_submitted(in_review_a, reviewer_2, officer=officer, scores=[1, 2, 3]),
    ]


@pytest.mark.parametrize("persona", ["officer", "auditor"])
def test_reviews_visible_to_officers_and_auditors_with_reviewers_and_scores(
    two_reviews, persona, request
):
    reviews = list(reviews_visible_to(request.getfixturevalue(persona)))

    assert {r.pk for r in reviews} == {r.pk for r in two_reviews}
    assert {r.assignment.reviewer.username for r in reviews} == {"rita-reviewer", "rolf-reviewer"}
    assert all(len(r.scores.all()) == 3 for r in reviews)


def test_reviews_visible_to_a_reviewer_are_their_own(two_reviews, reviewer):
    assert list(reviews_visible_to(reviewer)) == [two_reviews[0]]
    assert [a.reviewer for a in assignments_visible_to(reviewer)] == [reviewer]


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "anonymous"])
def test_cluster_management_sees_no_review_no_reviewer_and_no_score(
    two_reviews, persona, request, in_review_a
):
    """Not even of its own cluster's application."""
    user = request.getfixturevalue(persona)

    assert not reviews_visible_to(user).exists()
    assert not assignments_visible_to(user).exists()
    assert not conflicts_visible_to(user).exists()
    with pytest.raises(PermissionDenied) as refused:
        round_ranking(in_review_a.round, user=user)
    assert str(refused.value) == RANKING_NOT_PERMITTED


def test_ranking_refused_to_reviewers(two_reviews, reviewer, in_review_a):
    """A jury member judges alone: the others' scores are not theirs to see."""
    with pytest.raises(PermissionDenied):
        round_ranking(in_review_a.round, user=reviewer)


def test_ranking_visible_to_auditors(two_reviews, auditor, in_review_a):
    ranking = round_ranking(in_review_a.round, user=auditor)

    assert [line.application for line in ranking.lines] == [in_review_a]
    assert ranking.lines[0].submitted_count == 2


def test_history_shown_to_cluster_management_names_no_reviewer(
    two_reviews, manager_a, officer, in_review_a, reviewer, reviewer_2
):
    fire(in_review_a, "reject", officer, REASON_TO_REJECT)
    application = applications_visible_to(manager_a).get(pk=in_review_a.pk)

    actors = {row.by for row in application.transitions.all()}

    assert reviewer not in actors
    assert reviewer_2 not in actors


def test_conflicts_visible_to_reviewer_are_their_own(reviewer, reviewer_2, cluster_a, officer):
    own = conflict_declare(
        reviewer=reviewer, cluster=cluster_a, reason="Former employee.", by=reviewer
    )
    conflict_declare(reviewer=reviewer_2, cluster=cluster_a, reason="Board member.", by=reviewer_2)

    assert list(conflicts_visible_to(reviewer)) == [own]
    assert conflicts_visible_to(officer).count() == 2
