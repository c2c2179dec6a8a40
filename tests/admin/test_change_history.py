"""The back office shows the history of grantee terms, R&D projects, partners and organisations
to officers and auditors, reverts nothing, and names the officer of each admin write; a save
that changes nothing writes no history row."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from budgets.models import GranteeTerms, ProjectPartner, RDProject
from budgets.services import grantee_terms_set, project_partner_add, rd_project_create
from programmes.models import Organisation

from ..budgets.support import start_concept_phase
from ..factories import CompanyFactory, OrganisationFactory
from .conftest import form_data, logged_in

pytestmark = pytest.mark.django_db


def url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@dataclass(frozen=True)
class Changed:
    """A project with a partner whose terms an officer changed after the cluster set them up."""

    project: RDProject
    partner: ProjectPartner
    terms: GranteeTerms
    organisation: Organisation


@pytest.fixture
def changed(application_a, manager_a, officer) -> Changed:
    application = start_concept_phase(application_a, manager=manager_a, officer=officer)
    start = application.implementation_start_on.replace(day=1)
    project = rd_project_create(
        application=application,
        title="Sensor networks",
        start_month=start,
        end_month=date(start.year + 1, 12, 1),
        by=manager_a,
    )
    company = CompanyFactory(name="Sensorik Dresden GmbH")
    partner = project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)
    terms = grantee_terms_set(
        application=application,
        organisation=company,
        basis="AZK",
        funding_rate=Decimal("55.00"),
        has_projektpauschale=False,
        by=officer,
    )
    return Changed(project, partner, terms, company)


def objects(changed: Changed) -> list[Any]:
    return [changed.terms, changed.project, changed.partner, changed.organisation]


@pytest.mark.parametrize("persona", ["officer", "auditor"])
@pytest.mark.parametrize("index", range(4), ids=["terms", "project", "partner", "organisation"])
def test_history_page_shows_each_change_to_officers_and_auditors(request, changed, persona, index):
    obj = objects(changed)[index]
    client = logged_in(request.getfixturevalue(persona))

    response = client.get(url(type(obj), "history", obj.pk))

    assert response.status_code == 200
    records = list(response.context["page_obj"].object_list)
    assert len(records) == obj.history.count() >= 1
    assert response.context["revert_disabled"] is True


def test_history_page_of_terms_names_who_changed_the_rate(officer_client, changed, manager_a):
    response = officer_client.get(url(GranteeTerms, "history", changed.terms.pk))

    page = response.content.decode()
    assert "olga-officer" in page
    assert manager_a.username in page  # the terms were created with the partner
    assert "55.00" in page


@pytest.mark.parametrize("index", range(4), ids=["terms", "project", "partner", "organisation"])
def test_a_version_is_shown_but_not_reverted(officer_client, changed, index):
    obj = objects(changed)[index]
    first = obj.history.order_by("history_date", "history_id").first()
    version = url(type(obj), "simple_history", obj.pk, first.history_id)
    count = obj.history.count()

    assert officer_client.get(version).status_code == 200
    assert officer_client.post(version, {}).status_code == 403
    assert obj.history.count() == count


@pytest.mark.parametrize(
    "model", [GranteeTerms, RDProject, ProjectPartner, Organisation], ids=lambda m: m.__name__
)
def test_history_list_is_read_only_for_officers_and_auditors(changed, auditor, officer, model):
    history = model.history.model
    row = history.objects.order_by("history_id").first()
    for user in (officer, auditor):
        client = logged_in(user)
        assert client.get(url(history, "changelist")).status_code == 200
        assert client.get(url(history, "add")).status_code == 403
        assert client.post(url(history, "change", row.history_id), {}).status_code == 403
        assert client.post(url(history, "delete", row.history_id), {"post": "yes"}).status_code == (
            403
        )
    assert history.objects.filter(history_id=row.history_id).exists()


def test_terms_saved_unchanged_in_the_admin_write_no_history_row(officer_client, changed):
    page = officer_client.get(url(GranteeTerms, "change", changed.terms.pk))
    count = changed.terms.history.count()

    response = officer_client.post(url(GranteeTerms, "change", changed.terms.pk), form_data(page))

    assert response.status_code == 302
    assert changed.terms.history.count() == count


def test_terms_changed_in_the_admin_name_the_officer(officer_client, officer, changed):
    page = officer_client.get(url(GranteeTerms, "change", changed.terms.pk))
    data = {**form_data(page), "funding_rate": "45.00"}

    response = officer_client.post(url(GranteeTerms, "change", changed.terms.pk), data)

    assert response.status_code == 302
    latest = changed.terms.history.order_by("history_date", "history_id").last()
    assert (latest.history_type, latest.history_user, latest.funding_rate) == (
        "~",
        officer,
        Decimal("45.00"),
    )


def test_project_saved_unchanged_in_the_admin_writes_no_history_row(officer_client, changed):
    page = officer_client.get(url(RDProject, "change", changed.project.pk))
    count = changed.project.history.count()

    response = officer_client.post(url(RDProject, "change", changed.project.pk), form_data(page))

    assert response.status_code == 302
    assert changed.project.history.count() == count


def test_organisation_changed_in_the_admin_names_the_officer(officer_client, officer, changed):
    organisation = changed.organisation
    page = officer_client.get(url(Organisation, "change", organisation.pk))

    unchanged = officer_client.post(url(Organisation, "change", organisation.pk), form_data(page))
    assert unchanged.status_code == 302
    assert organisation.history.count() == 1  # only its creation

    data = {**form_data(page), "city": "Chemnitz"}
    assert officer_client.post(url(Organisation, "change", organisation.pk), data).status_code == (
        302
    )
    latest = organisation.history.order_by("history_date", "history_id").last()
    assert (latest.history_type, latest.history_user, latest.city) == ("~", officer, "Chemnitz")


def test_organisation_deleted_in_the_admin_keeps_its_history(officer_client, officer):
    organisation = OrganisationFactory()
    pk = organisation.pk

    response = officer_client.post(url(Organisation, "delete", pk), {"post": "yes"})

    assert response.status_code == 302
    deleted = Organisation.history.filter(id=pk).order_by("history_date", "history_id").last()
    assert (deleted.history_type, deleted.history_user) == ("-", officer)


def test_organisation_change_is_refused_to_auditor(auditor_client, changed):
    organisation = changed.organisation
    data = {"name": organisation.name, "legal_form": "company", "size_class": "small"}

    response = auditor_client.post(url(Organisation, "change", organisation.pk), data)

    assert response.status_code == 403
    assert organisation.history.count() == 1
