"""Statements, their lines, figures, transitions, history and workbook, the settlements, and
a grantee's new statement under ``applications/<id>/`` (included from funding/api/urls.py)."""

from django.urls import path

from .views import (
    ActualsImportConfirmView,
    ActualsImportPreviewView,
    ActualsTemplateView,
    ApplicationStatementsView,
    SettlementDetailView,
    SettlementListView,
    SettlementTransitionView,
    StatementDetailView,
    StatementDocumentDownloadView,
    StatementDocumentsView,
    StatementFiguresView,
    StatementHistoryView,
    StatementLinesView,
    StatementListView,
    StatementSettlementView,
    StatementTransitionOptionsView,
    StatementTransitionView,
    StatementWorkbookView,
)

S = "statements/<int:pk>/"
T = "settlements/<int:pk>/"

urlpatterns = [
    path("statements/", StatementListView.as_view(), name="statement-list"),
    path(S, StatementDetailView.as_view(), name="statement-detail"),
    path(S + "lines/", StatementLinesView.as_view(), name="statement-lines"),
    path(S + "figures/", StatementFiguresView.as_view(), name="statement-figures"),
    path(S + "actuals.xlsx", ActualsTemplateView.as_view(), name="statement-actuals-template"),
    path(S + "actuals/import/", ActualsImportPreviewView.as_view(), name="statement-import"),
    path(
        S + "actuals/import/confirm/",
        ActualsImportConfirmView.as_view(),
        name="statement-import-confirm",
    ),
    path(S + "workbook.xlsx", StatementWorkbookView.as_view(), name="statement-workbook"),
    path(
        S + "transitions/", StatementTransitionOptionsView.as_view(), name="statement-transitions"
    ),
    path(
        S + "transitions/<str:name>/",
        StatementTransitionView.as_view(),
        name="statement-transition",
    ),
    path(S + "documents/", StatementDocumentsView.as_view(), name="statement-documents"),
    path(
        S + "documents/<int:document_pk>/",
        StatementDocumentDownloadView.as_view(),
        name="statement-document",
    ),
    path(S + "history/", StatementHistoryView.as_view(), name="statement-history"),
    path(S + "settlement/", StatementSettlementView.as_view(), name="statement-settlement"),
    path(
        "applications/<int:application_pk>/statements/",
        ApplicationStatementsView.as_view(),
        name="application-statements",
    ),
    path("settlements/", SettlementListView.as_view(), name="settlement-list"),
    path(T, SettlementDetailView.as_view(), name="settlement-detail"),
    path(
        T + "transitions/<str:name>/",
        SettlementTransitionView.as_view(),
        name="settlement-transition",
    ),
]
