"""The competition: a round's review criteria, reviewer assignments, conflicts of interest, the
reviews (each written by its reviewer through their assignment), and the round's ranking.

Objects come from the competition's selectors, so what a user may not read is a 404 (a cluster
management reads none of it); every write is one of ``competition.services``, which
decides who may do it to which object (only the assigned reviewer writes a review) and answers
400 or 403 with a code. The permission classes turn away, before any input is read, whoever may
not write here at all: officers set criteria and assign (``OfficerWrites``); reviewers and
officers declare conflicts and write reviews (``JuryWrites``).
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.api.filters import IdFilter
from kernel.api.permissions import FundingRole, JuryWrites, OfficerWrites, ReadsAll
from programmes.models import Round

from ..access import (
    assignments_visible_to,
    can_list_jury_members,
    conflicts_visible_to,
    reviews_visible_to,
)
from ..models import ConflictOfInterest, Review, ReviewCriterion, ReviewerAssignment
from ..selectors import (
    jury_members,
    review_criteria,
    round_ranking,
)
from ..services import (
    ScoreInput,
    conflict_declare,
    criterion_create,
    criterion_delete,
    criterion_update,
    review_save_draft,
    review_submit,
    reviewer_assign,
    reviewer_unassign,
)
from .serializers import (
    ConflictOfInterestInput,
    ConflictOfInterestSerializer,
    JuryMemberSerializer,
    ReviewCriterionInput,
    ReviewCriterionSerializer,
    ReviewDraftInput,
    ReviewerAssignmentInput,
    ReviewerAssignmentSerializer,
    ReviewSerializer,
    ReviewSubmitInput,
    RoundRankingSerializer,
)

ROUND_ID = OpenApiParameter("round_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
SEARCH = OpenApiParameter(
    "search",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Words that each occur in the username, first or last name (ignoring case).",
)
JURY_LIST_FOR_OFFICERS = gettext_noop("Only ministry officers see the list of jury members.")


class OfficersRead(FundingRole):
    """A read-only list for officers alone (the jury, to assign from). Other methods are not
    offered at all (405)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method not in SAFE_METHODS or can_list_jury_members(request.user):
            return True
        self.message, self.code = gettext_lazy(JURY_LIST_FOR_OFFICERS), "officers_only"
        return False


# Filters: on what the user may see, so another reviewer's or cluster's id matches nothing, as
# an unknown id does.


class ReviewerAssignmentFilter(django_filters.FilterSet):
    application = IdFilter(field_name="application_id")
    reviewer = IdFilter(field_name="reviewer_id")
    round = IdFilter(field_name="application__round_id")

    class Meta:
        model = ReviewerAssignment
        fields = ["application", "reviewer", "round"]


class ConflictOfInterestFilter(django_filters.FilterSet):
    reviewer = IdFilter(field_name="reviewer_id")
    cluster = IdFilter(field_name="cluster_id")

    class Meta:
        model = ConflictOfInterest
        fields = ["reviewer", "cluster"]


class ReviewFilter(django_filters.FilterSet):
    application = IdFilter(field_name="assignment__application_id")
    round = IdFilter(field_name="assignment__application__round_id")
    reviewer = IdFilter(field_name="assignment__reviewer_id")
    submitted = django_filters.BooleanFilter(
        method="filter_submitted", label="Submitted (true) or drafts (false)"
    )

    class Meta:
        model = Review
        fields = ["application", "round", "reviewer", "submitted"]

    def filter_submitted(self, queryset: QuerySet[Review], name: str, value: bool) -> Any:
        return queryset.filter(submitted_at__isnull=not value)


# Criteria


