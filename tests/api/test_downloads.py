"""Workbook downloads through the API: the same builders as the pages, the same visibility."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from budgets.workbooks import application_workbook_filename
from reports.round_workbook import round_workbook_filename

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_of(response):
    return load_workbook(BytesIO(response.content), read_only=True)


def cells(workbook) -> set[str]:
    return {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def test_application_workbook_download_names_the_application(world, api_as):
    response = api_as("manager_a").get(f"/api/v1/applications/{world.concept.pk}/budget.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    filename = application_workbook_filename(world.concept)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert world.concept.cluster.name in cells(workbook_of(response))


def test_application_workbook_download_of_another_cluster_is_not_found(world, api_as):
    response = api_as("manager_b").get(f"/api/v1/applications/{world.concept.pk}/budget.xlsx")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_round_workbook_download_lists_the_round_s_clusters(world, api_as):
    response = api_as("auditor").get(f"/api/v1/rounds/{world.round.pk}/budget.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'"{round_workbook_filename(world.round)}"')
    assert world.cluster.name in cells(workbook_of(response))


def test_budget_line_export_shows_only_lines_the_user_may_read(world, api_as):
    own = workbook_of(api_as("manager_a").get("/api/v1/budget-lines/export.xlsx"))
    other = workbook_of(api_as("manager_b").get("/api/v1/budget-lines/export.xlsx"))

    assert world.cluster.name in cells(own)
    assert world.cluster.name not in cells(other)


def test_budget_line_export_filters_by_cluster(world, api_as, cluster_b):
    response = api_as("officer").get("/api/v1/budget-lines/export.xlsx", {"cluster": cluster_b.pk})

    assert response.status_code == 200
    assert world.cluster.name not in cells(workbook_of(response))


def test_budget_line_export_refuses_an_unknown_round(world, api_as):
    response = api_as("officer").get("/api/v1/budget-lines/export.xlsx", {"round": 999999})

    assert response.status_code == 400
    assert "round" in response.json()["fields"]
