"""The drawdown pages for every persona: the own cluster's management enters and reads its
requests, officers check, payment officers release (never what they checked: the button is
absent and the service refuses), auditors read (403 on every write), another cluster's requests
are absent (404), anonymous visitors go to the login page. Lists answer in the same number of
queries at two sizes."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disbursements.models import DrawdownRequest, PaymentRun
from disbursements.services import payment_run_create, payment_run_mark_paid
from disbursements.states import DrawdownState
from kernel import clock

from ..factories import position
from ..web.conftest import browser
from .conftest import Running, at, company_request, concept_request, move, released

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "payment_officer", "anonymous")


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def status_of(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return int(response.status_code)


@pytest.fixture
def world(running: Running, manager_a, officer, payment_officer, payment_officer_2) -> Any:
    """A draft, a checked request, and a paid run of cluster A, on 15 March 2027."""
    with clock.frozen_at(at(2027, 3, 15)):
        draft = concept_request(running, manager_a, "1000.00")
        checked = move(
            move(concept_request(running, manager_a, "2000.00"), "submit", manager_a),
            "mark_checked",
            officer,
        )
        paid = released(
            concept_request(running, manager_a, "3000.00"),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        run = payment_run_create(drawdowns=[paid], by=payment_officer_2)
        payment_run_mark_paid(
            run=run, paid_on=date(2027, 3, 16), reference="K-1", by=payment_officer
        )
    return {"draft": draft, "checked": checked, "run": run, "running": running}


READS = {
    "officer": 200,
    "manager_a": 200,
    "manager_b": 404,
    "auditor": 200,
    "payment_officer": 200,
    "anonymous": "login",
}
RUN_READS = {**READS, "manager_a": 403, "manager_b": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_answer_each_persona(request, persona, world):
    client = browser(user_of(request, persona))
    with clock.frozen_at(at(2027, 3, 20)):
        detail = client.get(reverse("disbursements:detail", args=[world["draft"].pk]))
        listing = client.get(reverse("disbursements:list"))
        runs = client.get(reverse("disbursements:runs"))
        run = client.get(reverse("disbursements:run", args=[world["run"].pk]))
        workbook = client.get(reverse("disbursements:run-workbook", args=[world["run"].pk]))
    assert status_of(detail) == READS[persona]
    assert status_of(listing) == ("login" if persona == "anonymous" else 200)
    assert status_of(runs) == RUN_READS[persona]
    run_status = {**RUN_READS, "manager_a": 403, "manager_b": 403}[persona]
    assert status_of(run) == run_status
    assert status_of(workbook) == run_status


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
    with clock.frozen_at(at(2027, 3, 20)):
        edit = client.post(
            reverse("disbursements:edit", args=[draft.pk]),
            {
                "year": "2027",
                "period_start_on": "2027-03-01",
                "period_end_on": "2027-03-31",
                "spend_by_on": "2027-04-10",
                "purpose": "Trade fair",
                "position_1": str(draft.positions.get().position_id),
                "amount_1": "1,500.00",
            },
        )
        create = client.get(reverse("disbursements:create", args=[application.pk]))
        submit = client.post(reverse("disbursements:transition", args=[draft.pk, "submit"]))
    assert status_of(edit) == WRITES[persona]
    expected_create = {**WRITES, "manager_a": 200}[persona]
    assert status_of(create) == expected_create
    assert status_of(submit) == WRITES[persona]
    if persona == "manager_a":
        stored = DrawdownRequest.objects.get(pk=draft.pk)
        assert stored.purpose == "Trade fair"
        assert stored.state == DrawdownState.SUBMITTED


CHECKS = {**WRITES, "officer": 302, "manager_a": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_officers_check(request, persona, world, manager_a):
    client = browser(user_of(request, persona))
    with clock.frozen_at(at(2027, 3, 20)):
        submitted = move(world["draft"], "submit", manager_a)
        answer = client.post(
            reverse("disbursements:transition", args=[submitted.pk, "mark_checked"])
        )
    assert status_of(answer) == CHECKS[persona]


def test_four_eyes_the_checker_sees_no_release_button(
    running: Running, manager_a, officer_and_payment_officer, payment_officer
):
    with clock.frozen_at(at(2027, 3, 15)):
        drawdown = move(concept_request(running, manager_a), "submit", manager_a)
        drawdown = move(drawdown, "mark_checked", officer_and_payment_officer)
        url = reverse("disbursements:detail", args=[drawdown.pk])
        release = reverse("disbursements:transition", args=[drawdown.pk, "release"])

        assert release not in browser(officer_and_payment_officer).get(url).text
        assert release in browser(payment_officer).get(url).text
        refused = browser(officer_and_payment_officer).post(release)
    assert refused.status_code == 403
    assert DrawdownRequest.objects.get(pk=drawdown.pk).state == DrawdownState.CHECKED


def test_payment_officer_makes_and_pays_a_run_on_the_pages(
    running: Running, manager_a, officer, payment_officer, payment_officer_2
):
    with clock.frozen_at(at(2027, 3, 15)):
        drawdown = released(
            concept_request(running, manager_a),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        client = browser(payment_officer_2)
        created = client.post(reverse("disbursements:runs"), {"drawdowns": [str(drawdown.pk)]})
        run = PaymentRun.objects.get()
        assert created["Location"] == reverse("disbursements:run", args=[run.pk])
        paid = client.post(
            reverse("disbursements:run-pay", args=[run.pk]),
            {"paid_on": "2027-03-16", "payment_reference": "KASSE-9"},
        )
    assert paid.status_code == 302
    stored = DrawdownRequest.objects.get(pk=drawdown.pk)
    assert (stored.state, stored.payment_reference) == (DrawdownState.PAID, "KASSE-9")


def test_over_the_grant_on_the_page_shows_the_numbers(running: Running, manager_a):
    client = browser(manager_a)
    key = f"concept::{running.management.pk}"
    with clock.frozen_at(at(2027, 3, 15)):
        answer = client.post(
            reverse("disbursements:create", args=[running.application.pk]),
            {
                "grantee": key,
                "year": "2027",
                "period_start_on": "2027-03-01",
                "period_end_on": "2027-03-31",
                "spend_by_on": "2027-04-10",
                "position_1": str(position("AZA", "0812").pk),
                "amount_1": "100,000.01",
            },
        )
    assert answer.status_code == 400
    assert "€0.01 too much" in answer.text
    assert not DrawdownRequest.objects.exists()


def test_unspent_aza_payment_is_flagged_for_officers(
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
    detail = reverse("disbursements:detail", args=[drawdown.pk])
    with clock.frozen_at(at(2027, 4, 27)):  # 42 days after payment: not yet
        assert detail not in section(browser(officer).get(reverse("disbursements:list")).text)
    with clock.frozen_at(at(2027, 4, 28)):
        assert detail in section(browser(officer).get(reverse("disbursements:list")).text)
        browser(manager_a).post(
            reverse("disbursements:spent", args=[drawdown.pk]), {"spent_reported_on": "2027-04-20"}
        )
        assert detail not in section(browser(officer).get(reverse("disbursements:list")).text)


def section(page: str) -> str:
    """The flagged section of the officers' list."""
    start = page.index('id="spending-overdue"')
    return page[start : page.index('id="to-check"')]


def queries_of(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("officer", "disbursements:list"),
        ("manager_a", "disbursements:list"),
        ("payment_officer_2", "disbursements:runs"),
    ],
)
def test_list_pages_answer_in_the_same_queries_at_two_sizes(
    request, running: Running, manager_a, officer, payment_officer, persona, name
):
    client = browser(request.getfixturevalue(persona))

    def add(count: int) -> None:
        with clock.frozen_at(at(2028, 4, 10)):
            for _ in range(count):
                released(
                    company_request(running, manager_a, "100.00"),
                    manager=manager_a,
                    officer=officer,
                    payer=payment_officer,
                )
                move(company_request(running, manager_a, "10.00"), "submit", manager_a)

    add(1)
    with clock.frozen_at(at(2028, 4, 10)):
        client.get(reverse(name))  # warm the session
        small = queries_of(client, reverse(name))
        add(6)
        assert queries_of(client, reverse(name)) == small


def test_payment_officers_land_on_the_drawdowns(payment_officer):
    answer = browser(payment_officer).get(reverse("home"))
    assert answer["Location"] == reverse("disbursements:list")
