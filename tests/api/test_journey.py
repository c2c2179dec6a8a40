"""The whole InterSpiN journey through the API alone, as the roles that drive it: draft →
submitted → in_review → selected → concept_phase → implementation_proposed →
implementation_phase → completed, with budget lines and the refusals at the caps.

The workbook download joins this journey once the export API exists."""

import pytest

from applications.models import Application

from ..competition.support import JUSTIFICATION, reviews_for_selection
from ..factories import position
from .support import call, euros, half_up_percent

pytestmark = pytest.mark.django_db

CAP = 500_000_00  # concept phase, per calendar year, in cents
IMPLEMENTATION_CAP = 3_000_000_00
CLUSTER_CAP = 4_000_000_00
SMALL_COMPANY_RATE = 70_00  # basis points: 70.00 %


def test_journey_from_draft_to_completed(api_as, open_round, cluster_a, manager_a, officer):
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
    # The jury's reviews have no API yet (the competition's API comes with its own issue):
    # they are written through the review services, as the jury's pages will.
    reviews_for_selection(Application.objects.get(pk=draft["id"]), officer=officer)
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
            {"name": f"Institut {number}", "legal_form": "research_institute", "country": "FR"},
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
