"""The budget as everyone reads it: the summary per phase, grantee, position and year, every cap
with its headroom, what the plan still lacks; edit links only for those who may write."""

import pytest
from django.urls import reverse

from applications.states import State

from ..applications.conftest import CONCEPT_AMOUNT_PER_YEAR, IMPLEMENTATION_AMOUNT, rd_project_add
from ..budgets.support import cents, funding_cents
from .conftest import browser
from .test_budget_grid import CONCEPT_CAP_CENTS, SMALL_COMPANY_RATE, container, eur_en

pytestmark = pytest.mark.django_db

CLUSTER_CAP_CENTS = 4_000_000_00
IMPLEMENTATION_CAP_CENTS = 3_000_000_00


@pytest.fixture
def planned(application_a, to_state, manager_a):
    """Concept phase with two concept years of 100,000.00 and one R&D project whose small
    company has one line of 100,000.00 (at 70 %)."""
    application = to_state(application_a, State.CONCEPT_PHASE)
    rd_project_add(application, manager_a)
    return application


def test_caps_panel_shows_every_cap_with_its_headroom(officer, planned):
    page = browser(officer).get(reverse("budgets:overview", args=[planned.pk])).content.decode()
    concept_year = cents(CONCEPT_AMOUNT_PER_YEAR)
    implementation = funding_cents(
        cents(IMPLEMENTATION_AMOUNT), SMALL_COMPANY_RATE, has_projektpauschale=False
    )
    year = planned.concept_start_on.year
    assert eur_en(CONCEPT_CAP_CENTS - concept_year) in container(page, f"headroom-concept-{year}")
    assert eur_en(implementation) in container(page, "used-implementation")
    assert eur_en(IMPLEMENTATION_CAP_CENTS - implementation) in container(
        page, "headroom-implementation"
    )
    both = 2 * concept_year + implementation
    assert eur_en(CLUSTER_CAP_CENTS - both) in container(page, "headroom-cluster")


def test_overview_shows_each_project_and_grantee(auditor, planned):
    project = planned.rd_projects.get()
    company = project.partners.get(is_lead=True).organisation
    page = browser(auditor).get(reverse("budgets:overview", args=[planned.pk])).content.decode()
    assert project.title in page
    assert company.name in page
    assert "0837" in page


def test_auditor_sees_no_edit_links(auditor, planned):
    page = browser(auditor).get(reverse("budgets:overview", args=[planned.pk])).content.decode()
    project = planned.rd_projects.get()
    assert reverse("budgets:project-grid", args=[planned.pk, project.pk]) not in page
    assert reverse("applications:edit", args=[planned.pk]) not in page


def test_manager_gets_the_link_to_the_open_budget_only(manager_a, planned):
    page = browser(manager_a).get(reverse("budgets:overview", args=[planned.pk])).content.decode()
    project = planned.rd_projects.get()
    assert reverse("budgets:project-grid", args=[planned.pk, project.pk]) in page
    assert reverse("budgets:concept-grid", args=[planned.pk]) not in page  # frozen


def test_overview_says_what_the_plan_still_lacks(manager_a, application_a, to_state):
    application = to_state(application_a, State.CONCEPT_PHASE)
    page = browser(manager_a).get(reverse("budgets:overview", args=[application.pk]))
    gaps = [violation.rule for violation in page.context["implementation_gaps"]]
    assert "no_rd_projects" in gaps
    assert "Before the implementation can be proposed" in page.content.decode()


def test_detail_page_shows_the_caps_panel(officer, planned):
    page = browser(officer).get(reverse("applications:detail", args=[planned.pk]))
    assert 'id="headroom-cluster"' in page.content.decode()
