"""Applications and everything under ``applications/<id>/``, and a round's overview (which reads
the applications, so it lives here rather than with the rounds)."""

from typing import Any

from django.urls import path
from rest_framework.routers import SimpleRouter

from .budget_line_views import BudgetLineViewSet, BudgetPositionViewSet
from .budget_views import (
    BudgetSummaryView,
    GranteeTermsViewSet,
    ProjectPartnerViewSet,
    RDProjectViewSet,
)
from .download_views import ApplicationWorkbookView
from .import_views import BudgetImportConfirmView, BudgetImportPreviewView, BudgetTemplateView
from .views import (
    ApplicationViewSet,
    ChangeHistoryView,
    HistoryView,
    PartnerRegionViewSet,
    RoundApplicationsView,
    RoundOverviewView,
    TransitionOptionsView,
    TransitionView,
)

router = SimpleRouter(use_regex_path=False)
router.register("applications", ApplicationViewSet, basename="application")
router.register("budget-positions", BudgetPositionViewSet, basename="budget-position")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")

LIST: dict[str, Any] = {"get": "list", "post": "create"}
A = "applications/<int:application_pk>/"
P = A + "projects/<int:project_pk>/"

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
        GranteeTermsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="grantee-terms-detail",
    ),
    path(A + "transitions/", TransitionOptionsView.as_view(), name="transition-list"),
    path(A + "transitions/<str:name>/", TransitionView.as_view(), name="transition-fire"),
    path(A + "history/", HistoryView.as_view(), name="application-history"),
    path(A + "history/changes/", ChangeHistoryView.as_view(), name="application-changes"),
    path(A + "budget/", BudgetSummaryView.as_view(), name="application-budget"),
    path(A + "budget/template.xlsx", BudgetTemplateView.as_view(), name="budget-template"),
    path(A + "budget/import/", BudgetImportPreviewView.as_view(), name="budget-import"),
    path(
        A + "budget/import/confirm/",
        BudgetImportConfirmView.as_view(),
        name="budget-import-confirm",
    ),
    path("rounds/<int:pk>/overview/", RoundOverviewView.as_view(), name="round-overview"),
    path(
        "rounds/<int:pk>/overview/applications/",
        RoundApplicationsView.as_view(),
        name="round-applications",
    ),
    path(
        "applications/<int:application_pk>/budget.xlsx",
        ApplicationWorkbookView.as_view(),
        name="application-workbook",
    ),
]
