from django.urls import path

from .views import (
    BudgetLineCsvView,
    BudgetLineExportSwitchView,
    ExportJobDownloadView,
    ExportJobListView,
    ExportJobView,
    RoundWorkbookExportView,
)

urlpatterns = [
    # The flat export and the round workbook (formerly in applications and reports): the same
    # views, switched to a background job above the size threshold.
    path(
        "budget-lines/export.xlsx",
        BudgetLineExportSwitchView.as_view(),
        name="budget-line-export",
    ),
    path("budget-lines/export.csv", BudgetLineCsvView.as_view(), name="budget-line-export-csv"),
    path("rounds/<int:pk>/budget.xlsx", RoundWorkbookExportView.as_view(), name="round-workbook"),
    path("exports/", ExportJobListView.as_view(), name="exports"),
    path("exports/<int:pk>/", ExportJobView.as_view(), name="export"),
    path("exports/<int:pk>/download/", ExportJobDownloadView.as_view(), name="export-download"),
]