@extend_schema_view(
    list=extend_schema(summary="The round's review criteria (part of the call: every role)"),
    create=extend_schema(
        request=ReviewCriterionInput,
        summary="Add a criterion (officers; 400 criteria_frozen once the round has a review)",
    ),
    partial_update=extend_schema(
        request=ReviewCriterionInput(partial=True),
        summary="Change a criterion (officers, before the round's first review)",
    ),
    destroy=extend_schema(summary="Remove a criterion (officers, before the round's first review)"),
)
@extend_schema(parameters=[ROUND_ID])
class ReviewCriterionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ReviewCriterionSerializer
    permission_classes = (OfficerWrites,)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["order", "name", "weight"]

    def get_round(self) -> Round:
        cached: Round | None = getattr(self, "_round", None)
        if cached is None:
            cached = get_object_or_404(Round, pk=self.kwargs["round_pk"])
            self._round = cached
        return cached

    def get_queryset(self) -> QuerySet[ReviewCriterion]:
        if getattr(self, "swagger_fake_view", False):
            return ReviewCriterion.objects.none()
        return review_criteria(self.get_round())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReviewCriterionInput(data=request.data)
        given.is_valid(raise_exception=True)
        criterion = criterion_create(
            round=self.get_round(), by=request.user, **given.validated_data
        )
        return Response(self.get_serializer(criterion).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        criterion = self.get_object()
        given = ReviewCriterionInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changed = criterion_update(criterion=criterion, by=request.user, **given.validated_data)
        return Response(self.get_serializer(changed).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        criterion_delete(criterion=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The jury, assignments and conflicts of interest


@extend_schema(
    parameters=[SEARCH],
    summary="The jury members to assign from, by name (officers only; ?search= narrows)",
)
class JuryMemberListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = JuryMemberSerializer
    permission_classes = (OfficersRead,)
    ordering_fields = ["username", "last_name", "first_name"]

    def get_queryset(self) -> QuerySet[Any]:
        return jury_members(search=self.request.query_params.get("search", ""))


@extend_schema_view(
    list=extend_schema(summary="Who reviews what (officers and auditors: all; reviewers: own)"),
    create=extend_schema(
        request=ReviewerAssignmentInput,
        summary="Assign a reviewer to a submitted application or one in review (officers)",
        description=(
            "400 not_a_reviewer, own_cluster (the reviewer works for the cluster's management), "
            "conflict_of_interest, not_assignable or already_assigned."
        ),
    ),
    destroy=extend_schema(
        summary="Withdraw the assignment with its draft (officers; never a submitted review)"
    ),
)
class ReviewerAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ReviewerAssignmentSerializer
    permission_classes = (OfficerWrites,)
    filterset_class = ReviewerAssignmentFilter
    lookup_value_converter = "int"
    ordering_fields = ["assigned_at", "application"]

    def get_queryset(self) -> QuerySet[ReviewerAssignment]:
        return assignments_visible_to(self.request.user).order_by("application_id", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReviewerAssignmentInput(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        assignment = reviewer_assign(by=request.user, **given.validated_data)
        shown = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reviewer_unassign(assignment=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Declared conflicts of interest (reviewers: their own)"),
    create=extend_schema(
        request=ConflictOfInterestInput,
        summary="Declare a conflict of interest with a cluster (a reviewer, or an officer for one)",
        description=(
            "Withdraws the reviewer's assignments to the cluster's applications with their "
            "drafts (a submitted review stays); no new assignment can be made."
        ),
    ),
)
class ConflictOfInterestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ConflictOfInterestSerializer
    permission_classes = (JuryWrites,)
    filterset_class = ConflictOfInterestFilter
    lookup_value_converter = "int"
    ordering_fields = ["declared_at", "cluster__name"]

    def get_queryset(self) -> QuerySet[ConflictOfInterest]:
        return conflicts_visible_to(self.request.user).order_by("reviewer_id", "cluster_id", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ConflictOfInterestInput(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        conflict = conflict_declare(
            reviewer=data.pop("reviewer", request.user), by=request.user, **data
        )
        shown = self.get_queryset().get(pk=conflict.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)


# Reviews


def visible_reviews(user: Any) -> QuerySet[Review]:
    return reviews_visible_to(user).order_by("assignment__application_id", "pk")


@extend_schema_view(
    list=extend_schema(summary="Reviews (officers and auditors: all; reviewers: their own)"),
    retrieve=extend_schema(summary="A review with its scores"),
)
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    lookup_value_converter = "int"
    ordering_fields = ["created_at", "updated_at", "submitted_at"]

    def get_queryset(self) -> QuerySet[Review]:
        return visible_reviews(self.request.user)


class AssignmentScoped:
    """Views under ``review-assignments/<pk>/``: the assignment must be one the user may read
    (another reviewer's is a 404)."""

    kwargs: dict[str, Any]
    request: Any

    def get_assignment(self) -> ReviewerAssignment:
        return get_object_or_404(assignments_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_review(self, assignment: ReviewerAssignment) -> Review:
        """The assignment's review; 404 before its reviewer saves a draft."""
        return get_object_or_404(visible_reviews(self.request.user), assignment=assignment)

    def review_data(self, review: Review) -> Any:
        """The review as the API shows it, read afresh after a write."""
        return ReviewSerializer(visible_reviews(self.request.user).get(pk=review.pk)).data


class AssignedReviewView(AssignmentScoped, APIView):
    permission_classes = (JuryWrites,)

    @extend_schema(
        responses=ReviewSerializer,
        summary="The review of this assignment (404 before a draft is saved)",
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReviewSerializer(self.get_review(self.get_assignment())).data)

    @extend_schema(
        request=ReviewDraftInput,
        responses=ReviewSerializer,
        summary="Save the draft (the assigned reviewer, while the application is in review)",
        description=(
            "Scores on each criterion's scale (400 score_out_of_scale, unknown_criterion, "
            "criterion_twice, naming the criterion); 400 review_submitted once submitted."
        ),
    )
    def put(self, request: Request, pk: int) -> Response:
        assignment = self.get_assignment()
        given = ReviewDraftInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        review = review_save_draft(
            assignment=assignment,
            scores=[
                ScoreInput(item["criterion"], item["score"], item["comment"])
                for item in data["scores"]
            ],
            recommendation=data["recommendation"],
            comment=data.get("comment"),
            by=request.user,
        )
        return Response(self.review_data(review))


class ReviewSubmitView(AssignmentScoped, APIView):
    permission_classes = (JuryWrites,)

    @extend_schema(
        request=ReviewSubmitInput,
        responses=ReviewSerializer,
        summary="Submit the saved draft (the assigned reviewer); it cannot change afterwards",
        description=(
            "400 criteria_unscored (naming the criteria), recommendation_missing, no_criteria, "
            "or review_submitted when it already is."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        review = self.get_review(self.get_assignment())
        ReviewSubmitInput(data=request.data).is_valid(raise_exception=True)
        submitted = review_submit(review=review, by=request.user)
        return Response(self.review_data(submitted))


class RoundRankingView(APIView):
    permission_classes = (ReadsAll,)

    @extend_schema(
        responses=RoundRankingSerializer,
        summary="The round's ranking by weighted mean score (officers and auditors)",
    )
    def get(self, request: Request, pk: int) -> Response:
        round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
        ranking = round_ranking(round_, user=request.user)
        return Response(
            RoundRankingSerializer(ranking, context={"criteria": ranking.criteria}).data
        )
