"""The change request API: money moved between years, approved, and both versions readable;
the drawdown ceiling follows the new version; bad input refused with nothing written."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, PlanVersion
from change_requests.models import ChangeRequest, ChangeRequestLine
from kernel import clock

from ..api.conftest import client_for
from ..disbursements.conftest import Running, at, concept_request, move
from ..factories import position
from .support import (
    approve,
    fire,
    line,
    propose,
    propose_move_between_years,
    submit,
    version,
    versions,
)

pytestmark = pytest.mark.django_db

STAFF = ("AZA", "0812")
PER_YEAR = Decimal("100000.00")
MOVED = Decimal("30000.00")


def concept_amounts(lines: list[dict[str, Any]]) -> dict[int, str]:
    return {row["year"]: row["eligible_amount"] for row in lines if row["phase"] == "concept"}


def approved_in(rows: list[dict[str, Any]], running: Running, year: int) -> str:
    (row,) = [r for r in rows if r["grantee"] == running.management.pk and r["year"] == year]
    return str(row["approved_amount"])


def move_2028_to_2027(client: Any, running: Running) -> dict[str, Any]:
    return propose_move_between_years(
        client,
        running.application,
        grantee=running.management,
        position=position(*STAFF),
        from_year=2028,
        to_year=2027,
        amount=MOVED,
        current={2027: PER_YEAR, 2028: PER_YEAR},
    )


def test_money_moved_between_years_makes_version_2_and_version_1_stays(
    running: Running, manager_a, officer
):
    manager, checker = client_for(manager_a), client_for(officer)
    application = running.application
    years_url = f"/api/v1/applications/{application.pk}/grantee-years/"
    with clock.frozen_at(at(2027, 3, 15)):
        assert approved_in(checker.get(years_url).json(), running, 2027) == "100000.00"
        assert [v["number"] for v in versions(manager, application)] == [1]

        draft = move_2028_to_2027(manager, running)
        differences = {
            (row["year"], row["current_amount"], row["proposed_amount"], row["difference_amount"])
            for row in draft["difference"]["lines"]
        }
        assert differences == {
            (2027, "100000.00", "130000.00", "30000.00"),
            (2028, "100000.00", "70000.00", "-30000.00"),
        }
        assert draft["difference"]["violations"] == []
        approved = approve(checker, submit(manager, draft))
        assert (approved["state"], approved["version"]) == ("approved", 2)

        listed = versions(checker, application)
        assert [(v["number"], v["is_current"]) for v in listed] == [(1, False), (2, True)]
        assert listed[1]["proposed_by"] == manager_a.username
        assert listed[1]["approved_by"] == officer.username
        first, second = version(checker, application, 1), version(checker, application, 2)
        assert concept_amounts(first["lines"]) == {2027: "100000.00", 2028: "100000.00"}
        assert concept_amounts(second["lines"]) == {2027: "130000.00", 2028: "70000.00"}
        assert first["funding_amount"] == second["funding_amount"]
        # The current plan is version 2, and so is the drawdown ceiling of each year.
        live = BudgetLine.objects.filter(application=application, phase="concept")
        assert {row.year: row.eligible_amount for row in live} == {
            2027: Decimal("130000.00"),
            2028: Decimal("70000.00"),
        }
        rows = checker.get(years_url).json()
        assert approved_in(rows, running, 2027) == "130000.00"
        assert approved_in(rows, running, 2028) == "70000.00"


def test_workbook_downloads_any_version(running: Running, manager_a, officer):
    manager, checker = client_for(manager_a), client_for(officer)
    url = f"/api/v1/applications/{running.application.pk}/budget.xlsx"
    assert checker.get(url, {"version": "1"}).status_code == 200  # before any change: the plan
    assert checker.get(url, {"version": "2"}).status_code == 404
    approve(checker, submit(manager, move_2028_to_2027(manager, running)))
    for number in ("1", "2", ""):
        assert checker.get(url, {"version": number}).status_code == 200
    assert checker.get(url, {"version": "3"}).status_code == 404
    assert checker.get(url, {"version": "x"}).status_code == 404


def counts() -> tuple[int, ...]:
    return (
        ChangeRequest.objects.count(),
        ChangeRequestLine.objects.count(),
        PlanVersion.objects.count(),
        BudgetLine.objects.count(),
    )


def test_a_proposal_that_breaks_a_cap_is_refused_with_the_engines_numbers(
    running: Running, manager_a, programme
):
    manager = client_for(manager_a)
    before = counts()
    staff = position(*STAFF)
    response = manager.post(
        f"/api/v1/applications/{running.application.pk}/change-requests/",
        {
            "lines": [
                line(grantee=running.management, year=2027, position=staff, amount="600000.00"),
                line(grantee=running.management, year=2028, position=staff, amount="0.00"),
            ]
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    rules = {error.get("code") for error in body["errors"]}
    assert "concept_annual_cap" in rules, body
    assert "not_cost_neutral" in rules
    assert "600.000,00" in body["detail"] or "600,000.00" in body["detail"], body["detail"]
    assert counts() == before


def test_a_second_open_change_request_is_refused(running: Running, manager_a):
    manager = client_for(manager_a)
    move_2028_to_2027(manager, running)
    before = counts()
    response = manager.post(
        f"/api/v1/applications/{running.application.pk}/change-requests/", {}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "open_change_request"
    assert counts() == before


@pytest.mark.parametrize("field", ["grantee", "position", "rd_project"])
def test_an_id_no_primary_key_can_hold_is_a_400_not_a_database_error(
    running: Running, manager_a, field
):
    """Found by schemathesis: SQLite cannot even compare a number above 2**63 - 1."""
    manager = client_for(manager_a)
    first = BudgetLine.objects.filter(application=running.application).order_by("pk")[0]
    line = {
        "phase": "concept",
        "rd_project": None,
        "grantee": first.grantee_id,
        "year": first.year,
        "position": first.position_id,
        "eligible_amount": "1.00",
        field: 2**63,
    }
    before = counts()
    response = manager.post(
        f"/api/v1/applications/{running.application.pk}/change-requests/",
        {"lines": [line]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    assert counts() == before


def test_a_proposal_for_a_plan_not_approved_is_refused(application_a, manager_a):
    before = counts()
    response = client_for(manager_a).post(
        f"/api/v1/applications/{application_a.pk}/change-requests/", {}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_approved"
    assert counts() == before


def test_an_extension_that_changes_the_total_is_refused(running: Running, manager_a):
    manager = client_for(manager_a)
    staff = position(*STAFF)
    before = counts()
    response = manager.post(
        f"/api/v1/applications/{running.application.pk}/change-requests/",
        {
            "implementation_end_on": "2031-06-30",
            "lines": [
                line(grantee=running.management, year=2028, position=staff, amount="90000.00")
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_cost_neutral"
    assert "10.000,00" in response.json()["detail"] or "10,000.00" in response.json()["detail"]
    assert counts() == before


def test_an_extension_beyond_the_programmes_years_is_refused(running: Running, manager_a):
    end = running.application.implementation_end_on
    before = counts()
    response = client_for(manager_a).post(
        f"/api/v1/applications/{running.application.pk}/change-requests/",
        {"implementation_end_on": end.replace(year=end.year + 1).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "phase_too_long"
    assert "3" in response.json()["detail"]
    assert counts() == before


def test_a_cost_neutral_extension_moves_the_end(running: Running, manager_a, officer):
    programme = running.application.round.programme
    programme.implementation_max_years = 4
    programme.save()
    manager, checker = client_for(manager_a), client_for(officer)
    end = running.application.implementation_end_on
    later = end.replace(year=end.year + 1)
    draft = propose(manager, running.application, implementation_end_on=later.isoformat())
    assert draft["difference"]["dates"] == [
        {"phase": "implementation", "current_on": end.isoformat(), "proposed_on": later.isoformat()}
    ]
    approve(checker, submit(manager, draft))
    running.application.refresh_from_db()
    assert running.application.implementation_end_on == later
    assert version(checker, running.application, 1)["version"]["implementation_end_on"] == (
        end.isoformat()
    )


def test_refused_and_returned_with_reasons(running: Running, manager_a, officer):
    manager, checker = client_for(manager_a), client_for(officer)
    submitted = submit(manager, move_2028_to_2027(manager, running))
    assert fire(checker, submitted, "refuse").json()["code"] == "comment_required"
    assert fire(manager, submitted, "approve").status_code == 403
    returned = fire(checker, submitted, "return_with_questions", "Why 2027?").json()
    assert returned["state"] == "returned"
    refused = fire(checker, submit(manager, returned), "refuse", "Not justified").json()
    assert refused["state"] == "refused"
    assert [row["comment"] for row in refused["history"]][-1] == "Not justified"
    assert (
        BudgetLine.objects.get(
            application=running.application, phase="concept", year=2027
        ).eligible_amount
        == PER_YEAR
    )


def test_other_clusters_see_nothing(running: Running, manager_a, manager_b, auditor):
    draft = move_2028_to_2027(client_for(manager_a), running)
    other = client_for(manager_b)
    assert other.get(f"/api/v1/change-requests/{draft['id']}/").status_code == 404
    assert (
        other.get(f"/api/v1/applications/{running.application.pk}/plan-versions/").status_code
        == 404
    )
    assert other.get("/api/v1/change-requests/").json()["results"] == []
    reader = client_for(auditor)
    assert reader.get(f"/api/v1/change-requests/{draft['id']}/").status_code == 200
    assert fire(reader, draft, "submit").status_code == 403


def test_a_move_below_what_is_drawn_already_is_refused(running: Running, manager_a):
    """80,000.00 of 2027 is requested already; moving 30,000.00 of it to 2028 would leave
    70,000.00."""
    with clock.frozen_at(at(2027, 3, 15)):
        submitted = concept_request(running, manager_a, "80000.00")
        move(submitted, "submit", manager_a)
        before = counts()
        response = client_for(manager_a).post(
            f"/api/v1/applications/{running.application.pk}/change-requests/",
            {
                "lines": [
                    line(
                        grantee=running.management,
                        year=2027,
                        position=position(*STAFF),
                        amount="70000.00",
                    ),
                    line(
                        grantee=running.management,
                        year=2028,
                        position=position(*STAFF),
                        amount="130000.00",
                    ),
                ]
            },
            format="json",
        )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "below_drawn"
    assert "10,000.00" in body["detail"] or "10.000,00" in body["detail"], body["detail"]
    assert counts() == before


def approved_once(running: Running, manager: Any, officer: Any) -> None:
    """One more approved change: 1,000.00 moved from 2028 to 2027 and back, alternately."""
    staff = position(*STAFF)
    lines = {
        line.year: line.eligible_amount
        for line in BudgetLine.objects.filter(application=running.application, phase="concept")
    }
    step = Decimal("1000.00") if lines[2027] <= lines[2028] else Decimal("-1000.00")
    client_manager, client_officer = client_for(manager), client_for(officer)
    draft = propose(
        client_manager,
        running.application,
        lines=[
            line(grantee=running.management, year=2027, position=staff, amount=lines[2027] + step),
            line(grantee=running.management, year=2028, position=staff, amount=lines[2028] - step),
        ],
    )
    approve(client_officer, submit(client_manager, draft))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/change-requests/",
        "/api/v1/applications/{pk}/change-requests/",
        "/api/v1/applications/{pk}/plan-versions/",
    ],
)
def test_lists_answer_in_the_same_queries_at_two_sizes(running: Running, manager_a, officer, url):
    client = client_for(officer)
    path = url.format(pk=running.application.pk)
    approved_once(running, manager_a, officer)
    client.get(path)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    for _ in range(4):
        approved_once(running, manager_a, officer)
    with CaptureQueriesContext(connection) as large:
        answer = client.get(path)
    assert answer.status_code == 200
    assert len(large) == len(small)
