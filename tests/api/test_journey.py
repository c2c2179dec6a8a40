"""The whole InterSpiN journey through the API alone, as the roles that drive it: draft →
submitted → in_review (criteria, reviewers, their reviews, the ranking) → selected →
concept_phase → implementation_proposed → implementation_phase → completed, with budget lines,
the refusals at the caps, and the workbook downloads."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from applications.states import State
from budgets.workbooks.layout import COLUMN_INDEX

from ..competition.support import DEFAULT_CRITERIA, JUSTIFICATION, new_reviewer
from ..factories import position
from .conftest import client_for
from .support import call, euros, half_up_percent

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CAP = 500_000_00  # concept phase, per calendar year, in cents
IMPLEMENTATION_CAP = 3_000_000_00
CLUSTER_CAP = 4_000_000_00
SMALL_COMPANY_RATE = 70_00  # basis points: 70.00 %


def jury_reviews(ministry: Any, application_id: int, round_id: int) -> None:
    """The competition for one application in review, through the API: the officer sets the
    round's criteria (if it has none) and assigns as many jury members as the round requires;
    each scores every criterion and submits; the officer reads the ranking."""
    criteria_url = f"/api/v1/rounds/{round_id}/review-criteria/"
    if not call(ministry, "get", criteria_url, expect=200)["results"]:
        for order, (name, weight) in enumerate(DEFAULT_CRITERIA):
            body = {"name": name, "weight": str(weight), "order": order}
            call(ministry, "post", criteria_url, body, expect=201)
    ranking_url = f"/api/v1/rounds/{round_id}/ranking/"

    def line() -> dict[str, Any]:
        ranking = call(ministry, "get", ranking_url, expect=200)
        return next(item for item in ranking["lines"] if item["application"] == application_id)

    required = call(ministry, "get", f"/api/v1/rounds/{round_id}/", expect=200)[
        "min_submitted_reviews"
    ]
    before = line()
    assert (before["rank"], before["submitted_count"], before["required_count"]) == (
        None,
        0,
        required,
    )
    for _ in range(required):
        juror = new_reviewer()
        assigned = call(
            ministry,
            "post",
            "/api/v1/review-assignments/",
            {"application": application_id, "reviewer": juror.pk},
            expect=201,
        )
        jury = client_for(juror)
        criteria = call(jury, "get", criteria_url, expect=200)["results"]
        (mine,) = call(jury, "get", "/api/v1/review-assignments/", expect=200)["results"]
        assert mine["id"] == assigned["id"]
        review = f"/api/v1/review-assignments/{mine['id']}/review/"
        body = {
            "recommendation": "fund",
            "comment": "A convincing strategy.",
            "scores": [
                {"criterion": criterion["id"], "score": score, "comment": ""}
                for criterion, score in zip(criteria, (5, 4), strict=True)
            ],
        }
        call(jury, "put", review, body, expect=200)
        assert call(jury, "post", review + "submit/", expect=200)["is_submitted"]

    after = line()
    assert after["rank"] == 1
    assert after["has_enough_reviews"]
    assert after["submitted_count"] == after["recommendations"]["fund"] == required
    # Weights 2 and 1: (5·2 + 4)/3 = 14/3 from every review.
    assert after["mean"] == "4.67"


def test_journey_from_draft_to_completed(api_as, open_round, cluster_a, manager_a):
    manager, ministry = api_as("manager_a"), api_as("officer")

    def fire(client, application_id, name, comment=""):
        url = f"/api/v1/applications/{application_id}/transitions/{name}/"
        return call(client, "post", url, {"comment": comment}, expect=200)

    draft = call(
        manager,
        "post",
        "/api/v1/applications/",
        {
            "round": open_round.pk,
            "cluster": cluster_a.pk,
            "title": "Printed electronics with Grenoble",
            "strategy_summary": "Two partner regions; joint R&D on printed sensors.",
        },
        expect=201,
    )
    assert draft["state"] == "draft"
    app = f"/api/v1/applications/{draft['id']}/"
    call(
        manager,
        "post",
        app + "partner-regions/",
        {
            "country": "FR",
            "region": "Auvergne-Rhône-Alpes",
            "partner_name": "Minalogic",
            "is_known_partner": True,
        },
        expect=201,
    )
    assert fire(manager, draft["id"], "submit")["state"] == "submitted"
    assert fire(ministry, draft["id"], "start_review")["state"] == "in_review"
    jury_reviews(ministry, draft["id"], open_round.pk)
    assert fire(ministry, draft["id"], "select", JUSTIFICATION)["state"] == "selected"

    # The concept phase cannot start on an empty budget.
    refused = call(ministry, "post", app + "transitions/start_concept_phase/", {}, expect=400)
    assert refused["code"] == "budget_empty"
    assert refused["errors"][0]["violations"][0]["rule"] == "budget_empty"

    year = int(draft["concept_start_on"][:4])
    management = cluster_a.management_organisation_id
    for offset in (0, 1):
        call(
            manager,
            "post",
            "/api/v1/budget-lines/",
            {
                "application": draft["id"],
                "phase": "concept",
                "grantee": management,
                "year": year + offset,
                "position": position("AZA", "0812").pk,
                "eligible_amount": euros(CAP),
            },
            expect=201,
        )
    travel = 12_400_00
    over = call(
        manager,
        "post",
        "/api/v1/budget-lines/",
        {
            "application": draft["id"],
            "phase": "concept",
            "grantee": management,
            "year": year,
            "position": position("AZA", "0846").pk,
            "eligible_amount": euros(travel),
        },
        expect=400,
    )
    assert over["code"] == "concept_annual_cap"
    assert [
        {key: item[key] for key in ("rule", "scope", "limit", "actual", "excess", "unit")}
        for item in over["errors"]
    ] == [
        {
            "rule": "concept_annual_cap",
            "scope": str(year),
            "limit": euros(CAP),
            "actual": euros(CAP + travel),
            "excess": euros(travel),
            "unit": "EUR",
        }
    ]

    assert fire(ministry, draft["id"], "start_concept_phase")["state"] == "concept_phase"

    company = call(
        ministry,
        "post",
        "/api/v1/organisations/",
        {
            "name": "Sensorik Dresden GmbH",
            "legal_form": "company",
            "size_class": "small",
            "country": "DE",
            "city": "Dresden",
        },
        expect=201,
    )
    projects = []
    implementation_year = int(draft["implementation_start_on"][:4])
    per_project = 1_000_000_00
    for number in (1, 2, 3):
        project = call(
            manager,
            "post",
            app + "projects/",
            {
                "title": f"Project {number}",
                "start_month": draft["implementation_start_on"],
                "end_month": f"{implementation_year + 2}-12-01",
            },
            expect=201,
        )
        projects.append(project)
        partner_abroad = call(
            ministry,
            "post",
            "/api/v1/organisations/",
            {
                "name": f"Institut {number}",
                "legal_form": "research_institute",
                "country": "FR",
                "city": "Grenoble",
            },
            expect=201,
        )
        partners = app + f"projects/{project['id']}/partners/"
        call(
            manager, "post", partners, {"organisation": company["id"], "is_lead": True}, expect=201
        )
        call(manager, "post", partners, {"organisation": partner_abroad["id"]}, expect=201)
        call(
            manager,
            "post",
            "/api/v1/budget-lines/",
            {
                "application": draft["id"],
                "phase": "implementation",
                "rd_project": project["id"],
                "grantee": company["id"],
                "year": implementation_year,
                "position": position("AZK", "0837").pk,
                "eligible_amount": euros(per_project),
            },
            expect=201,
        )

    fourth = call(
        manager,
        "post",
        app + "projects/",
        {
            "title": "Project 4",
            "start_month": draft["implementation_start_on"],
            "end_month": f"{implementation_year + 2}-12-01",
        },
        expect=400,
    )
    assert fourth["code"] == "implementation_max_projects"
    assert [(e["limit"], e["actual"], e["excess"]) for e in fourth["errors"]] == [(3, 4, 1)]

    # Three projects at 70 % of 1,000,000.00; a second year in project 1 fills the cap to the
    # cent, one cent of grant more breaks both the implementation cap and the cluster cap.
    granted = 3 * half_up_percent(per_project, SMALL_COMPANY_RATE)
    concept_total = 2 * CAP
    exactly = 1_285_714_29
    one_cent_over = 1_285_715_00
    assert granted + half_up_percent(exactly, SMALL_COMPANY_RATE) == IMPLEMENTATION_CAP
    second_year = {
        "application": draft["id"],
        "phase": "implementation",
        "rd_project": projects[0]["id"],
        "grantee": company["id"],
        "year": implementation_year + 1,
        "position": position("AZK", "0837").pk,
    }
    too_much = call(
        manager,
        "post",
        "/api/v1/budget-lines/",
        {**second_year, "eligible_amount": euros(one_cent_over)},
        expect=400,
    )
    implementation_total = granted + half_up_percent(one_cent_over, SMALL_COMPANY_RATE)
    assert too_much["code"] == "implementation_cap"
    assert [(e["rule"], e["limit"], e["actual"], e["excess"]) for e in too_much["errors"]] == [
        (
            "implementation_cap",
            euros(IMPLEMENTATION_CAP),
            euros(implementation_total),
            euros(implementation_total - IMPLEMENTATION_CAP),
        ),
        (
            "cluster_cap",
            euros(CLUSTER_CAP),
            euros(concept_total + implementation_total),
            euros(concept_total + implementation_total - CLUSTER_CAP),
        ),
    ]
    call(
        manager,
        "post",
        "/api/v1/budget-lines/",
        {**second_year, "eligible_amount": euros(exactly)},
        expect=201,
    )

    assert fire(manager, draft["id"], "propose_implementation")["state"] == (
        "implementation_proposed"
    )
    not_theirs = call(manager, "post", app + "transitions/approve_implementation/", {}, expect=403)
    assert not_theirs["code"] == "not_permitted"
    assert fire(ministry, draft["id"], "approve_implementation")["state"] == (
        "implementation_phase"
    )
    assert fire(ministry, draft["id"], "complete")["state"] == "completed"

    history = call(manager, "get", app + "history/", expect=200)
    assert [record["transition"] for record in history["results"]] == [
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
        "approve_implementation",
        "complete",
    ]
    budget = call(api_as("auditor"), "get", app + "budget/", expect=200)
    assert budget["concept"]["total"]["funding_amount"] == euros(concept_total)
    assert budget["implementation"]["total"]["funding_amount"] == euros(IMPLEMENTATION_CAP)
    assert budget["total"]["headroom_amount"] == euros(0)
    assert budget["violations"] == []

    # The workbooks of the finished application: the budget workbook for the auditor, and the
    # flat export of every line, whose amounts are the ones posted above.
    downloaded = api_as("auditor").get(app + "budget.xlsx")
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == XLSX
    assert downloaded["Content-Disposition"].startswith('attachment; filename="InterSpiN_R')
    workbook = load_workbook(BytesIO(downloaded.content), read_only=True)
    cover = {str(v) for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row}
    assert {cluster_a.name, str(State.COMPLETED.label)} <= cover

    exported = manager.get("/api/v1/budget-lines/export.xlsx", {"cluster": cluster_a.pk})
    assert exported.status_code == 200
    sheet = load_workbook(BytesIO(exported.content), read_only=True).worksheets[0]
    _header, *rows = sheet.iter_rows(values_only=True)
    amounts = [row[COLUMN_INDEX["eligible_amount"]] for row in rows]
    assert len(amounts) == 2 + 3 + 1
    assert sum(Decimal(str(amount)) for amount in amounts) == Decimal(
        euros(2 * CAP + 3 * per_project + exactly)
    )
