"""The statement pages for every persona: the own cluster's management writes its statements
on the grid and submits them, officers review and settle (four eyes: the preparer is offered
no decision, and the service refuses it), auditors read (403 on every write), another
cluster's statements are absent (404), anonymous visitors go to the login page."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kernel import clock
from statements.models import Settlement, Statement, StatementLine
from statements.services import (
    settlement_prepare,
    statement_document_attach,
    statement_transition,
)

from ..factories import position
from ..web.conftest import browser
from .conftest import Running, accepted_final, at, concept_statement

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "payment_officer", "anonymous")


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def status_of(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return int(response.status_code)


@pytest.fixture
def world(running: Running, manager_a, officer) -> dict[str, Any]:
    """Cluster A's accepted final statement (concept phase) and a draft interim statement of the
    university's 2028 (implementation phase), on 2 March 2029."""
    final = accepted_final(running, manager_a, officer)
    with clock.frozen_at(at(2029, 3, 2)):
        draft = concept_statement(
            running,
            manager_a,
            year=2028,
            phase="implementation",
            rd_project=running.project,
            grantee=running.university,
        )
    return {"final": final, "draft": draft, "running": running}


READS = {
    "officer": 200,
    "manager_a": 200,
    "manager_b": 404,
    "auditor": 200,
    "payment_officer": 200,
    "anonymous": "login",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_answer_each_persona(request, persona, world):
    client = browser(user_of(request, persona))
    with clock.frozen_at(at(2029, 3, 2)):
        detail = client.get(reverse("statements:detail", args=[world["final"].pk]))
        workbook = client.get(reverse("statements:workbook", args=[world["final"].pk]))
        listing = client.get(reverse("statements:list"))
    assert status_of(detail) == READS[persona]
    assert status_of(workbook) == READS[persona]
    assert status_of(listing) == ("login" if persona == "anonymous" else 200)
    if READS[persona] == 200:
        assert "95,000.00" in detail.text  # the actual of 2027
        assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")


WRITES = {
    "officer": 403,
    "manager_a": 302,
    "manager_b": 404,
    "auditor": 403,
    "payment_officer": 403,
    "anonymous": "login",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_cluster_management_writes(request, persona, world):
    client = browser(user_of(request, persona))
    draft, application = world["draft"], world["running"].application
    field = f"actual_{position('AZA', '0812').pk}_2028"
    with clock.frozen_at(at(2029, 3, 2)):
        edit = client.post(
            reverse("statements:edit", args=[draft.pk]),
            {"narrative": "Sensor prototypes.", field: "48,000.00"},
        )
        create = client.get(reverse("statements:create", args=[application.pk]))
        submit = client.post(reverse("statements:transition", args=[draft.pk, "submit"]))
    assert status_of(edit) == WRITES[persona]
    # Payment officers do not see applications, so not the page to start a statement either.
    assert status_of(create) == {**WRITES, "manager_a": 200, "payment_officer": 404}[persona]
    assert status_of(submit) == WRITES[persona]
    if persona == "manager_a":
        stored = Statement.objects.get(pk=draft.pk)
        assert (stored.narrative, stored.state) == ("Sensor prototypes.", "submitted")
        assert stored.lines.get().actual_amount == Decimal("48000.00")


def test_negative_actuals_on_the_grid_are_refused_with_nothing_written(world, manager_a):
    draft = world["draft"]
    field = f"actual_{position('AZA', '0812').pk}_2028"
    answer = browser(manager_a).post(
        reverse("statements:edit", args=[draft.pk]), {"narrative": "x", field: "-5,00"}
    )
    assert answer.status_code == 400
    assert not StatementLine.objects.filter(statement=draft).exists()


def test_a_year_not_ended_is_refused_on_the_page(world, manager_a):
    running = world["running"]
    with clock.frozen_at(at(2029, 3, 2)):
        answer = browser(manager_a).post(
            reverse("statements:create", args=[running.application.pk]),
            {
                "grantee": f"implementation:{running.project.pk}:{running.company.pk}",
                "kind": "interim",
                "year": "2029",
            },
        )
    assert answer.status_code == 400
    assert "has not ended yet" in answer.text
    assert not Statement.objects.filter(grantee=running.company).exists()


SETTLES = {**WRITES, "officer": 302, "manager_a": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_officers_settle(request, persona, world):
    client = browser(user_of(request, persona))
    answer = client.post(reverse("statements:settle", args=[world["final"].pk]), {})
    assert status_of(answer) == SETTLES[persona]
    assert Settlement.objects.exists() is (persona == "officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_four_eyes_on_the_decision(request, persona, world, officer, django_user_model):
    settlement_prepare(statement=world["final"], by=officer)
    client = browser(user_of(request, persona))
    answer = client.post(reverse("statements:decide", args=[world["final"].pk]))
    expected = {**WRITES, "manager_a": 403}[persona]  # the officer prepared it: 403 too
    assert status_of(answer) == expected
    assert Settlement.objects.get().state == "prepared"
    second = django_user_model.objects.create(username="otto-officer")
    second.groups.add(*officer.groups.all())
    page = browser(second).get(reverse("statements:detail", args=[world["final"].pk]))
    decide = reverse("statements:decide", args=[world["final"].pk])
    assert decide in page.text
    assert (
        decide
        not in browser(officer).get(reverse("statements:detail", args=[world["final"].pk])).text
    )
    assert browser(second).post(decide).status_code == 302
    assert Settlement.objects.get().state == "decided"


@pytest.mark.parametrize("persona", PERSONAS)
def test_officers_review(request, persona, world, manager_a):
    draft = statement_transition(statement=world["draft"], name="submit", by=manager_a)
    client = browser(user_of(request, persona))
    answer = client.post(
        reverse("statements:transition", args=[draft.pk, "return_with_questions"]),
        {"comment": "Which invoices?"},
    )
    assert status_of(answer) == {**WRITES, "officer": 302, "manager_a": 403}[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_actuals_import_on_the_pages(request, persona, world):
    draft = world["draft"]
    client = browser(user_of(request, persona))
    template = client.get(reverse("statements:actuals-template", args=[draft.pk]))
    form = client.get(reverse("statements:import", args=[draft.pk]))
    expected = {**WRITES, "manager_a": 200}[persona]
    assert status_of(template) == expected
    assert status_of(form) == expected
    if persona != "manager_a":
        confirm = client.post(reverse("statements:import-confirm", args=[draft.pk]))
        assert status_of(confirm) == WRITES[persona]
        return
    workbook = load_workbook(BytesIO(template.content))
    workbook.active["E2"] = 1234.5
    filled = BytesIO()
    workbook.save(filled)
    preview = client.post(
        reverse("statements:import", args=[draft.pk]),
        {"file": SimpleUploadedFile("actuals.xlsx", filled.getvalue())},
    )
    assert preview.status_code == 200
    assert not StatementLine.objects.filter(statement=draft).exists()
    token = preview.context["preview"].token
    confirmed = client.post(reverse("statements:import-confirm", args=[draft.pk]), {"token": token})
    assert confirmed.status_code == 302
    assert StatementLine.objects.get(statement=draft).actual_amount == Decimal("1234.50")


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachments_on_the_pages(request, persona, world, manager_a):
    draft = world["draft"]
    document = statement_document_attach(
        statement=draft, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), by=manager_a
    )
    client = browser(user_of(request, persona))
    download = client.get(reverse("statements:document", args=[draft.pk, document.pk]))
    attach = client.post(
        reverse("statements:attach", args=[draft.pk]),
        {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert status_of(download) == READS[persona]
    assert status_of(attach) == WRITES[persona]
    assert draft.documents.count() == (2 if persona == "manager_a" else 1)
