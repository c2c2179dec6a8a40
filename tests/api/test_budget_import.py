"""The budget import over the API, for scripts without cookies: download the template, preview
the filled-in file (multipart), confirm with the same file and the preview's token. Refused
uploads answer 413, 415 or 422 with every problem located, and write nothing."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from budgets.imports.problems import (
    MACRO_ENABLED,
    NOT_XLSX,
    TOKEN_INVALID,
    TOO_LARGE,
    UNKNOWN_POSITION,
)
from budgets.models import BudgetLine
from budgets.services import budget_line_save
from kernel.downloads import XLSX

from ..imports.support import database_state, edited, letter, rezipped, set_cell
from ..workbooks.support import budget_in_both_phases

pytestmark = pytest.mark.django_db

MIDDLE, LAST, NEW = 7, 12, 13  # the company's first implementation line; the last; a blank row


@pytest.fixture
def budget(application_a, manager_a, officer):
    return budget_in_both_phases(application_a, manager=manager_a, officer=officer)


def url(budget, rest=""):
    return f"/api/v1/applications/{budget.application.pk}/budget/{rest}"


def download(client, budget):
    response = client.get(url(budget, "template.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def as_file(data, name="budget.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def post_preview(client, budget, data, name="budget.xlsx"):
    return client.post(url(budget, "import/"), {"file": as_file(data, name)}, format="multipart")


def post_confirm(client, budget, data, token, name="budget.xlsx"):
    return client.post(
        url(budget, "import/confirm/"),
        {"file": as_file(data, name), "token": token},
        format="multipart",
    )


def edits(ws):
    """A new amount in the middle row, a new line (the last one a year later), and the row
    of the university's first 0812 line (row 10) cleared: created, changed, deleted."""
    set_cell("eligible_amount", MIDDLE, 100)(ws)
    for column in range(1, ws.max_column + 1):
        ws.cell(NEW, column).value = ws.cell(LAST, column).value
    set_cell("year", NEW, ws[f"{letter('year')}{LAST}"].value + 1)(ws)
    set_cell("eligible_amount", NEW, 10.5)(ws)
    set_cell("updated_at", NEW, None)(ws)
    for key in ("phase", "rd_project", "grantee", "country", "basis", "position", "year"):
        set_cell(key, 10, None)(ws)
    for key in ("eligible_amount", "justification"):
        set_cell(key, 10, None)(ws)


def test_import_journey_preview_then_confirm(budget, api_as):
    manager = api_as("manager_a")
    data = edited(download(manager, budget), edits)
    before = database_state()

    preview = post_preview(manager, budget, data)

    assert preview.status_code == 200, preview.content[:2000]
    shown = preview.json()
    assert shown["counts"] == {"create": 1, "change": 1, "delete": 1, "unchanged": 9}
    assert [row["row"] for row in shown["rows"] if row["action"] == "change"] == [MIDDLE]
    assert shown["token"]
    assert database_state() == before  # a preview writes nothing

    confirmed = post_confirm(manager, budget, data, shown["token"])

    assert confirmed.status_code == 200, confirmed.content[:2000]
    assert confirmed.json()["counts"] == shown["counts"]
    lines = BudgetLine.objects.filter(application=budget.application)
    year = budget.application.implementation_start_on.year
    assert lines.count() == 11
    assert lines.get(grantee=budget.company, year=year, position__code="0837").eligible_amount == (
        Decimal("100.00")
    )
    assert BudgetLine.history.count() == before["history"] + 3
    summary = manager.get(url(budget)).json()
    assert summary == shown["budget"]  # the preview's figures are the budget's now


def test_the_preview_token_is_for_this_file_only(budget, api_as):
    manager = api_as("manager_a")
    template = download(manager, budget)
    token = post_preview(manager, budget, template).json()["token"]
    other = edited(template, set_cell("eligible_amount", MIDDLE, 100))
    before = database_state()

    refused = post_confirm(manager, budget, other, token)

    assert refused.status_code == 422
    assert refused.json()["code"] == "token_invalid"
    assert refused.json()["detail"] == TOKEN_INVALID
    assert database_state() == before


def test_a_budget_changed_after_the_preview_is_a_409(budget, api_as, manager_a):
    manager = api_as("manager_a")
    data = edited(download(manager, budget), set_cell("eligible_amount", MIDDLE, 100))
    token = post_preview(manager, budget, data).json()["token"]
    line = BudgetLine.objects.get(
        grantee=budget.company,
        year=budget.application.implementation_start_on.year,
        position__code="0837",
    )
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

    refused = post_confirm(manager, budget, data, token)

    assert refused.status_code == 409
    assert refused.json()["code"] == "changed_meanwhile"
    assert database_state() == before


