"""Review criteria are data of the round, set by officers until the first review is saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from competition.models import SCALE_NOT_ASCENDING, ReviewCriterion
from competition.services import (
    CRITERIA_FROZEN,
    ONLY_OFFICERS_SET_CRITERIA,
    ScoreInput,
    criterion_create,
    criterion_delete,
    criterion_update,
    review_save_draft,
    reviewer_assign,
)

pytestmark = pytest.mark.django_db


def test_criterion_create_by_officer_stores_weight_and_scale(open_round, officer):
    criterion = criterion_create(
        round=open_round,
        name="  Fit of the partner regions ",
        description="Do the regions suit the cluster's technology?",
        weight=Decimal("1.50"),
        scale_min=0,
        scale_max=10,
        order=3,
        by=officer,
    )

    stored = ReviewCriterion.objects.get(pk=criterion.pk)
    assert (stored.round, stored.name, stored.weight, stored.scale_min, stored.scale_max) == (
        open_round,
        "Fit of the partner regions",
        Decimal("1.50"),
        0,
        10,
    )
    assert stored.order == 3


@pytest.mark.parametrize("persona", ["manager_a", "auditor", "reviewer", "anonymous"])
def test_criterion_create_refused_to_everyone_but_officers(open_round, persona, request):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied) as refused:
        criterion_create(round=open_round, name="Impact", weight=Decimal("1.00"), by=user)

    assert str(refused.value) == ONLY_OFFICERS_SET_CRITERIA
    assert not ReviewCriterion.objects.exists()


@pytest.mark.parametrize(("low", "high"), [(5, 5), (5, 1)], ids=["equal", "descending"])
def test_criterion_create_refuses_a_scale_that_does_not_ascend(open_round, officer, low, high):
    with pytest.raises(ValidationError) as refused:
        criterion_create(
            round=open_round,
            name="Impact",
            weight=Decimal("1.00"),
            scale_min=low,
            scale_max=high,
            by=officer,
        )

    assert SCALE_NOT_ASCENDING in refused.value.message_dict["scale_max"]
    assert not ReviewCriterion.objects.exists()


@pytest.mark.parametrize("weight", [Decimal("0.00"), Decimal("-1.00")])
def test_criterion_weight_must_be_positive_in_the_database(open_round, weight):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewCriterion.objects.create(round=open_round, name="Impact", weight=weight)


def test_criterion_name_is_unique_per_round(open_round, officer):
    criterion_create(round=open_round, name="Impact", weight=Decimal("1.00"), by=officer)

    with pytest.raises(ValidationError):
        criterion_create(round=open_round, name="Impact", weight=Decimal("2.00"), by=officer)

    assert ReviewCriterion.objects.filter(round=open_round).count() == 1


def test_criterion_update_changes_weight_before_reviews(criteria, officer):
    updated = criterion_update(criterion=criteria[0], weight=Decimal("3.00"), by=officer)

    assert ReviewCriterion.objects.get(pk=updated.pk).weight == Decimal("3.00")


def test_criterion_update_refused_once_a_draft_review_exists(
    criteria, in_review_a, officer, reviewer
):
    """Even a draft freezes the criteria: the scores it holds were given on them."""
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    review_save_draft(
        assignment=assignment, scores=[ScoreInput(criteria[0], 4)], recommendation="", by=reviewer
    )

    with pytest.raises(ValidationError) as refused:
        criterion_update(criterion=criteria[0], weight=Decimal("3.00"), by=officer)

    assert refused.value.code == "criteria_frozen"
    assert refused.value.message == CRITERIA_FROZEN % {"round": in_review_a.round.number}
    assert ReviewCriterion.objects.get(pk=criteria[0].pk).weight == criteria[0].weight


def test_criterion_create_and_delete_refused_once_reviews_exist(
    criteria, in_review_a, officer, reviewer
):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    review_save_draft(assignment=assignment, scores=[], recommendation="", by=reviewer)

    with pytest.raises(ValidationError):
        criterion_create(
            round=in_review_a.round, name="Late addition", weight=Decimal("1.00"), by=officer
        )
    with pytest.raises(ValidationError):
        criterion_delete(criterion=criteria[2], by=officer)

    assert ReviewCriterion.objects.filter(round=in_review_a.round).count() == len(criteria)


def test_criterion_delete_before_reviews(criteria, officer):
    criterion_delete(criterion=criteria[2], by=officer)

    assert list(ReviewCriterion.objects.order_by("order")) == criteria[:2]


def test_criterion_update_refuses_unknown_fields(criteria, officer):
    with pytest.raises(ValueError, match="round"):
        criterion_update(criterion=criteria[0], round=None, by=officer)
