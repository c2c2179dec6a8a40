"""Actuals from the Excel template through the budget import's engine: the template, a preview
that writes nothing, the confirmation with its token (all lines or none), problems located by
row and column, and a statement changed since the preview refused (409)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kernel import clock
from statements.models import StatementLine

from ..api.conftest import client_for
from .conftest import Running, actuals, at, concept_statement

pytestmark = pytest.mark.django_db


def filled(content: bytes, amount: object) -> bytes:
    workbook = load_workbook(BytesIO(content))
    sheet = workbook.active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Year", "Position", "Name", "Plan", "Actual"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["D2"].value) == (2027, "0812", 100000)
    sheet["E2"] = amount
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("actuals.xlsx", data)


@pytest.fixture
def statement(running: Running, manager_a):
    with clock.frozen_at(at(2028, 2, 10)):
        return concept_statement(running, manager_a)


def test_template_preview_and_confirm_write_all_lines(statement, manager_a):
    client = client_for(manager_a)
    url = f"/api/v1/statements/{statement.pk}/"
    data = filled(client.get(url + "actuals.xlsx").content, 87654.32)

    preview = client.post(url + "actuals/import/", {"file": upload(data)}, format="multipart")
    assert preview.status_code == 200, preview.json()
    assert preview.json()["lines"] == [
        {
            "position": preview.json()["lines"][0]["position"],
            "year": 2027,
            "actual_amount": "87654.32",
        }
    ]
    assert not StatementLine.objects.exists()  # the preview writes nothing

    token = preview.json()["token"]
    confirmed = client.post(
        url + "actuals/import/confirm/", {"file": upload(data), "token": token}, format="multipart"
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert StatementLine.objects.get().actual_amount == Decimal("87654.32")


def test_a_negative_actual_is_located_and_nothing_written(statement, manager_a):
    client = client_for(manager_a)
    url = f"/api/v1/statements/{statement.pk}/"
    data = filled(client.get(url + "actuals.xlsx").content, -5)
    preview = client.post(url + "actuals/import/", {"file": upload(data)}, format="multipart")
    assert preview.status_code == 422
    (problem,) = preview.json()["problems"]
    assert (problem["code"], problem["row"], problem["column"]) == ("negative_amount", 2, "E")
    assert not StatementLine.objects.exists()


def test_a_statement_changed_since_the_preview_is_refused(statement, manager_a):
    client = client_for(manager_a)
    url = f"/api/v1/statements/{statement.pk}/"
    data = filled(client.get(url + "actuals.xlsx").content, 1000)
    token = client.post(url + "actuals/import/", {"file": upload(data)}, format="multipart").json()[
        "token"
    ]
    actuals(statement, manager_a, ("0812", 2027, "5.00"))
    confirmed = client.post(
        url + "actuals/import/confirm/", {"file": upload(data), "token": token}, format="multipart"
    )
    assert confirmed.status_code == 409
    assert StatementLine.objects.get().actual_amount == Decimal("5.00")


def test_another_users_token_is_refused(statement, manager_a, django_user_model):
    client = client_for(manager_a)
    url = f"/api/v1/statements/{statement.pk}/"
    data = filled(client.get(url + "actuals.xlsx").content, 1000)
    confirmed = client.post(
        url + "actuals/import/confirm/",
        {"file": upload(data), "token": "forged"},
        format="multipart",
    )
    assert confirmed.status_code == 422
    assert confirmed.json()["code"] == "token_invalid"
    assert not StatementLine.objects.exists()
