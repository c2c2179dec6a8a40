"""A refused budget import answers the status the API answers (413 too large, 415 not a workbook
or with macros, 422 problems in the content, 409 budget changed, 400 nothing uploaded), shows
every problem, offers no confirmation and writes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.file_views import NO_FILE, SESSION_KEY
from budgets.imports.problems import CHANGED_MEANWHILE, DAMAGED, MACRO_ENABLED, NOT_XLSX
from budgets.models import BudgetLine
from budgets.services import budget_line_save
from kernel.downloads import XLSX

from ..imports.support import database_state, edited, rezipped, set_cell, template_bytes
from ..workbooks.support import budget_in_both_phases
from .conftest import browser

pytestmark = pytest.mark.django_db

MIDDLE = 7


@pytest.fixture
def budget(application_a, manager_a, officer):
    return budget_in_both_phases(application_a, manager=manager_a, officer=officer)


@pytest.fixture
def template(budget, manager_a):
    return template_bytes(budget.application, manager_a)


def upload(client, budget, data, name="budget.xlsx"):
    return client.post(
        reverse("budgets:import", args=[budget.application.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def cases(template):
    broken_sheet = rezipped(template, replace={"xl/worksheets/sheet1.xml": b"<worksheet><row"})
    return {
        "too_big": (template + bytes(10 * 1024 * 1024), "b.xlsx", 413, None),
        "not_a_workbook": (b"name;amount\n", "b.csv", 415, NOT_XLSX),
        "macros": (rezipped(template, add={"xl/vbaProject.bin": b"VBA"}), "b.xlsx", 415, None),
        "xlsm": (template, "b.xlsm", 415, MACRO_ENABLED),
        "damaged": (broken_sheet, "b.xlsx", 415, DAMAGED),
        "unknown_position": (
            edited(template, set_cell("position", MIDDLE, "0999")),
            "b.xlsx",
            422,
            None,
        ),
        "read_only_changed": (
            edited(template, set_cell("funding_rate", MIDDLE, 1)),
            "b.xlsx",
            422,
            None,
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "too_big",
        "not_a_workbook",
        "macros",
        "xlsm",
        "damaged",
        "unknown_position",
        "read_only_changed",
    ],
)
def test_a_refused_upload_answers_its_status_and_writes_nothing(budget, template, manager_a, case):
    data, name, status, message = cases(template)[case]
    client = browser(manager_a)
    before = database_state()

    response = upload(client, budget, data, name)

    assert response.status_code == status
    preview = response.context["preview"]
    assert preview.problems
    assert not preview.token
    page = response.content.decode()
    assert 'name="token"' not in page
    if message is not None:
        assert message[:30] in page
    assert SESSION_KEY not in client.session
    assert database_state() == before


def test_a_clean_upload_still_answers_200(budget, template, manager_a):
    response = upload(browser(manager_a), budget, template)

    assert response.status_code == 200
    assert response.context["preview"].token


def test_no_file_is_a_400(budget, manager_a):
    response = browser(manager_a).post(reverse("budgets:import", args=[budget.application.pk]))

    assert response.status_code == 400
    assert NO_FILE in response.content.decode()


def test_a_budget_changed_after_the_preview_is_a_409(budget, template, manager_a):
    client = browser(manager_a)
    data = edited(template, set_cell("eligible_amount", MIDDLE, 100))
    token = upload(client, budget, data).context["preview"].token
    line = BudgetLine.objects.filter(application=budget.application, grantee=budget.company).first()
    budget_line_save(
        application=budget.application,
        phase=line.phase,
        rd_project=line.rd_project,
        grantee=line.grantee,
        year=line.year,
        position=line.position,
        eligible_amount=Decimal("1.00"),
        by=manager_a,
    )
    before = database_state()

    response = client.post(
        reverse("budgets:import-confirm", args=[budget.application.pk]), {"token": token}
    )

    assert response.status_code == 409
    assert CHANGED_MEANWHILE in response.content.decode()
    assert database_state() == before


def test_a_forged_token_is_a_422(budget, template, manager_a):
    client = browser(manager_a)
    upload(client, budget, template)
    before = database_state()

    response = client.post(
        reverse("budgets:import-confirm", args=[budget.application.pk]), {"token": "forged"}
    )

    assert response.status_code == 422
    assert [p.code for p in response.context["problems"]] == ["token_invalid"]
    assert database_state() == before
