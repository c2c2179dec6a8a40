"""The organisations over the API: cluster managements propose, officers add and confirm,
another cluster's proposal is absent (404) until it is confirmed; the proposal serves as a
partner in the cluster's own R&D project; rates above the default need a reason; countries are
ISO 3166 codes."""

from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.services import RATE_REASON_REQUIRED
from programmes.models import Organisation
from programmes.services import DUPLICATE, organisation_propose

from ..factories import CompanyFactory
from .support import call

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"
numbers = count(1)


def proposal_body(**changes):
    return {
        "name": "Fraunhofer ENAS",
        "legal_form": "research_institute",
        "country": "DE",
        "city": "Chemnitz",
        "register_number": "VR 1234",
    } | changes


def ids(client, url=ORGANISATIONS):
    return {row["id"] for row in call(client, "get", url + "?page_size=500", expect=200)["results"]}


def test_a_cluster_management_proposes_and_another_cluster_sees_it_only_once_confirmed(
    api_as, manager_a, cluster_a
):
    manager, other, ministry = api_as("manager_a"), api_as("manager_b"), api_as("officer")
    proposed = call(manager, "post", ORGANISATIONS, proposal_body(), expect=201)
    assert proposed["proposed_by_cluster"] == cluster_a.pk
    assert proposed["is_confirmed"] is False
    assert proposed["register_number"] == "VR 1234"
    url = f"{ORGANISATIONS}{proposed['id']}/"

    assert call(manager, "get", url, expect=200)["name"] == "Fraunhofer ENAS"
    call(other, "get", url, expect=404)
    assert proposed["id"] not in ids(other)
    assert proposed["id"] in ids(manager)
    assert proposed["id"] in ids(ministry)
    assert proposed["id"] in ids(ministry, ORGANISATIONS + "?is_confirmed=false&")

    confirmed = call(ministry, "post", url + "confirm/", {}, expect=200)
    assert confirmed["is_confirmed"] is True
    assert call(other, "get", url, expect=200)["is_confirmed"] is True
    assert proposed["id"] in ids(other)


def test_an_officers_organisation_is_confirmed_at_once(api_as):
    added = call(api_as("officer"), "post", ORGANISATIONS, proposal_body(), expect=201)
    assert added["is_confirmed"] is True
    assert added["proposed_by_cluster"] is None