def test_a_change_a_day_after_the_preview_is_a_409_not_the_read_only_cell_it_alters(
    budget, api_as, manager_a
):
    """The file shows each line's last change (read-only); a line changed later no longer
    matches it. The budget changed since the preview is the reason to give, not that cell."""
    manager = api_as("manager_a")
    data = edited(download(manager, budget), set_cell("eligible_amount", MIDDLE, 100))
    token = post_preview(manager, budget, data).json()["token"]
    line = BudgetLine.objects.get(
        grantee=budget.company,
        year=budget.application.implementation_start_on.year,
        position__code="0837",
    )
    budget_line_save(
        application=budget.application,
        phase=line.phase,
        rd_project=line.rd_project,
        grantee=line.grantee,
        year=line.year,
        position=line.position,
        eligible_amount=line.eligible_amount + 1,
        by=manager_a,
    )
    BudgetLine.objects.filter(pk=line.pk).update(updated_at=line.updated_at + timedelta(days=1))
    before = database_state()

    refused = post_confirm(manager, budget, data, token)

    assert refused.status_code == 409
    assert refused.json()["code"] == "changed_meanwhile"
    assert database_state() == before


def test_a_confirmation_needs_the_file_and_the_token(budget, api_as):
    response = api_as("manager_a").post(url(budget, "import/confirm/"), {}, format="multipart")

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["file", "token"]


def bad_files(template):
    """name → (file, file name, status, problem code, its message's English source)."""
    macro = rezipped(template, add={"xl/vbaProject.bin": b"\x00VBA"})
    unknown = edited(template, set_cell("position", MIDDLE, "0999"))
    return {
        "too_big": (template + bytes(10 * 1024 * 1024), "b.xlsx", 413, "too_large", TOO_LARGE),
        "not_a_workbook": (b"Eligible amount;1000\n", "b.xlsx", 415, "not_xlsx", NOT_XLSX),
        "macros": (macro, "b.xlsx", 415, "macro_enabled", MACRO_ENABLED),
        "xlsm": (template, "b.xlsm", 415, "macro_enabled", MACRO_ENABLED),
        "problems": (unknown, "b.xlsx", 422, "unknown_position", UNKNOWN_POSITION),
    }


CASES = ["too_big", "not_a_workbook", "macros", "xlsm", "problems"]


def check_refusal(response, status, code, message):
    assert response.status_code == status, response.content[:2000]
    body = response.json()
    assert (body["code"], body["problems"][0]["code"]) == (code, code)
    source = message.split("%")[0][:25]
    assert body["detail"].startswith(source), body["detail"]
    return body


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_by_the_preview_and_writes_nothing(budget, api_as, case):
    manager = api_as("manager_a")
    data, name, status, code, message = bad_files(download(manager, budget))[case]
    before = database_state()

    body = check_refusal(post_preview(manager, budget, data, name), status, code, message)

    if case == "problems":
        problem = body["problems"][0]
        assert (problem["sheet"], problem["row"], problem["column"]) == (
            "Budget lines",
            MIDDLE,
            letter("position"),
        )
        assert problem["location"] == f"Budget lines, row {MIDDLE}, column L (Position)"
    assert "token" not in body
    assert database_state() == before


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_by_the_confirmation_and_writes_nothing(budget, api_as, case):
    manager = api_as("manager_a")
    template = download(manager, budget)
    token = post_preview(manager, budget, template).json()["token"]
    data, name, status, code, message = bad_files(template)[case]
    before = database_state()

    check_refusal(post_confirm(manager, budget, data, token, name), status, code, message)

    assert database_state() == before


def test_problems_are_worded_in_the_requested_language(budget, api_as):
    manager = api_as("manager_a")
    data = edited(download(manager, budget), set_cell("position", MIDDLE, "0999"))
    manager.credentials(HTTP_ACCEPT_LANGUAGE="de")

    body = post_preview(manager, budget, data).json()

    with translation.override("de"):
        expected = translation.gettext(UNKNOWN_POSITION) % {"code": "0999", "basis": "AZK"}
    assert body["problems"][0]["message"] == expected
    assert body["problems"][0]["location"].startswith(f"Budget lines, Zeile {MIDDLE}, Spalte L")


def test_the_template_holds_the_budget_as_it_is(budget, api_as):
    data = download(api_as("officer"), budget)

    ws = load_workbook(BytesIO(data)).worksheets[0]
    amounts = [ws[f"{letter('eligible_amount')}{row}"].value for row in range(2, LAST + 1)]
    assert sum(Decimal(str(amount)) for amount in amounts) == sum(
        line.eligible_amount for line in BudgetLine.objects.filter(application=budget.application)
    )
