"""Drawdowns, the grantees' years under ``applications/<id>/``, and payment runs (included from
funding/api/urls.py)."""

from django.urls import path

from .views import (
    ApplicationDrawdownsView,
    DrawdownDetailView,
    DrawdownHistoryView,
    DrawdownListView,
    DrawdownSpentView,
    DrawdownTransitionOptionsView,
    DrawdownTransitionView,
    GranteeYearsView,
    PaymentRunDetailView,
    PaymentRunListView,
    PaymentRunPayView,
    PaymentRunWorkbookView,
)

D = "drawdowns/<int:pk>/"
R = "payment-runs/<int:pk>/"

urlpatterns = [
    path("drawdowns/", DrawdownListView.as_view(), name="drawdown-list"),
    path(D, DrawdownDetailView.as_view(), name="drawdown-detail"),
    path(D + "transitions/", DrawdownTransitionOptionsView.as_view(), name="drawdown-transitions"),
    path(
        D + "transitions/<str:name>/",
        DrawdownTransitionView.as_view(),
        name="drawdown-transition",
    ),
    path(D + "history/", DrawdownHistoryView.as_view(), name="drawdown-history"),
    path(D + "spent/", DrawdownSpentView.as_view(), name="drawdown-spent"),
    path(
        "applications/<int:application_pk>/drawdowns/",
        ApplicationDrawdownsView.as_view(),
        name="application-drawdowns",
    ),
    path(
        "applications/<int:application_pk>/grantee-years/",
        GranteeYearsView.as_view(),
        name="application-grantee-years",
    ),
    path("payment-runs/", PaymentRunListView.as_view(), name="payment-run-list"),
    path(R, PaymentRunDetailView.as_view(), name="payment-run-detail"),
    path(R + "pay/", PaymentRunPayView.as_view(), name="payment-run-pay"),
    path(R + "workbook.xlsx", PaymentRunWorkbookView.as_view(), name="payment-run-workbook"),
]
