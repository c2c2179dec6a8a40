"""Partner organisations in the portal: a cluster management proposes the organisation it needs
from the project page and makes it a partner; the searchable picker lists the cluster's own
partners and proposals first, marks proposals not confirmed yet, and never offers another
cluster's; grantee terms above the programme's default need a reason, which officers see as a
warning; partner regions take ISO 3166 countries only."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from applications.project_views import RATE_ABOVE_DEFAULT
from applications.states import State
from budgets.models import GranteeTerms, ProjectPartner
from budgets.selectors import PICKER_LIMIT
from kernel.money import format_percent
from programmes.models import Organisation
from programmes.services import DUPLICATE, organisation_confirm, organisation_propose

from ..applications.conftest import rd_project_add
from ..factories import CompanyFactory, OrganisationFactory
from .conftest import browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(application_a, to_state):
    return to_state(application_a, State.CONCEPT_PHASE)


@pytest.fixture
def project(concept, manager_a):
    return rd_project_add(concept, manager_a)


def propose_url(project):
    return reverse("budgets:organisation-propose", args=[project.application_id, project.pk])


def project_url(project, query=""):
    return reverse("budgets:project", args=[project.application_id, project.pk]) + query


def proposal_data(**changes):
    return {
        "name": "Fraunhofer ENAS",
        "legal_form": "research_institute",
        "size_class": "",
        "country": "DE",
        "city": "Chemnitz",
        "register_number": "",
        "vat_number": "",
    } | changes


def propose(by, name, **fields):
    values = {"legal_form": "university", "size_class": "", "country": "DE", "city": "Jena"}
    return organisation_propose(name=name, by=by, **(values | fields))


def picker_groups(page: str) -> dict[str, list[str]]:
    """The picker's option groups: label → option texts."""
    start = page.index('<select name="organisation"')
    select = page[start : page.index("</select>", start)]
    groups = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S):
        groups[label] = [
            text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", body)
        ]
    return groups


def test_the_project_page_links_to_the_proposal_form(manager_a, project):
    page = browser(manager_a).get(project_url(project)).content.decode()
    assert propose_url(project) in page


def test_a_manager_proposes_an_organisation_and_makes_it_a_partner(manager_a, cluster_a, project):
    client = browser(manager_a)
    response = client.post(propose_url(project), proposal_data())
    organisation = Organisation.objects.get(name="Fraunhofer ENAS")
    assert organisation.proposed_by_cluster == cluster_a
    assert not organisation.is_confirmed
    assert response.status_code == 302
    assert response["Location"] == project_url(
        project, f"?organisation={organisation.pk}#add-partner"
    )

    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{organisation.pk}" selected>' in page
    client.post(
        reverse("budgets:partner-add", args=[project.application_id, project.pk]),
        {"organisation": organisation.pk},
    )
    assert ProjectPartner.objects.filter(project=project, organisation=organisation).exists()
    page = client.get(project_url(project)).content.decode()
    assert "proposal, not confirmed yet" in page


def test_a_duplicate_proposal_is_refused_at_the_name_with_a_pointer(manager_a, project):
    existing = OrganisationFactory(
        name="Fraunhofer ENAS", legal_form="research_institute", city="Chemnitz"
    )
    response = browser(manager_a).post(
        propose_url(project), proposal_data(name="fraunhofer  enas e.V.")
    )
    pointer = DUPLICATE % {"name": "Fraunhofer ENAS", "city": "Chemnitz", "id": existing.pk}
    assert response.context["form"].errors["name"] == [pointer]
    assert Organisation.objects.filter(name_key="fraunhoferenas").count() == 1


def test_a_proposal_in_country_xx_is_refused_at_the_field(manager_a, project):
    response = browser(manager_a).post(propose_url(project), proposal_data(country="XX"))
    assert "country" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Fraunhofer ENAS").exists()


