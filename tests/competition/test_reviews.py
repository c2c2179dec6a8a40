"""Reviews: written by the assigned reviewer while the application is in review, every score
within its criterion's scale, submitted only when complete, and immutable once submitted."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from applications.models import Application
from applications.states import State
from competition.models import (
    REVIEW_SUBMITTED,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from competition.services import (
    CRITERIA_UNSCORED,
    ONLY_ASSIGNED_REVIEWER,
    SCORE_OUT_OF_SCALE,
    ScoreInput,
    criterion_create,
    review_save_draft,
    review_submit,
    reviewer_assign,
)
from kernel import clock

from ..factories import RoundFactory
from .conftest import REASON_TO_REJECT, fire

pytestmark = pytest.mark.django_db

COMMENT = "Clear strategy; the partner in Grenoble is well chosen."


@pytest.fixture
def assignment(in_review_a, reviewer, officer, criteria):
    return reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)


def all_scores(criteria, *values):
    return [ScoreInput(c, v, f"Comment on {c.name}") for c, v in zip(criteria, values, strict=True)]


def stored_scores(review):
    return {s.criterion_id: (s.score, s.comment) for s in ReviewScore.objects.filter(review=review)}


def error_codes(refused: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [error.code for error in refused.value.error_list]


def test_review_save_draft_stores_scores_comments_and_recommendation(
    assignment, reviewer, criteria
):
    review = review_save_draft(
        assignment=assignment,
        scores=all_scores(criteria, 5, 3, 1),
        recommendation=Recommendation.FUND,
        comment=COMMENT,
        by=reviewer,
    )

    stored = Review.objects.get(pk=review.pk)
    assert (stored.recommendation, stored.comment, stored.submitted_at) == (
        Recommendation.FUND,
        COMMENT,
        None,
    )
    assert stored_scores(review) == {
        criteria[0].pk: (5, f"Comment on {criteria[0].name}"),
        criteria[1].pk: (3, f"Comment on {criteria[1].name}"),
        criteria[2].pk: (1, f"Comment on {criteria[2].name}"),
    }


def test_review_save_draft_again_updates_only_the_given_scores(assignment, reviewer, criteria):
    review_save_draft(
        assignment=assignment, scores=all_scores(criteria, 2, 2, 2), recommendation="", by=reviewer
    )

    review = review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[1], 4, "Better on a second reading")],
        recommendation=Recommendation.UNDECIDED,
        by=reviewer,
    )

    assert Review.objects.count() == 1
    assert {k: v[0] for k, v in stored_scores(review).items()} == {
        criteria[0].pk: 2,
        criteria[1].pk: 4,
        criteria[2].pk: 2,
    }
    assert Review.objects.get().recommendation == Recommendation.UNDECIDED


@pytest.mark.parametrize("persona", ["reviewer_2", "officer", "manager_a", "auditor"])
def test_review_save_draft_refused_to_anyone_but_the_assignee(
    assignment, criteria, persona, request
):
    with pytest.raises(PermissionDenied) as refused:
        review_save_draft(
            assignment=assignment,
            scores=all_scores(criteria, 5, 5, 5),
            recommendation=Recommendation.FUND,
            by=request.getfixturevalue(persona),
        )

    assert str(refused.value) == ONLY_ASSIGNED_REVIEWER
    assert not Review.objects.exists()


def test_review_save_draft_refused_before_the_review_starts(
    submitted_a, reviewer, officer, criteria
):
    assignment = reviewer_assign(application=submitted_a, reviewer=reviewer, by=officer)

    with pytest.raises(ValidationError) as refused:
        review_save_draft(
            assignment=assignment,
            scores=all_scores(criteria, 4, 4, 4),
            recommendation="",
            by=reviewer,
        )

    assert refused.value.code == "not_in_review"
    assert not Review.objects.exists()


def test_review_save_draft_refused_once_the_panel_decided(assignment, reviewer, officer, criteria):
    fire(assignment.application, "reject", officer, REASON_TO_REJECT)

    with pytest.raises(ValidationError) as refused:
        review_save_draft(
            assignment=assignment,
            scores=all_scores(criteria, 4, 4, 4),
            recommendation="",
            by=reviewer,
        )

    assert refused.value.code == "not_in_review"
    assert not Review.objects.exists()


@pytest.mark.parametrize("score", [0, 6, 100], ids=["below", "above", "far-above"])
def test_review_save_draft_refuses_scores_outside_the_scale(assignment, reviewer, criteria, score):
    with pytest.raises(ValidationError) as refused:
        review_save_draft(
            assignment=assignment,
            scores=[ScoreInput(criteria[0], score)],
            recommendation="",
            by=reviewer,
        )

    assert error_codes(refused) == ["score_out_of_scale"]
    assert refused.value.messages == [
        SCORE_OUT_OF_SCALE % {"criterion": criteria[0].name, "min": 1, "max": 5, "score": score}
    ]
    assert not Review.objects.exists()


def test_review_save_draft_accepts_the_ends_of_a_criterions_own_scale(
    in_review_a, reviewer, officer
):
    """Each criterion has its own scale: 0 and 10 are fine on a 0-10 criterion."""
    wide = criterion_create(
        round=in_review_a.round,
        name="Benefit for the whole cluster",
        weight=Decimal("1.00"),
        scale_min=0,
        scale_max=10,
        by=officer,
    )
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)

    review = review_save_draft(
        assignment=assignment, scores=[ScoreInput(wide, 0)], recommendation="", by=reviewer
    )
    review = review_save_draft(
        assignment=assignment, scores=[ScoreInput(wide, 10)], recommendation="", by=reviewer
    )

    assert stored_scores(review)[wide.pk][0] == 10


def test_review_save_draft_refuses_a_criterion_of_another_round(
    assignment, reviewer, officer, programme
):
    elsewhere = criterion_create(
        round=RoundFactory(programme=programme, number=5),
        name="Another round's criterion",
        weight=Decimal("1.00"),
        by=officer,
    )

    with pytest.raises(ValidationError) as refused:
        review_save_draft(
            assignment=assignment, scores=[ScoreInput(elsewhere, 3)], recommendation="", by=reviewer
        )

    assert error_codes(refused) == ["unknown_criterion"]
    assert not ReviewScore.objects.exists()


def test_review_save_draft_refuses_an_unknown_recommendation(assignment, reviewer, criteria):
    with pytest.raises(ValidationError) as refused:
        review_save_draft(assignment=assignment, scores=[], recommendation="maybe", by=reviewer)

    assert error_codes(refused) == ["unknown_recommendation"]


# Submitting


def test_review_submit_when_every_criterion_is_scored(assignment, reviewer, criteria):
    draft = review_save_draft(
        assignment=assignment,
        scores=all_scores(criteria, 5, 4, 3),
        recommendation=Recommendation.FUND,
        by=reviewer,
    )

    submitted = review_submit(review=draft, by=reviewer)

    assert submitted.is_submitted
    assert Review.objects.get(pk=draft.pk).submitted_at == submitted.submitted_at


def test_review_submit_refused_with_a_criterion_unscored(assignment, reviewer, criteria):
    draft = review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[0], 5), ScoreInput(criteria[1], None)],
        recommendation=Recommendation.FUND,
        by=reviewer,
    )

    with pytest.raises(ValidationError) as refused:
        review_submit(review=draft, by=reviewer)

    assert error_codes(refused) == ["criteria_unscored"]
    assert refused.value.messages == [
        CRITERIA_UNSCORED % {"names": f"{criteria[1].name}, {criteria[2].name}"}
    ]
    assert Review.objects.get(pk=draft.pk).submitted_at is None


def test_review_submit_refused_without_a_recommendation(assignment, reviewer, criteria):
    draft = review_save_draft(
        assignment=assignment, scores=all_scores(criteria, 3, 3, 3), recommendation="", by=reviewer
    )

    with pytest.raises(ValidationError) as refused:
        review_submit(review=draft, by=reviewer)

    assert error_codes(refused) == ["recommendation_missing"]
    assert Review.objects.get(pk=draft.pk).submitted_at is None


def test_review_submit_refused_without_criteria(in_review_a, reviewer, officer):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    draft = review_save_draft(
        assignment=assignment, scores=[], recommendation=Recommendation.FUND, by=reviewer
    )

    with pytest.raises(ValidationError) as refused:
        review_submit(review=draft, by=reviewer)

    assert refused.value.code == "no_criteria"
    assert Review.objects.get(pk=draft.pk).submitted_at is None


def test_review_submit_refused_to_anyone_but_the_assignee(
    assignment, reviewer, reviewer_2, officer, criteria
):
    draft = review_save_draft(
        assignment=assignment,
        scores=all_scores(criteria, 3, 3, 3),
        recommendation=Recommendation.UNDECIDED,
        by=reviewer,
    )

    for user in (reviewer_2, officer):
        with pytest.raises(PermissionDenied):
            review_submit(review=draft, by=user)

    assert Review.objects.get(pk=draft.pk).submitted_at is None


# A submitted review is immutable


@pytest.fixture
def submitted_review(assignment, reviewer, criteria) -> Review:
    draft = review_save_draft(
        assignment=assignment,
        scores=all_scores(criteria, 4, 3, 2),
        recommendation=Recommendation.DO_NOT_FUND,
        comment=COMMENT,
        by=reviewer,
    )
    return review_submit(review=draft, by=reviewer)


def snapshot(review: Review) -> tuple:
    row = Review.objects.values("recommendation", "comment", "submitted_at", "updated_at").get(
        pk=review.pk
    )
    return row, stored_scores(review)


def test_review_submitted_cannot_be_saved_as_draft_again(submitted_review, reviewer, criteria):
    before = snapshot(submitted_review)

    with pytest.raises(ValidationError) as refused:
        review_save_draft(
            assignment=submitted_review.assignment,
            scores=all_scores(criteria, 5, 5, 5),
            recommendation=Recommendation.FUND,
            by=reviewer,
        )

    assert refused.value.code == "review_submitted"
    assert refused.value.message == REVIEW_SUBMITTED
    assert snapshot(submitted_review) == before


def test_review_submitted_cannot_be_submitted_again(submitted_review, reviewer):
    before = snapshot(submitted_review)

    with pytest.raises(ValidationError) as refused:
        review_submit(review=submitted_review, by=reviewer)

    assert refused.value.code == "review_submitted"
    assert snapshot(submitted_review) == before


def test_review_submitted_refuses_model_save_and_delete(submitted_review):
    before = snapshot(submitted_review)
    review = Review.objects.get(pk=submitted_review.pk)
    review.recommendation = Recommendation.FUND

    with pytest.raises(ValidationError):
        review.save()
    with pytest.raises(ValidationError):
        review.delete()
    assert snapshot(submitted_review) == before


def test_review_submitted_refuses_changes_to_its_scores(submitted_review):
    before = snapshot(submitted_review)
    score = ReviewScore.objects.filter(review=submitted_review).first()
    score.score = 5

    with pytest.raises(ValidationError):
        score.save()
    with pytest.raises(ValidationError):
        score.delete()
    extra = ReviewCriterion.objects.create(
        round=submitted_review.assignment.application.round, name="Added later"
    )
    with pytest.raises(ValidationError):
        ReviewScore(review=submitted_review, criterion=extra, score=3).save()
    assert snapshot(submitted_review) == before


def test_review_submitted_refuses_bulk_updates_and_deletions(submitted_review):
    before = snapshot(submitted_review)

    with pytest.raises(ValidationError):
        Review.objects.filter(pk=submitted_review.pk).update(recommendation=Recommendation.FUND)
    with pytest.raises(ValidationError):
        Review.objects.all().delete()
    with pytest.raises(ValidationError):
        ReviewScore.objects.filter(review=submitted_review).update(score=1)
    with pytest.raises(ValidationError):
        ReviewScore.objects.all().delete()
    assert snapshot(submitted_review) == before


def test_review_submitted_is_immutable_in_the_database(submitted_review):
    """SQL that bypasses the models is refused by the database's triggers too."""
    before = snapshot(submitted_review)
    review_table = Review._meta.db_table
    score_table = ReviewScore._meta.db_table

    for sql in (
        f"UPDATE {review_table} SET recommendation = 'fund' WHERE id = %s",
        f"UPDATE {score_table} SET score = 1 WHERE review_id = %s",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [submitted_review.pk])

    assert snapshot(submitted_review) == before


