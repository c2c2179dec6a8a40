"""The competition: review criteria, reviewer assignments, conflicts of interest, reviews and a
round's ranking."""

from typing import Any

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AssignedReviewView,
    ConflictOfInterestViewSet,
    JuryMemberListView,
    ReviewCriterionViewSet,
    ReviewerAssignmentViewSet,
    ReviewSubmitView,
    ReviewViewSet,
    RoundRankingView,
)

router = SimpleRouter(use_regex_path=False)
router.register("review-assignments", ReviewerAssignmentViewSet, basename="review-assignment")
router.register("conflicts-of-interest", ConflictOfInterestViewSet, basename="conflict-of-interest")
router.register("reviews", ReviewViewSet, basename="review")

LIST: dict[str, Any] = {"get": "list", "post": "create"}
C = "rounds/<int:round_pk>/review-criteria/"

urlpatterns = [
    *router.urls,
    path("jury-members/", JuryMemberListView.as_view(), name="jury-member-list"),
    path(C, ReviewCriterionViewSet.as_view(LIST), name="review-criterion-list"),
    path(
        C + "<int:pk>/",
        ReviewCriterionViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="review-criterion-detail",
    ),
    path(
        "review-assignments/<int:pk>/review/",
        AssignedReviewView.as_view(),
        name="review-assignment-review",
    ),
    path(
        "review-assignments/<int:pk>/review/submit/",
        ReviewSubmitView.as_view(),
        name="review-assignment-review-submit",
    ),
    path("rounds/<int:pk>/ranking/", RoundRankingView.as_view(), name="round-ranking"),
]
