"""Change requests, and the versions of an application's plan (included from
funding/api/urls.py)."""

from django.urls import path

from .views import (
    ApplicationChangeRequestsView,
    ChangeRequestDetailView,
    ChangeRequestListView,
    ChangeRequestTransitionView,
    PlanVersionDetailView,
    PlanVersionListView,
)

A = "applications/<int:application_pk>/"
C = "change-requests/<int:pk>/"

urlpatterns = [
    path("change-requests/", ChangeRequestListView.as_view(), name="change-request-list"),
    path(C, ChangeRequestDetailView.as_view(), name="change-request-detail"),
    path(
        C + "transitions/<str:name>/",
        ChangeRequestTransitionView.as_view(),
        name="change-request-transition",
    ),
    path(
        A + "change-requests/",
        ApplicationChangeRequestsView.as_view(),
        name="application-change-requests",
    ),
    path(A + "plan-versions/", PlanVersionListView.as_view(), name="plan-version-list"),
    path(
        A + "plan-versions/<int:number>/",
        PlanVersionDetailView.as_view(),
        name="plan-version-detail",
    ),
]