def test_the_picker_lists_the_clusters_own_partners_and_proposals_first(
    manager_a, manager_b, project
):
    company = project.partners.get(is_lead=True).organisation
    propose(manager_a, "Universität Jena")
    other = OrganisationFactory(name="Aalen University", city="Aalen")
    hidden = propose(manager_b, "Hochschule Bremen", city="Bremen")
    page = browser(manager_a).get(project_url(project)).content.decode()
    groups = picker_groups(page)
    assert list(groups) == ["Partners and proposals of the cluster", "Other organisations"]
    first = groups["Partners and proposals of the cluster"]
    assert any(text.startswith(company.name) for text in first)
    assert any(
        text.startswith(project.application.cluster.management_organisation.name) for text in first
    )
    assert "Universität Jena (Jena, DE) – proposed by Cluster A, not confirmed yet" in first
    assert "Aalen University (Aalen, DE)" in groups["Other organisations"]
    assert hidden.name not in page
    assert other.name not in " ".join(first)


def test_the_picker_is_searchable(manager_a, project):
    OrganisationFactory(name="Aalen University", city="Aalen")
    OrganisationFactory(name="Hochschule Zittau", city="Görlitz")
    groups = picker_groups(
        browser(manager_a).get(project_url(project, "?q=görlitz")).content.decode()
    )
    assert groups == {"Other organisations": ["Hochschule Zittau (Görlitz, DE)"]}


def test_the_picker_lists_only_the_first_matches_of_many(manager_a, project):
    for number in range(PICKER_LIMIT + 1):
        OrganisationFactory(name=f"Institut {number:03}")
    page = browser(manager_a).get(project_url(project, "?q=institut")).content.decode()
    assert len(picker_groups(page)["Other organisations"]) == PICKER_LIMIT
    assert "search to find others" in page


