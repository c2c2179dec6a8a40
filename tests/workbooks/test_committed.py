"""What a round has committed, one figure in the overview page, the API and the round workbook:
the concept budget once selected, the implementation budget once approved (planned before); a
declined implementation counts nowhere, a withdrawn application commits nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from applications.selectors import round_overview
from budgets.selectors import budget_summary
from budgets.services import budget_lines_write
from reports.round_workbook import round_workbook

from ..budgets.support import fire, select
from .support import concept_lines, reopen
from .test_round_workbook import COMMITTED, PLANNED, cover_value

pytestmark = pytest.mark.django_db


def figures_everywhere(round_, officer) -> dict[str, tuple[str, str]]:
    """(committed, planned) funding as the page, the API and the workbook give them."""
    page = Client(headers={"accept-language": "en"})
    page.force_login(officer)
    overview = page.get(reverse("reports:round", args=[round_.pk])).context["overview"]
    api = APIClient()
    api.force_authenticate(officer)
    answer = api.get(f"/api/v1/rounds/{round_.pk}/overview/").json()
    rows = api.get(answer["applications_url"]).json()["results"]
    with translation.override("en"):
        built = round_workbook(round_, by=officer)
    workbook = reopen(built.to_bytes())
    return {
        "page": (
            f"{overview.committed.funding_amount:.2f}",
            f"{overview.planned.funding_amount:.2f}",
        ),
        "api": (answer["committed"]["funding_amount"], answer["planned"]["funding_amount"]),
        "api rows": (
            f"{sum(Decimal(row['committed']['funding_amount']) for row in rows):.2f}",
            f"{sum(Decimal(row['planned']['funding_amount']) for row in rows):.2f}",
        ),
        "workbook": (
            f"{cover_value(built, workbook, COMMITTED):.2f}",
            f"{cover_value(built, workbook, PLANNED):.2f}",
        ),
    }


def expect(committed, planned) -> dict[str, tuple[str, str]]:
    pair = (f"{committed:.2f}", f"{planned:.2f}")
    return {"page": pair, "api": pair, "api rows": pair, "workbook": pair}


def test_committed_concept_phase_plans_the_implementation(budget, officer):
    application = budget.application
    summary = budget_summary(application)
    concept = summary.concept.total.figures.funding_amount
    implementation = summary.implementation.total.figures.funding_amount
    assert concept > 0
    assert implementation > 0

    assert figures_everywhere(application.round, officer) == expect(concept, implementation)


def test_committed_approved_implementation_counts(budget, manager_a, officer):
    application = fire(budget.application, "propose_implementation", manager_a)
    summary = budget_summary(application)

    assert figures_everywhere(application.round, officer) == expect(
        summary.concept.total.figures.funding_amount,
        summary.implementation.total.figures.funding_amount,
    )
    fire(application, "approve_implementation", officer)

    assert figures_everywhere(application.round, officer) == expect(
        summary.total.figures.funding_amount, 0
    )


def test_committed_declined_implementation_counts_nowhere(budget, manager_a, officer):
    application = fire(budget.application, "propose_implementation", manager_a)
    fire(application, "decline_implementation", officer, "Partners abroad not committed.")
    summary = budget_summary(application)

    assert figures_everywhere(application.round, officer) == expect(
        summary.concept.total.figures.funding_amount, 0
    )
    assert round_overview(application.round).committed.funding_amount < (
        summary.total.figures.funding_amount
    )


def test_committed_withdrawn_application_commits_nothing(application_a, manager_a, officer):
    management = application_a.cluster.management_organisation
    budget_lines_write(
        application=application_a, writes=concept_lines(application_a, management), by=manager_a
    )
    selected = select(application_a, manager=manager_a, officer=officer)
    concept = budget_summary(selected).concept.total.figures.funding_amount
    assert figures_everywhere(selected.round, officer) == expect(concept, 0)

    fire(selected, "withdraw", manager_a, "We cannot staff the concept phase.")

    assert figures_everywhere(selected.round, officer) == expect(0, 0)