@pytest.mark.postgres
def test_review_submitted_cannot_be_deleted_in_the_database(submitted_review):
    """On PostgreSQL the triggers refuse deletions as well (SQLite's test teardown deletes)."""
    before = snapshot(submitted_review)

    for table in (ReviewScore._meta.db_table, Review._meta.db_table):
        column = "review_id" if table == ReviewScore._meta.db_table else "id"
        with (
            pytest.raises(IntegrityError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [submitted_review.pk])

    assert snapshot(submitted_review) == before


def test_review_draft_can_still_change_in_the_database(assignment, reviewer, criteria):
    """The triggers leave drafts alone."""
    draft = review_save_draft(
        assignment=assignment, scores=all_scores(criteria, 1, 1, 1), recommendation="", by=reviewer
    )

    Review.objects.filter(pk=draft.pk).update(comment="Changed")

    assert Review.objects.get(pk=draft.pk).comment == "Changed"


def test_submitted_review_needs_a_recommendation_in_the_database(assignment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(assignment=assignment, recommendation="", submitted_at=clock.now())


def test_one_review_per_assignment_in_the_database(assignment):
    Review.objects.create(assignment=assignment)

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(assignment=assignment)


def test_review_after_request_revision_is_refused_until_review_starts_again(
    assignment, reviewer, officer, criteria
):
    fire(assignment.application, "request_revision", officer, "Please name the partners.")

    with pytest.raises(ValidationError) as refused:
        review_save_draft(assignment=assignment, scores=[], recommendation="", by=reviewer)

    assert refused.value.code == "not_in_review"
    assert Review.objects.count() == 0
    assert Application.objects.get(pk=assignment.application_id).state == State.DRAFT
