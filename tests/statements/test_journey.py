"""The API journey after approval, for the cluster management organisation of cluster A's
concept phase (2027-2028, AZA at 100 %, 100,000.00 a year): the first drawdown, two interim
statements, a change request that moves 30,000.00 from 2027 to 2028 (the plan's version 2),
the final statement against that version and its settlement, which ends in a repayment claim
because more was paid out than the actuals carry.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kernel import clock
from kernel.roles import Role

from ..api.conftest import client_for
from ..change_requests import support as change
from ..factories import position, user_with_role
from .conftest import Running, at

pytestmark = pytest.mark.django_db


class Journey:
    """The people of the journey, as API clients, and the steps they take."""

    def __init__(self, running: Running, manager: Any, officer: Any, payers: Any) -> None:
        self.running = running
        self.manager = client_for(manager)
        self.officer = client_for(officer)
        self.second_officer = client_for(user_with_role("otto-officer", Role.OFFICER))
        self.payer, self.cashier = (client_for(p) for p in payers)
        self.auditor = client_for(user_with_role("astrid-auditor", Role.AUDITOR))
        self.application_url = f"/api/v1/applications/{running.application.pk}/"

    def ok(self, answer: Any, status: int = 200) -> Any:
        assert answer.status_code == status, answer.content
        return answer.json()

    def draw_and_pay(self, year: int, month: int, amount: str) -> None:
        """A drawdown of the month, through the four eyes and a paid payment run."""
        body = {
            "phase": "concept",
            "grantee": self.running.management.pk,
            "year": year,
            "period_start_on": date(year, month, 1).isoformat(),
            "period_end_on": date(year, month, 28).isoformat(),
            "spend_by_on": date(year, month + 1, 10).isoformat(),
            "positions": [{"position": position("AZA", "0812").pk, "amount": amount}],
        }
        created = self.ok(self.manager.post(self.application_url + "drawdowns/", body), 201)
        url = f"/api/v1/drawdowns/{created['id']}/transitions/"
        for client, name in ((self.manager, "submit"), (self.officer, "mark_checked")):
            self.ok(client.post(url + f"{name}/", {}))
        self.ok(self.payer.post(url + "release/", {}))
        run = self.ok(
            self.cashier.post("/api/v1/payment-runs/", {"drawdowns": [created["id"]]}), 201
        )
        paid = {"paid_on": date(year, month, 20).isoformat(), "payment_reference": f"K-{year}"}
        self.ok(self.cashier.post(f"/api/v1/payment-runs/{run['id']}/pay/", paid))

    def statement(self, body: dict[str, Any], actual_rows: list[tuple[int, str]]) -> str:
        """A statement written, given its actuals and submitted; its URL."""
        body = {"phase": "concept", "grantee": self.running.management.pk, **body}
        created = self.ok(self.manager.post(self.application_url + "statements/", body), 201)
        url = f"/api/v1/statements/{created['id']}/"
        lines = [
            {"position": position("AZA", "0812").pk, "year": year, "actual_amount": amount}
            for year, amount in actual_rows
        ]
        self.ok(self.manager.put(url + "lines/", {"lines": lines}))
        self.ok(self.manager.post(url + "transitions/submit/", {}))
        return url

    def accept(self, url: str) -> dict[str, Any]:
        return self.ok(self.officer.post(url + "transitions/accept/", {}))


def concept_plan(version: dict[str, Any]) -> dict[int, str]:
    """A plan version's concept-phase amounts per year (one grantee, one position here)."""
    return {
        line["year"]: line["eligible_amount"]
        for line in version["lines"]
        if line["phase"] == "concept"
    }


