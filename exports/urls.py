from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    # These two take over the paths of ``reports:round-workbook`` and ``budgets:lines-export``
    # (funding/urls.py includes this module first): the size decides, below the threshold the
    # request goes on to those views unchanged.
    path("rounds/<int:pk>/workbook/", views.round_workbook, name="round-workbook"),
    path("budget-lines/export/", views.budget_lines, name="lines-export"),
    path("budget-lines/export.csv", views.budget_lines_csv_download, name="lines-csv"),
    path("exports/<int:pk>/", views.job_detail, name="job"),
    path("exports/<int:pk>/download/", views.job_download, name="download"),
]