def test_a_cluster_management_may_not_change_an_organisation(api_as):
    company = CompanyFactory(city="Dresden")
    response = api_as("manager_a").patch(
        f"{ORGANISATIONS}{company.pk}/", {"city": "Jena"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "officers_only"
    company.refresh_from_db()
    assert company.city == "Dresden"


@pytest.mark.parametrize(
    "name",
    ["Sensorik Dresden GmbH", "sensorik dresden", "Sensorik Dresden AG", "SENSORIK DRESDEN SE"],
)
def test_a_duplicate_is_refused_with_a_pointer(api_as, name):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    body = proposal_body(name=name, legal_form="company", size_class="small")
    answer = call(api_as("manager_a"), "post", ORGANISATIONS, body, expect=400)
    assert answer["code"] == "duplicate_organisation"
    pointer = DUPLICATE % {"name": existing.name, "city": "Dresden", "id": existing.pk}
    assert answer["fields"] == {"name": [pointer]}
    assert Organisation.objects.filter(name_key="sensorikdresden").count() == 1


@pytest.mark.parametrize("field", ["country"])
def test_an_unknown_country_is_refused_naming_the_field(api_as, field):
    answer = call(
        api_as("manager_a"), "post", ORGANISATIONS, proposal_body(country="XX"), expect=400
    )
    assert set(answer["fields"]) == {field}
    assert not Organisation.objects.filter(name="Fraunhofer ENAS").exists()


def test_a_proposal_serves_as_partner_in_the_clusters_project(world, api_as, manager_a):
    body = proposal_body(name="Technische Universität Chemnitz", legal_form="university")
    proposed = call(api_as("manager_a"), "post", ORGANISATIONS, body, expect=201)
    partners = f"/api/v1/applications/{world.concept.pk}/projects/{world.project.pk}/partners/"
    added = call(
        api_as("manager_a"), "post", partners, {"organisation": proposed["id"]}, expect=201
    )
    assert added["organisation_name"] == "Technische Universität Chemnitz"
    assert world.project.partners.filter(organisation_id=proposed["id"]).exists()


def test_another_clusters_proposal_is_unknown_as_a_partner(world, api_as, manager_b):
    proposal = organisation_propose(
        name="Optik Jena GmbH",
        legal_form="company",
        size_class="small",
        country="DE",
        city="Jena",
        by=manager_b,
    )
    partners = f"/api/v1/applications/{world.concept.pk}/projects/{world.project.pk}/partners/"
    for persona in ("manager_a", "officer"):
        answer = call(api_as(persona), "post", partners, {"organisation": proposal.pk}, expect=400)
        assert set(answer["fields"]) == {"organisation"}
    assert not world.project.partners.filter(organisation=proposal).exists()


def terms_url(world):
    return f"/api/v1/applications/{world.concept.pk}/grantee-terms/{world.terms.pk}/"


def test_a_rate_above_the_default_needs_a_reason(world, api_as):
    client = api_as("manager_a")
    answer = call(client, "patch", terms_url(world), {"funding_rate": "80.00"}, expect=400)
    assert answer["code"] == "rate_reason_required"
    expected = RATE_REASON_REQUIRED % {
        "rate": "80.00\N{NO-BREAK SPACE}%",
        "grantee": world.company.name,
        "default": "70.00\N{NO-BREAK SPACE}%",
    }
    assert answer["fields"] == {"rate_reason": [expected]}
    assert call(client, "get", terms_url(world), expect=200)["funding_rate"] == "70.00"

    body = {"funding_rate": "80.00", "rate_reason": "A start-up in its first year."}
    changed = call(client, "patch", terms_url(world), body, expect=200)
    assert (changed["funding_rate"], changed["rate_reason"]) == (
        "80.00",
        "A start-up in its first year.",
    )
    # What a change leaves out stays: the reason goes on with the rate.
    kept = call(api_as("officer"), "patch", terms_url(world), {"basis": "AZK"}, expect=200)
    assert kept["rate_reason"] == "A start-up in its first year."


def test_another_cluster_cannot_change_the_terms(world, api_as):
    call(api_as("manager_b"), "patch", terms_url(world), {"funding_rate": "60.00"}, expect=404)
    assert call(api_as("officer"), "get", terms_url(world), expect=200)["funding_rate"] == "70.00"


def test_a_partner_region_in_country_xx_is_refused(world, api_as):
    url = f"/api/v1/applications/{world.draft.pk}/partner-regions/"
    body = {"country": "XX", "region": "Nowhere", "partner_name": "Nobody"}
    answer = call(api_as("manager_a"), "post", url, body, expect=400)
    assert set(answer["fields"]) == {"country"}
    assert not world.draft.partner_regions.filter(region="Nowhere").exists()
    body["country"] = "jp"
    assert call(api_as("manager_a"), "post", url, body, expect=201)["country"] == "JP"


def add_organisations(manager):
    """A confirmed organisation and a proposal of the manager's cluster."""
    CompanyFactory()
    organisation_propose(
        name=f"Proposal {next(numbers)}",
        legal_form="university",
        size_class="",
        country="FR",
        city="Lyon",
        by=manager,
    )


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "officer"])
def test_the_list_takes_as_many_queries_for_many_organisations_as_for_few(
    request, api_as, manager_a, persona
):
    client = api_as(persona)
    request.getfixturevalue(persona)
    add_organisations(manager_a)
    call(client, "get", ORGANISATIONS, expect=200)  # reads the user's roles
    with CaptureQueriesContext(connection) as few:
        small = call(client, "get", ORGANISATIONS, expect=200)
    for _ in range(10):
        add_organisations(manager_a)
    with CaptureQueriesContext(connection) as many:
        large = call(client, "get", ORGANISATIONS, expect=200)
    grown = 10 if persona == "manager_b" else 20
    assert large["count"] == small["count"] + grown
    assert len(many) == len(few)


def test_an_officers_rename_into_a_duplicate_is_refused_with_the_pointer(api_as):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    other = CompanyFactory(name="Optik Jena GmbH", city="Jena")
    refused = call(
        api_as("officer"),
        "patch",
        f"{ORGANISATIONS}{other.pk}/",
        {"name": "SENSORIK DRESDEN AG"},
        expect=400,
    )
    expected = DUPLICATE % {"name": existing.name, "city": "Dresden", "id": existing.pk}
    assert expected in str(refused)
    other.refresh_from_db()
    assert other.name == "Optik Jena GmbH"