def test_from_the_first_drawdown_to_a_settled_repayment_claim(
    running: Running, manager_a, officer, payment_officer, payment_officer_2
):
    journey = Journey(running, manager_a, officer, (payment_officer, payment_officer_2))

    with clock.frozen_at(at(2027, 3, 15)):
        journey.draw_and_pay(2027, 3, "60000.00")

    with clock.frozen_at(at(2028, 2, 10)):
        first = journey.statement(
            {"kind": "interim", "year": 2027, "narrative": "Delegation to Grenoble."},
            [(2027, "50000.00")],
        )
        questions = {"comment": "Which trips were paid from staff costs?"}
        returned = journey.ok(
            journey.officer.post(first + "transitions/return_with_questions/", questions)
        )
        assert returned["state"] == "returned"
        journey.ok(journey.manager.patch(first, {"narrative": "Delegation; no trips from staff."}))
        journey.ok(journey.manager.post(first + "transitions/submit/", {}))
        assert journey.accept(first)["state"] == "accepted"
        figures = journey.ok(journey.manager.get(first + "figures/"))
        assert (figures["plan_amount"], figures["actual_amount"]) == ("100000.00", "50000.00")
        assert (figures["paid_amount"], figures["unspent_amount"]) == ("60000.00", "10000.00")
        assert figures["findings"] == []
        history = journey.ok(journey.officer.get(first + "history/"))
        assert [row["transition"] for row in history["results"]] == [
            "submit",
            "return_with_questions",
            "submit",
            "accept",
        ]

    with clock.frozen_at(at(2028, 4, 10)):
        journey.draw_and_pay(2028, 4, "90000.00")

    with clock.frozen_at(at(2029, 2, 10)):
        second = journey.statement({"kind": "interim", "year": 2028}, [(2028, "80000.00")])
        journey.accept(second)

    with clock.frozen_at(at(2029, 2, 20)):
        proposal = change.propose_move_between_years(
            journey.manager,
            running.application,
            grantee=running.management,
            position=position("AZA", "0812"),
            from_year=2027,
            to_year=2028,
            amount=Decimal("30000.00"),
            current={2027: Decimal("100000.00"), 2028: Decimal("100000.00")},
            reason="The second delegation took place in 2028.",
        )
        change.approve(journey.officer, change.submit(journey.manager, proposal))
        versions = change.versions(journey.auditor, running.application)
        assert [v["number"] for v in versions] == [1, 2]
        before, after = (change.version(journey.auditor, running.application, n) for n in (1, 2))
        assert concept_plan(before) == {2027: "100000.00", 2028: "100000.00"}
        assert concept_plan(after) == {2027: "70000.00", 2028: "130000.00"}

    with clock.frozen_at(at(2029, 3, 1)):
        final = journey.statement(
            {"kind": "final", "narrative": "What the concept phase achieved."},
            [(2027, "50000.00"), (2028, "80000.00")],
        )
        journey.accept(final)
        figures = journey.ok(journey.officer.get(final + "figures/"))
        # The final statement is set against the current plan: version 2.
        assert [(y["year"], y["plan_amount"]) for y in figures["years"]] == [
            (2027, "70000.00"),
            (2028, "130000.00"),
        ]
        assert figures["approved_funding_amount"] == "200000.00"
        assert figures["funding_amount"] == "130000.00"
        assert figures["paid_amount"] == "150000.00"

        refused = journey.officer.post(final + "settlement/", {"settled_amount": "200000.01"})
        assert refused.status_code == 400
        assert refused.json()["code"] == "above_grant"
        assert journey.ok(journey.officer.get("/api/v1/settlements/"))["results"] == []

        settlement = journey.ok(journey.officer.post(final + "settlement/", {}), 201)
        assert settlement["settled_amount"] == "130000.00"
        assert settlement["balance_amount"] == "-20000.00"
        url = f"/api/v1/settlements/{settlement['id']}/transitions/decide/"
        four_eyes = journey.officer.post(url, {})
        assert four_eyes.status_code == 403
        assert four_eyes.json()["code"] == "four_eyes"
        decided = journey.ok(journey.second_officer.post(url, {}))

    assert decided["state"] == "decided"
    assert decided["outcome"] == "repayment_claim"
    assert decided["balance_amount"] == "-20000.00"
    assert (decided["prepared_by"], decided["decided_by"]) == ("olga-officer", "otto-officer")
    assert Decimal(decided["paid_amount"]) == Decimal("150000.00")
