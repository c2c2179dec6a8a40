"""The drawdown API: a journey from an approved implementation to a paid payment run, four eyes,
bad input with nothing written, and lists whose query count does not grow with their rows."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from disbursements.models import DrawdownRequest
from disbursements.services import payment_run_create, payment_run_mark_paid
from kernel import clock

from ..api.conftest import client_for
from ..factories import position
from .conftest import Running, at, company_request, concept_request, released

pytestmark = pytest.mark.django_db


def company_body(running: Running, amount: str = "20000.00") -> dict[str, Any]:
    return {
        "phase": "implementation",
        "rd_project": running.project.pk,
        "grantee": running.company.pk,
        "year": 2028,
        "period_start_on": "2028-01-01",
        "period_end_on": "2028-03-31",
        "positions": [{"position": position("AZK", "0837").pk, "amount": amount}],
        "purpose": "Costs of the first quarter",
    }


def company_year(rows: list[dict[str, Any]], running: Running) -> dict[str, Any]:
    (row,) = [r for r in rows if r["grantee"] == running.company.pk and r["year"] == 2028]
    return row


def test_journey_from_approved_implementation_to_paid_run(
    running: Running, manager_a, officer, payment_officer, payment_officer_2
):
    manager, checker = client_for(manager_a), client_for(officer)
    payer, cashier = client_for(payment_officer), client_for(payment_officer_2)
    years_url = f"/api/v1/applications/{running.application.pk}/grantee-years/"
    with clock.frozen_at(at(2028, 4, 10)):
        before = company_year(manager.get(years_url).json(), running)
        assert (before["approved_amount"], before["remaining_amount"]) == ("70000.00", "70000.00")

        created = manager.post(
            f"/api/v1/applications/{running.application.pk}/drawdowns/",
            company_body(running),
            format="json",
        )
        assert created.status_code == 201, created.json()
        drawdown = created.json()
        assert (drawdown["state"], drawdown["amount"]) == ("draft", "20000.00")
        url = f"/api/v1/drawdowns/{drawdown['id']}/"

        steps = [(manager, "submit"), (checker, "mark_checked"), (payer, "release")]
        for client, name in steps:
            answer = client.post(url + f"transitions/{name}/", {}, format="json")
            assert answer.status_code == 200, (name, answer.json())
        assert answer.json()["state"] == "released"
        assert answer.json()["checked_by"] == "olga-officer"
        assert answer.json()["released_by"] == "paula-payment"

        run = cashier.post("/api/v1/payment-runs/", {"drawdowns": [drawdown["id"]]}, format="json")
        assert run.status_code == 201, run.json()
        assert run.json()["total_amount"] == "20000.00"
        run_url = f"/api/v1/payment-runs/{run.json()['id']}/"

        workbook = cashier.get(run_url + "workbook.xlsx")
        assert workbook.status_code == 200
        sheet = load_workbook(BytesIO(workbook.content)).active
        assert sheet["B2"].value == running.company.name
        assert sheet["E2"].value == 20000
        assert sheet["E3"].value == "=SUM(E2:E2)"

        paid = cashier.post(
            run_url + "pay/",
            {"paid_on": "2028-04-12", "payment_reference": "KASSE-2028-17"},
            format="json",
        )
        assert paid.status_code == 200, paid.json()
        assert paid.json()["paid_on"] == "2028-04-12"

        shown = manager.get(url).json()
        assert (shown["state"], shown["paid_on"], shown["payment_reference"]) == (
            "paid",
            "2028-04-12",
            "KASSE-2028-17",
        )
        history = manager.get(url + "history/").json()["results"]
        assert [row["transition"] for row in history] == [
            "submit",
            "mark_checked",
            "release",
            "pay",
        ]
        after = company_year(manager.get(years_url).json(), running)
        assert (after["drawn_amount"], after["paid_amount"], after["remaining_amount"]) == (
            "20000.00",
            "20000.00",
            "50000.00",
        )


def test_api_four_eyes_refuses_the_checker(
    running: Running, manager_a, officer_and_payment_officer, payment_officer
):
    both = client_for(officer_and_payment_officer)
    with clock.frozen_at(at(2028, 4, 10)):
        created = client_for(manager_a).post(
            f"/api/v1/applications/{running.application.pk}/drawdowns/",
            company_body(running),
            format="json",
        )
        url = f"/api/v1/drawdowns/{created.json()['id']}/transitions/"
        client_for(manager_a).post(url + "submit/", {}, format="json")
        assert both.post(url + "mark_checked/", {}, format="json").status_code == 200

        options = {o["name"]: o for o in both.get(url).json()}
        assert options["release"]["code"] == "four_eyes"
        refused = both.post(url + "release/", {}, format="json")

        assert refused.status_code == 403
        assert refused.json()["code"] == "four_eyes"
        assert DrawdownRequest.objects.get(pk=created.json()["id"]).state == "checked"
        released = client_for(payment_officer).post(url + "release/", {}, format="json")
        assert released.status_code == 200


@pytest.mark.parametrize("amount", ["20000.001", "-1.00", "1e5", "20.000,00"])
def test_api_bad_amounts_are_refused(running: Running, manager_a, amount):
    with clock.frozen_at(at(2028, 4, 10)):
        answer = client_for(manager_a).post(
            f"/api/v1/applications/{running.application.pk}/drawdowns/",
            company_body(running, amount),
            format="json",
        )
    assert answer.status_code == 400
    (message,) = answer.json()["fields"]["positions"]["0"]["amount"]
    assert amount in message
    assert not DrawdownRequest.objects.exists()


def test_api_over_the_grant_is_refused_with_numbers(running: Running, manager_a):
    with clock.frozen_at(at(2028, 4, 10)):
        answer = client_for(manager_a).post(
            f"/api/v1/applications/{running.application.pk}/drawdowns/",
            company_body(running, "70000.01"),
            format="json",
        )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "over_grant"
    assert "€70,000.00" in body["detail"]
    assert "€0.01 too much" in body["detail"]
    assert not DrawdownRequest.objects.exists()


def test_api_unknown_grantee_is_refused(running: Running, manager_a):
    body = {**company_body(running), "grantee": 999999}
    with clock.frozen_at(at(2028, 4, 10)):
        answer = client_for(manager_a).post(
            f"/api/v1/applications/{running.application.pk}/drawdowns/", body, format="json"
        )
    assert answer.status_code == 400
    assert "grantee" in answer.json()["fields"]
    assert not DrawdownRequest.objects.exists()


def queries_of(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("officer", "/api/v1/drawdowns/"),
        ("manager_a", "/api/v1/drawdowns/"),
        ("officer", "/api/v1/payment-runs/"),
        ("manager_a", "grantee-years"),
    ],
)
def test_lists_answer_in_the_same_queries_at_two_sizes(
    running: Running, manager_a, officer, payment_officer, payment_officer_2, persona, url
):
    client = client_for({"officer": officer, "manager_a": manager_a}[persona])
    if url == "grantee-years":
        url = f"/api/v1/applications/{running.application.pk}/grantee-years/"

    def add(count: int) -> None:
        with clock.frozen_at(at(2028, 4, 10)):
            for _ in range(count):
                drawdown = released(
                    company_request(running, manager_a, "100.00"),
                    manager=manager_a,
                    officer=officer,
                    payer=payment_officer,
                )
                payment_run_create(drawdowns=[drawdown], by=payment_officer_2)

    add(2)
    small = queries_of(client, url)
    add(8)
    assert DrawdownRequest.objects.count() == 10
    assert queries_of(client, url) == small


def test_api_flags_aza_money_not_reported_spent(
    running: Running, manager_a, officer, payment_officer, payment_officer_2
):
    with clock.frozen_at(at(2027, 3, 15)):
        drawdown = released(
            concept_request(running, manager_a),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        run = payment_run_create(drawdowns=[drawdown], by=payment_officer_2)
        payment_run_mark_paid(run=run, paid_on=date(2027, 3, 16), reference="K", by=payment_officer)
    url = f"/api/v1/drawdowns/{drawdown.pk}/"
    with clock.frozen_at(at(2027, 4, 27)):
        assert client_for(officer).get(url).json()["spending_overdue"] is False
    with clock.frozen_at(at(2027, 4, 28)):
        assert client_for(officer).get(url).json()["spending_overdue"] is True
        reported = client_for(manager_a).post(
            url + "spent/", {"spent_reported_on": "2027-04-20"}, format="json"
        )
        assert reported.status_code == 200
        assert reported.json()["spending_overdue"] is False
