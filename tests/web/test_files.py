"""Workbooks to download (application, round, import template) and the budget import from the
template: preview first, then confirm; all rows or none."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from applications.file_views import PREVIEW_GONE, SESSION_KEY
from applications.states import State
from budgets.models import BudgetLine, Phase
from budgets.services import budget_line_save
from budgets.workbooks import (
    application_workbook_filename,
    budget_template_filename,
    export_budget_lines_filename,
)
from kernel.downloads import XLSX
from reports.round_workbook import round_workbook_filename

from ..factories import position
from ..imports.support import edited, set_cell, template_bytes
from .conftest import browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(application_a, to_state):
    return to_state(application_a, State.SELECTED)


def is_workbook(content: bytes) -> bool:
    return load_workbook(BytesIO(content)).sheetnames != []


def test_application_workbook_for_each_reader(officer, auditor, manager_a, application_a):
    url = reverse("budgets:workbook", args=[application_a.pk])
    for user in (officer, auditor, manager_a):
        response = browser(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        filename = application_workbook_filename(application_a)
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert is_workbook(response.content)


def test_application_workbook_of_another_cluster_is_not_found(manager_b, application_a):
    url = reverse("budgets:workbook", args=[application_a.pk])
    assert browser(manager_b).get(url).status_code == 404


def test_round_workbook_for_auditors(auditor, open_round, application_a):
    response = browser(auditor).get(reverse("reports:round-workbook", args=[open_round.pk]))
    assert response.status_code == 200
    assert round_workbook_filename(open_round) in response["Content-Disposition"]
    assert is_workbook(response.content)


def test_round_workbook_is_not_for_cluster_managements(manager_a, open_round):
    response = browser(manager_a).get(reverse("reports:round-workbook", args=[open_round.pk]))
    assert response.status_code == 403


def test_round_page_links_its_workbook(auditor, open_round):
    page = browser(auditor).get(reverse("reports:round", args=[open_round.pk]))
    assert reverse("reports:round-workbook", args=[open_round.pk]) in page.content.decode()


@pytest.fixture
def line_of_a(application_a, manager_a):
    return budget_line_save(
        application=application_a,
        phase=Phase.CONCEPT,
        grantee=application_a.cluster.management_organisation,
        year=application_a.concept_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("1234.56"),
        by=manager_a,
    )


def exported_values(content: bytes) -> set[str]:
    workbook = load_workbook(BytesIO(content), read_only=True)
    return {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def test_budget_lines_export_of_a_round_for_auditors(auditor, open_round, line_of_a):
    url = f"{reverse('budgets:lines-export')}?round={open_round.pk}"
    response = browser(auditor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert export_budget_lines_filename(round=open_round) in response["Content-Disposition"]
    assert line_of_a.application.cluster.name in exported_values(response.content)


def test_budget_lines_export_leaves_out_other_clusters_lines(manager_b, line_of_a):
    response = browser(manager_b).get(reverse("budgets:lines-export"))
    assert response.status_code == 200
    assert line_of_a.application.cluster.name not in exported_values(response.content)


def test_budget_lines_export_of_an_unknown_round_is_not_found(auditor):
    response = browser(auditor).get(f"{reverse('budgets:lines-export')}?round=999999")
    assert response.status_code == 404


def test_round_page_links_the_export_of_its_budget_lines(auditor, open_round):
    page = browser(auditor).get(reverse("reports:round", args=[open_round.pk]))
    assert f"{reverse('budgets:lines-export')}?round={open_round.pk}" in page.content.decode()


def test_template_is_for_those_who_may_write(manager_a, auditor, application_a):
    url = reverse("budgets:template", args=[application_a.pk])
    response = browser(manager_a).get(url)
    assert budget_template_filename(application_a) in response["Content-Disposition"]
    assert is_workbook(response.content)
    assert browser(auditor).get(url).status_code == 403


def upload(content: bytes, name: str = "budget.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def filled_template(application, manager, amount: str) -> bytes:
    """The template with one concept line for the cluster management in the first year."""
    data = template_bytes(application, manager)
    row = 2
    values = {
        "phase": str(Phase.CONCEPT.label),
        "grantee": application.cluster.management_organisation.name,
        "country": "DE",
        "basis": "AZA",
        "position": "0812",
        "year": application.concept_start_on.year,
        "eligible_amount": Decimal(amount),
    }
    for key, value in values.items():
        data = edited(data, set_cell(key, row, value))
    return data


def test_import_preview_shows_what_would_change_and_writes_nothing(manager_a, selected):
    client = browser(manager_a)
    content = filled_template(selected, manager_a, "12345.67")
    response = client.post(reverse("budgets:import", args=[selected.pk]), {"file": upload(content)})
    preview = response.context["preview"]
    assert preview.problems == []
    assert response.context["counts"]["create"] == 1
    assert not BudgetLine.objects.filter(application=selected).exists()
    assert client.session[SESSION_KEY]["application"] == selected.pk


def test_import_confirm_writes_the_previewed_file(manager_a, selected):
    client = browser(manager_a)
    content = filled_template(selected, manager_a, "12345.67")
    preview = client.post(
        reverse("budgets:import", args=[selected.pk]), {"file": upload(content)}
    ).context["preview"]
    response = client.post(
        reverse("budgets:import-confirm", args=[selected.pk]), {"token": preview.token}
    )
    assert response["Location"] == reverse("budgets:overview", args=[selected.pk])
    line = BudgetLine.objects.get(application=selected)
    assert line.eligible_amount == Decimal("12345.67")
    assert SESSION_KEY not in client.session


def test_import_over_the_cap_is_refused_in_the_preview(manager_a, selected):
    content = filled_template(selected, manager_a, "500000.01")
    response = browser(manager_a).post(
        reverse("budgets:import", args=[selected.pk]), {"file": upload(content)}
    )
    problems = response.context["preview"].problems
    assert [p.code for p in problems] == ["concept_annual_cap"]
    assert "€500,000.01" in response.content.decode()
    assert 'name="token"' not in response.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused(manager_a, selected):
    client = browser(manager_a)
    response = client.post(
        reverse("budgets:import", args=[selected.pk]),
        {"file": upload(b"name;amount\n", "budget.csv")},
    )
    assert response.context["preview"].problems
    assert SESSION_KEY not in client.session


def test_confirm_without_a_preview_is_refused(manager_a, selected):
    response = browser(manager_a).post(
        reverse("budgets:import-confirm", args=[selected.pk]), {"token": "forged"}
    )
    assert PREVIEW_GONE in response.content.decode()
    assert not BudgetLine.objects.filter(application=selected).exists()


def test_confirm_with_a_forged_token_is_refused(manager_a, selected):
    client = browser(manager_a)
    content = filled_template(selected, manager_a, "100.00")
    client.post(reverse("budgets:import", args=[selected.pk]), {"file": upload(content)})
    response = client.post(
        reverse("budgets:import-confirm", args=[selected.pk]), {"token": "forged"}
    )
    assert response.context["problems"]
    assert not BudgetLine.objects.filter(application=selected).exists()


def test_auditors_cannot_import(auditor, selected, manager_a):
    content = filled_template(selected, manager_a, "100.00")
    response = browser(auditor).post(
        reverse("budgets:import", args=[selected.pk]), {"file": upload(content)}
    )
    assert response.status_code == 403


def test_cluster_home_links_the_export_of_the_cluster_s_budget_lines(manager_a, line_of_a):
    cluster = line_of_a.application.cluster
    page = browser(manager_a).get(reverse("home")).content.decode()
    url = f"{reverse('budgets:lines-export')}?cluster={cluster.pk}"
    assert f'href="{url}"' in page
    response = browser(manager_a).get(url)
    assert response.status_code == 200
    assert cluster.name in exported_values(response.content)
