"""Applications and everything under ``applications/<id>/``, the competition (review criteria,
assignments, conflicts of interest, reviews), and a round's overview and ranking (which read the
applications, so they live here rather than with the rounds)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .budget_views import (
    BudgetSummaryView,
    GranteeTermsViewSet,
    ProjectPartnerViewSet,
    RDProjectViewSet,
)
from .download_views import ApplicationWorkbookView, RoundWorkbookView
from .review_views import (
    AssignedReviewView,
    ConflictOfInterestViewSet,
    ReviewCriterionViewSet,
    ReviewerAssignmentViewSet,
    ReviewSubmitView,
    ReviewViewSet,
    RoundRankingView,
)
from .views import (
    ApplicationViewSet,
    ChangeHistoryView,
    HistoryView,
    PartnerRegionViewSet,
    RoundOverviewView,
    TransitionOptionsView,
    TransitionView,
)

router = SimpleRouter(use_regex_path=False)
router.register("applications", ApplicationViewSet, basename="application")
router.register("review-assignments", ReviewerAssignmentViewSet, basename="review-assignment")
router.register("conflicts-of-interest", ConflictOfInterestViewSet, basename="conflict-of-interest")
router.register("reviews", ReviewViewSet, basename="review")

LIST = {"get": "list", "post": "create"}
A = "applications/<int:application_pk>/"
P = A + "projects/<int:project_pk>/"
C = "rounds/<int:round_pk>/review-criteria/"

urlpatterns = [
    *router.urls,
    path(
        A + "partner-regions/",
        PartnerRegionViewSet.as_view(LIST),
        name="partner-region-list",
    ),
    path(
        A + "partner-regions/<int:pk>/",
        PartnerRegionViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="partner-region-detail",
    ),
    path(A + "projects/", RDProjectViewSet.as_view(LIST), name="project-list"),
    path(
        P,
        RDProjectViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="project-detail",
    ),
    path(P + "partners/", ProjectPartnerViewSet.as_view(LIST), name="project-partner-list"),
    path(
        P + "partners/<int:pk>/",
        ProjectPartnerViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="project-partner-detail",
    ),
    path(A + "grantee-terms/", GranteeTermsViewSet.as_view(LIST), name="grantee-terms-list"),
    path(
        A + "grantee-terms/<int:pk>/",
        GranteeTermsViewSet.as_view({"get": "retrieve"}),
        name="grantee-terms-detail",
    ),
    path(A + "transitions/", TransitionOptionsView.as_view(), name="transition-list"),
    path(A + "transitions/<str:name>/", TransitionView.as_view(), name="transition-fire"),
    path(A + "history/", HistoryView.as_view(), name="application-history"),
    path(A + "history/changes/", ChangeHistoryView.as_view(), name="application-changes"),
    path(A + "budget/", BudgetSummaryView.as_view(), name="application-budget"),
    path("rounds/<int:pk>/overview/", RoundOverviewView.as_view(), name="round-overview"),
    path(
        "applications/<int:application_pk>/budget.xlsx",
        ApplicationWorkbookView.as_view(),
        name="application-workbook",
    ),
    path("rounds/<int:pk>/budget.xlsx", RoundWorkbookView.as_view(), name="round-workbook"),
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
