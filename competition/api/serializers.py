"""The competition as JSON: review criteria, reviewer assignments, conflicts of interest,
reviews and the round's ranking; and their input shapes (shape only: who may write what, the
scales and the frozen criteria are the services' rules)."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.api.serializers import VisibleApplicationField
from applications.models import Application
from applications.states import State
from kernel.api.fields import StrictInput
from programmes.models import Cluster

from .. import access
from ..models import (
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)
from ..selectors import RankingLine

# Scores and scales are stored as PositiveSmallIntegerField.
SMALLINT_MAX = 32767


def mean_score(**kwargs: Any) -> serializers.DecimalField:
    """A mean score: a string with two decimals, rounded half up as the workbook shows it."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        coerce_to_string=True,
        rounding=ROUND_HALF_UP,
        allow_null=True,
        **kwargs,
    )


def weight_field(**kwargs: Any) -> serializers.DecimalField:
    """A criterion's weight: a string with two decimals, as stored."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True, **kwargs)


# Criteria


class ReviewCriterionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    weight = weight_field(help_text='Its weight in each review\'s weighted mean, e.g. "2.00".')

    class Meta:
        model = ReviewCriterion
        fields = ["id", "round", "name", "description", "weight", "scale_min", "scale_max", "order"]
        read_only_fields = fields


class ReviewCriterionInput(StrictInput):
    """A criterion of the round; changes are refused once a review of the round exists."""

    output = ReviewCriterionSerializer

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="", max_length=5000)
    weight = weight_field(min_value=Decimal("0.01"), default=Decimal("1.00"))
    scale_min = serializers.IntegerField(min_value=0, max_value=SMALLINT_MAX, default=1)
    scale_max = serializers.IntegerField(min_value=0, max_value=SMALLINT_MAX, default=5)
    order = serializers.IntegerField(min_value=0, max_value=SMALLINT_MAX, default=0)


# Assignments and conflicts of interest


class ReviewerAssignmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Who reviews which application, and how far their review is."""

    round = serializers.IntegerField(source="application.round_id", read_only=True)
    cluster = serializers.IntegerField(source="application.cluster_id", read_only=True)
    cluster_name = serializers.CharField(source="application.cluster.name", read_only=True)
    application_state = serializers.ChoiceField(
        source="application.state", choices=State.choices, read_only=True
    )
    reviewer_username = serializers.CharField(source="reviewer.get_username", read_only=True)
    # A reverse one-to-one: null before the reviewer saves a draft.
    review = serializers.IntegerField(
        source="review.pk", read_only=True, allow_null=True, help_text="Null before a draft."
    )
    review_submitted_at = serializers.DateTimeField(
        source="review.submitted_at", read_only=True, allow_null=True
    )

    class Meta:
        model = ReviewerAssignment
        fields = [
            "id",
            "application",
            "round",
            "cluster",
            "cluster_name",
            "application_state",
            "reviewer",
            "reviewer_username",
            "assigned_by",
            "assigned_at",
            "review",
            "review_submitted_at",
        ]
        read_only_fields = fields


class JuryMemberSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A jury member to assign from, with the clusters they declared a conflict of interest
    with (no assignment to those clusters' applications is possible)."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)
    conflict_clusters = serializers.SerializerMethodField(
        help_text="Ids of the clusters the member declared a conflict of interest with."
    )

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "full_name", "conflict_clusters"]
        read_only_fields = fields

    def get_conflict_clusters(self, member: Any) -> list[int]:
        return [conflict.cluster_id for conflict in member.declared_conflicts]


class ReviewerAssignmentInput(StrictInput):
    """An application and a jury member; whether they may be paired is the service's rule."""

    output = ReviewerAssignmentSerializer

    # Another cluster's application does not exist for the writer, as an unknown id does not.
    application = VisibleApplicationField(queryset=Application.objects.all())
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model()._default_manager.all(), help_text="A jury member's user id."
    )


class ConflictOfInterestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A jury member cannot judge the cluster impartially: no assignment to its applications."""

    reviewer_username = serializers.CharField(source="reviewer.get_username", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)

    class Meta:
        model = ConflictOfInterest
        fields = [
            "id",
            "reviewer",
            "reviewer_username",
            "cluster",
            "cluster_name",
            "reason",
            "declared_by",
            "declared_at",
        ]
        read_only_fields = fields


# A user id; without a model on the input the schema generator cannot tell (check --deploy warned).
@extend_schema_field(OpenApiTypes.INT)
class DeclarableReviewerField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """Whom a declaration may be for: anyone for officers (the service checks they are a jury
    member); only oneself otherwise, so that another user's id is unknown, exactly as an id
    that does not exist (no way to probe which users exist)."""

    def get_queryset(self) -> QuerySet[Any]:
        return access.declarable_users(self.context["request"].user)


class ConflictOfInterestInput(StrictInput):
    """A reviewer declares their own conflict; an officer may record one for a reviewer."""

    output = ConflictOfInterestSerializer

    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all())
    # Blank is the service's refusal (reason_missing), so that it has one message.
    reason = serializers.CharField(allow_blank=True, max_length=5000)
    reviewer = DeclarableReviewerField(
        required=False, help_text="The jury member's user id; you, if left out."
    )


# Reviews


class ReviewScoreSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The score (null while undecided, in a draft) and comment on one criterion."""

    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_name", "score", "comment"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A review: a draft its reviewer may still change, or submitted (then immutable)."""

    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    round = serializers.IntegerField(source="assignment.application.round_id", read_only=True)
    cluster = serializers.IntegerField(source="assignment.application.cluster_id", read_only=True)
    cluster_name = serializers.CharField(
        source="assignment.application.cluster.name", read_only=True
    )
    reviewer = serializers.IntegerField(source="assignment.reviewer_id", read_only=True)
    reviewer_username = serializers.CharField(
        source="assignment.reviewer.get_username", read_only=True
    )
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty while undecided (drafts only).",
    )
    is_submitted = serializers.BooleanField(read_only=True)
    scores = ReviewScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "application",
            "round",
            "cluster",
            "cluster_name",
            "reviewer",
            "reviewer_username",
            "recommendation",
            "comment",
            "scores",
            "is_submitted",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = fields


class ScoreItemInput(StrictInput):
    """The score and comment on one criterion."""

    output = ReviewScoreSerializer

    criterion = serializers.PrimaryKeyRelatedField(
        queryset=ReviewCriterion.objects.all(), help_text="A criterion of the application's round."
    )
    # On the criterion's scale: the service checks, and names the criterion if not.
    score = serializers.IntegerField(allow_null=True, help_text="Null: not yet decided.")
    comment = serializers.CharField(allow_blank=True, default="", max_length=20000)


class ReviewDraftInput(StrictInput):
    """The draft as the reviewer has it now. Criteria left out of ``scores`` keep what was
    saved before; ``comment`` left out keeps the overall comment."""

    output = ReviewSerializer

    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, help_text="Empty while undecided."
    )
    comment = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    scores = ScoreItemInput(many=True, default=list)


class ReviewSubmitInput(StrictInput):
    """No fields: the review is submitted as saved (every criterion scored, a recommendation)."""

    output = ReviewSerializer


# The ranking


class CriterionMeanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The mean score on one criterion, in the order of the round's criteria."""

    criterion = serializers.IntegerField()
    mean = mean_score(help_text="The plain mean of the submitted scores; null without any.")


class RankingLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One application before the panel. Needs ``criteria`` (the round's) in the context."""

    application = serializers.IntegerField(source="application.pk")
    cluster = serializers.IntegerField(source="application.cluster_id")
    cluster_name = serializers.CharField(source="application.cluster.name")
    state = serializers.ChoiceField(source="application.state", choices=State.choices)
    rank = serializers.IntegerField(
        allow_null=True, help_text="Ties share a rank (1, 2, 2, 4); null without a review."
    )
    is_tied = serializers.BooleanField()
    mean = mean_score(
        source="weighted_mean_display",
        help_text="The mean of the submitted reviews' weighted means; the rank uses it unrounded.",
    )
    submitted_count = serializers.IntegerField(help_text="Reviews submitted.")
    assigned_count = serializers.IntegerField(help_text="Reviewers assigned.")
    required_count = serializers.IntegerField(
        help_text="Submitted reviews the round requires before selection."
    )
    has_enough_reviews = serializers.BooleanField()
    recommendations = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Submitted reviews per recommendation (fund, do_not_fund, undecided).",
    )
    criterion_means = serializers.SerializerMethodField()

    @extend_schema_field(CriterionMeanSerializer(many=True))
    def get_criterion_means(self, line: RankingLine) -> list[dict[str, Any]]:
        items = [
            {"criterion": criterion.pk, "mean": line.criterion_means.get(criterion.pk)}
            for criterion in self.context["criteria"]
        ]
        return CriterionMeanSerializer(items, many=True).data  # type: ignore[return-value]


class RoundRankingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The round's applications in review or decided, best first; unranked ones last."""

    round = serializers.IntegerField(source="round.pk")
    criteria = ReviewCriterionSerializer(many=True)
    lines = RankingLineSerializer(many=True)