def test_an_officer_sees_proposals_marked_and_confirms_them_in_the_admin(
    officer, manager_a, manager_b, project
):
    proposal = propose(manager_a, "Universität Jena")
    page = browser(officer).get(project_url(project)).content.decode()
    assert "Universität Jena (Jena, DE) – proposed by Cluster A, not confirmed yet" in page
    response = browser(officer).post(
        reverse("admin:programmes_organisation_changelist"),
        {"action": "confirm", "_selected_action": [proposal.pk]},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.confirmed_by == officer
    assert proposal.history.latest().history_user == officer


def test_another_clusters_proposal_is_offered_only_once_confirmed(
    manager_a, manager_b, officer, project
):
    proposal = propose(manager_b, "Hochschule Bremen", city="Bremen")
    add = reverse("budgets:partner-add", args=[project.application_id, project.pk])
    response = browser(manager_a).post(add, {"organisation": proposal.pk})
    assert "organisation" in response.context["partner_form"].errors
    assert not ProjectPartner.objects.filter(organisation=proposal).exists()

    organisation_confirm(organisation=proposal, by=officer)
    assert (
        "Hochschule Bremen (Bremen, DE)"
        in browser(manager_a).get(project_url(project)).content.decode()
    )
    browser(manager_a).post(add, {"organisation": proposal.pk})
    assert ProjectPartner.objects.filter(project=project, organisation=proposal).exists()


def test_the_picker_takes_as_many_queries_for_many_organisations_as_for_few(
    manager_a, manager_b, project
):
    client = browser(manager_a)
    url = project_url(project)

    def add(number):
        OrganisationFactory()
        propose(manager_a, f"Proposal A{number}")
        propose(manager_b, f"Proposal B{number}")

    add(0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    for number in range(1, 11):
        add(number)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content.decode()
    assert large.count("<option") == small.count("<option") + 20
    assert len(many) == len(few)


def terms_url(application, organisation):
    return reverse("budgets:terms-set", args=[application.pk, organisation.pk])


def terms_data(organisation, **changes):
    data = {"basis": "AZK", "funding_rate": "80.00", "rate_reason": ""} | changes
    return {f"terms-{organisation.pk}-{key}": value for key, value in data.items() if value}


def test_a_rate_above_the_default_without_a_reason_is_refused_at_the_reason(manager_a, project):
    company = project.partners.get(is_lead=True).organisation
    response = browser(manager_a).post(terms_url(project.application, company), terms_data(company))
    [form] = [form for org, _terms, form, _warning in response.context["rows"] if org == company]
    [message] = form.errors["rate_reason"]
    assert "80.00" in message
    assert "70.00" in message
    stored = GranteeTerms.objects.get(application=project.application, organisation=company)
    assert stored.funding_rate == Decimal("70.00")


def test_a_rate_above_the_default_with_a_reason_is_saved_and_officers_see_it(
    manager_a, officer, auditor, project
):
    company = project.partners.get(is_lead=True).organisation
    reason = "A start-up in its first year."
    browser(manager_a).post(
        terms_url(project.application, company), terms_data(company, rate_reason=reason)
    )
    stored = GranteeTerms.objects.get(application=project.application, organisation=company)
    assert (stored.funding_rate, stored.rate_reason) == (Decimal("80.00"), reason)

    warning = RATE_ABOVE_DEFAULT % {
        "rate": format_percent(Decimal("80.00")),
        "default": format_percent(Decimal("70.00")),
        "reason": reason,
    }
    url = reverse("budgets:terms", args=[project.application_id])
    for user in (officer, auditor):
        rows = browser(user).get(url).context["rows"]
        assert [w for org, _terms, _form, w in rows if org == company] == [warning]
        page = browser(user).get(url).content.decode()
        assert f'<p class="warning">{escape(warning)}</p>' in page
    rows = browser(manager_a).get(url).context["rows"]
    assert [w for org, _terms, _form, w in rows if org == company] == [None]


def test_a_partner_region_in_country_xx_is_refused_on_the_page(manager_a, application_a):
    response = browser(manager_a).post(
        reverse("applications:region-add", args=[application_a.pk]),
        {
            "region-country": "XX",
            "region-region": "Nowhere",
            "region-partner_name": "Nobody",
            "region-is_known_partner": "False",
        },
    )
    assert set(response.context["region_form"].errors) == {"country"}
    assert not application_a.partner_regions.filter(region="Nowhere").exists()


def test_the_partner_region_form_offers_countries_by_name(manager_a, application_a):
    page = browser(manager_a, "de").get(reverse("applications:edit", args=[application_a.pk]))
    assert '<option value="JP">Japan</option>' in page.content.decode()
    assert '<option value="FR">Frankreich</option>' in page.content.decode()


def test_a_company_proposal_is_listed_with_its_city(manager_a, project):
    CompanyFactory(name="Optik Jena GmbH", city="Jena")
    page = browser(manager_a).get(project_url(project, "?q=optik")).content.decode()
    assert picker_groups(page) == {"Other organisations": ["Optik Jena GmbH (Jena, DE)"]}


def test_an_officers_rename_in_the_admin_is_checked_for_duplicates(officer):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    other = CompanyFactory(name="Optik Jena GmbH", city="Jena")
    url = reverse("admin:programmes_organisation_change", args=[other.pk])
    form = browser(officer).get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = browser(officer).post(url, data | {"name": "Sensorik Dresden AG"})
    assert response.status_code == 200
    expected = DUPLICATE % {"name": existing.name, "city": "Dresden", "id": existing.pk}
    assert response.context["adminform"].form.errors["name"] == [expected]
    other.refresh_from_db()
    assert other.name == "Optik Jena GmbH"

    response = browser(officer).post(url, data | {"name": "Optik Jena AG"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.name, other.history.latest().history_user) == ("Optik Jena AG", officer)


def test_an_organisation_added_in_the_admin_is_confirmed_by_the_officer(officer):
    CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    url = reverse("admin:programmes_organisation_add")
    data = {
        "name": "Optik Jena GmbH",
        "legal_form": "company",
        "size_class": "small",
        "country": "DE",
        "city": "Jena",
    }
    assert browser(officer).post(url, data).status_code == 302
    added = Organisation.objects.get(name="Optik Jena GmbH")
    assert (added.confirmed_by, added.is_confirmed) == (officer, True)
    refused = browser(officer).post(url, data | {"name": "sensorik dresden"})
    assert "exists already" in refused.context["adminform"].form.errors["name"][0]
