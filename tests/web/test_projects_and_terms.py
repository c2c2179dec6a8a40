"""R&D projects and their partners, and the grantees' funding terms, through the portal's
forms; the services' refusals appear at the field with the rule and the numbers."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.states import State
from budgets.models import GranteeTerms, ProjectPartner, RDProject
from budgets.services import grantee_terms_ensure

from ..applications.conftest import rd_project_add
from ..factories import CompanyFactory, OrganisationFactory, PartnerAbroadFactory
from .conftest import browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(application_a, to_state):
    """In the concept phase: R&D projects may be planned."""
    return to_state(application_a, State.CONCEPT_PHASE)


def project_data(application, **changes) -> dict[str, str]:
    start = application.implementation_start_on
    data = {
        "title": "Photonic sensors",
        "description": "With CEA-Leti.",
        "start_month": f"{start.year}-{start.month:02}",
        "end_month": f"{start.year + 2}-12",
    }
    return {**data, **changes}


def test_manager_adds_a_project_with_months(manager_a, concept):
    response = browser(manager_a).post(
        reverse("budgets:projects", args=[concept.pk]), project_data(concept)
    )
    project = RDProject.objects.get(application=concept)
    assert response["Location"] == reverse("budgets:project", args=[concept.pk, project.pk])
    assert project.start_month == concept.implementation_start_on.replace(day=1)
    assert project.end_month == date(concept.implementation_start_on.year + 2, 12, 1)


def test_a_fourth_project_is_refused_with_the_numbers(manager_a, concept):
    for number in range(3):
        rd_project_add(concept, manager_a, title=f"Project {number}")
    response = browser(manager_a).post(
        reverse("budgets:projects", args=[concept.pk]), project_data(concept, title="Fourth")
    )
    [error] = response.context["form"].non_field_errors()
    # 4 projects, 1 more than the 3 allowed.
    assert re.findall(r"\d+", error) == ["4", "1", "3"]
    assert RDProject.objects.filter(application=concept).count() == 3


def test_a_project_outside_the_phase_is_refused_at_its_dates(manager_a, concept):
    late = concept.implementation_end_on.year + 1
    response = browser(manager_a).post(
        reverse("budgets:projects", args=[concept.pk]),
        project_data(concept, end_month=f"{late}-06"),
    )
    assert "start_month" in response.context["form"].errors
    assert not RDProject.objects.filter(application=concept).exists()


def test_project_months_are_refused_when_not_months(manager_a, concept):
    response = browser(manager_a).post(
        reverse("budgets:projects", args=[concept.pk]), project_data(concept, end_month="soon")
    )
    assert "end_month" in response.context["form"].errors


def test_manager_renames_a_project(manager_a, concept):
    project = rd_project_add(concept, manager_a)
    browser(manager_a).post(
        reverse("budgets:project", args=[concept.pk, project.pk]),
        project_data(concept, title="Renamed"),
    )
    project.refresh_from_db()
    assert project.title == "Renamed"


def test_manager_deletes_a_project_with_its_budget(manager_a, concept):
    project = rd_project_add(concept, manager_a)
    browser(manager_a).post(reverse("budgets:project-delete", args=[concept.pk, project.pk]))
    assert not RDProject.objects.filter(pk=project.pk).exists()
    assert not concept.budget_lines.filter(rd_project_id=project.pk).exists()


def test_manager_adds_a_lead_partner(manager_a, concept):
    project = rd_project_add(concept, manager_a, german_partner=False, partner_abroad=False)
    university = OrganisationFactory(name="TU Dresden")
    browser(manager_a).post(
        reverse("budgets:partner-add", args=[concept.pk, project.pk]),
        {"organisation": university.pk, "is_lead": "on"},
    )
    partner = ProjectPartner.objects.get(project=project)
    assert (partner.organisation, partner.is_lead) == (university, True)
    # The partner's terms start from the programme's defaults for universities.
    terms = GranteeTerms.objects.get(application=concept, organisation=university)
    assert (terms.basis, terms.funding_rate, terms.has_projektpauschale) == (
        "AZA",
        Decimal("100.00"),
        True,
    )


def test_a_partner_with_budget_lines_cannot_be_removed(manager_a, concept):
    project = rd_project_add(concept, manager_a)
    partner = project.partners.get(is_lead=True)
    response = browser(manager_a).post(
        reverse("budgets:partner-remove", args=[concept.pk, project.pk, partner.pk]), follow=True
    )
    assert partner.organisation.name in response.content.decode()
    assert ProjectPartner.objects.filter(pk=partner.pk).exists()


def test_a_partner_without_lines_is_removed(manager_a, concept):
    project = rd_project_add(concept, manager_a)
    abroad = project.partners.get(organisation__country="FR")
    browser(manager_a).post(
        reverse("budgets:partner-remove", args=[concept.pk, project.pk, abroad.pk])
    )
    assert not ProjectPartner.objects.filter(pk=abroad.pk).exists()


def test_a_project_of_another_application_is_not_found(manager_a, concept, application_a):
    project = rd_project_add(concept, manager_a)
    other_pk = concept.pk + 1000
    url = reverse("budgets:project", args=[other_pk, project.pk])
    assert browser(manager_a).get(url).status_code == 404


def terms_url(application, organisation) -> str:
    return reverse("budgets:terms-set", args=[application.pk, organisation.pk])


def terms_data(organisation, **changes) -> dict[str, str]:
    prefix = f"terms-{organisation.pk}"
    data = {"basis": "AZK", "funding_rate": "60.00", "has_projektpauschale": ""}
    data.update(changes)
    return {f"{prefix}-{key}": value for key, value in data.items() if value != ""}


def test_terms_page_lists_the_grantees_with_their_defaults(manager_a, concept):
    project = rd_project_add(concept, manager_a)
    company = project.partners.get(is_lead=True).organisation
    response = browser(manager_a).get(reverse("budgets:terms", args=[concept.pk]))
    rows = {organisation: terms for organisation, terms, *_rest in response.context["rows"]}
    assert set(rows) == {concept.cluster.management_organisation, company}
    assert rows[company].funding_rate == Decimal("70.00")


def test_officer_sets_a_grantees_rate_in_german(officer, concept, manager_a):
    project = rd_project_add(concept, manager_a)
    company = project.partners.get(is_lead=True).organisation
    browser(officer, "de").post(
        terms_url(concept, company), terms_data(company, funding_rate="55,5")
    )
    terms = GranteeTerms.objects.get(application=concept, organisation=company)
    assert terms.funding_rate == Decimal("55.50")


def test_projektpauschale_for_a_company_is_refused_at_the_field(officer, concept, manager_a):
    project = rd_project_add(concept, manager_a)
    company = project.partners.get(is_lead=True).organisation
    response = browser(officer).post(
        terms_url(concept, company),
        terms_data(company, basis="AZA", has_projektpauschale="on"),
    )
    [form] = [form for org, _terms, form, _warning in response.context["rows"] if org == company]
    assert company.name in form.errors["has_projektpauschale"][0]
    terms = GranteeTerms.objects.get(application=concept, organisation=company)
    assert (terms.basis, terms.has_projektpauschale) == ("AZK", False)


def test_terms_of_an_organisation_outside_the_application_are_not_found(officer, concept):
    stranger = CompanyFactory()
    response = browser(officer).post(terms_url(concept, stranger), terms_data(stranger))
    assert response.status_code == 404
    assert not GranteeTerms.objects.filter(organisation=stranger).exists()


def test_partner_abroad_cannot_be_given_a_rate(officer, concept, manager_a):
    project = rd_project_add(concept, manager_a)
    abroad = PartnerAbroadFactory()
    grantee_terms_ensure(concept, abroad, by=manager_a)
    ProjectPartner.objects.create(project=project, organisation=abroad)
    response = browser(officer).post(terms_url(concept, abroad), terms_data(abroad))
    # Only German partners are grantees: the abroad partner has no terms form at all.
    assert response.status_code == 404
    assert GranteeTerms.objects.get(organisation=abroad).funding_rate == Decimal("0.00")
