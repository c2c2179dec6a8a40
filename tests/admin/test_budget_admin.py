"""Budget writes in the back office go through ``budgets.services``: every rule runs, a broken
one is a form error (or an admin message) with its numbers, and nothing is written."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from budgets.models import BudgetLine, GranteeTerms, Phase, ProjectPartner, RDProject
from budgets.services import budget_line_save, project_partner_add, rd_project_create
from budgets.violations import Rule
from kernel.money import format_eur

from ..budgets.support import concept_line, start_concept_phase
from ..factories import ApplicationFactory, CompanyFactory, PartnerAbroadFactory, position
from .conftest import messages_of

pytestmark = pytest.mark.django_db

CAP_CENTS = 500_000_00  # InterSpiN: concept-phase grant per calendar year


def url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:budgets_{model._meta.model_name}_{view}", args=args)


def eur(amount_cents: int) -> str:
    """An amount as the English admin pages write it."""
    with translation.override("en"):
        return format_eur(Decimal(amount_cents).scaleb(-2))


def form_errors(response: Any) -> list[Any]:
    return list(response.context["adminform"].form.non_field_errors().as_data())


def concept_line_data(application: Any, amount_cents: int, **changes: Any) -> dict[str, Any]:
    """The add form of a concept-phase staff line of the cluster management (100 %, AZA)."""
    return {
        "application": application.pk,
        "phase": Phase.CONCEPT,
        "rd_project": "",
        "grantee": application.cluster.management_organisation.pk,
        "year": application.concept_start_on.year,
        "position": position("AZA", "0812").pk,
        "eligible_amount": str(Decimal(amount_cents).scaleb(-2)),
        "justification": "Two project managers",
        **changes,
    }


def test_budget_line_over_the_cap_is_a_form_error_and_writes_nothing(officer_client, application_a):
    over_cents = 1
    data = concept_line_data(application_a, CAP_CENTS + over_cents)
    response = officer_client.post(url(BudgetLine, "add"), data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert [error.code for error in errors] == [Rule.CONCEPT_ANNUAL_CAP]
    message = errors[0].messages[0]
    assert eur(over_cents) in message
    assert eur(CAP_CENTS) in message
    assert not BudgetLine.objects.exists()
    assert not BudgetLine.history.exists()


def test_budget_line_at_the_cap_is_saved_with_the_officer_in_its_history(
    officer_client, officer, application_a
):
    response = officer_client.post(
        url(BudgetLine, "add"), concept_line_data(application_a, CAP_CENTS)
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert line.eligible_amount * 100 == CAP_CENTS
    record = line.history.get()
    assert (record.history_type, record.history_user) == ("+", officer)


def test_budget_line_with_a_key_that_exists_is_refused_on_the_add_page(
    officer_client, officer, application_a
):
    concept_line(
        application_a,
        by=officer,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("1000.00"),
    )
    response = officer_client.post(
        url(BudgetLine, "add"), concept_line_data(application_a, 2000_00)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert BudgetLine.objects.get().eligible_amount == Decimal("1000.00")


def test_budget_line_change_over_the_cap_is_a_form_error(officer_client, officer, application_a):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("400000.00"))
    data = concept_line_data(application_a, CAP_CENTS + 2500)
    del data["application"]  # fixed once the line exists
    response = officer_client.post(url(BudgetLine, "change", line.pk), data)
    assert response.status_code == 200
    assert [error.code for error in form_errors(response)] == [Rule.CONCEPT_ANNUAL_CAP]
    line.refresh_from_db()
    assert line.eligible_amount == Decimal("400000.00")
    assert line.history.count() == 1


def test_budget_line_change_is_saved_through_the_service(officer_client, officer, application_a):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("400000.00"))
    data = concept_line_data(application_a, 450_000_00)
    del data["application"]
    response = officer_client.post(url(BudgetLine, "change", line.pk), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.eligible_amount == Decimal("450000.00")
    assert [r.history_type for r in line.history.order_by("history_date")] == ["+", "~"]


def test_budget_line_deleted_through_admin_keeps_its_history(
    officer_client, officer, application_a
):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("1000.00"))
    response = officer_client.post(url(BudgetLine, "delete", line.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not BudgetLine.objects.exists()
    deleted = BudgetLine.history.get(history_type="-")
    assert (deleted.id, deleted.history_user) == (line.pk, officer)


@pytest.fixture
def concept_phase(application_a, manager_a, officer):
    """Cluster A in the concept phase: its concept budget is frozen, its implementation open."""
    return start_concept_phase(application_a, manager=manager_a, officer=officer)


def test_budget_line_of_a_frozen_budget_cannot_be_deleted(officer_client, concept_phase):
    line = BudgetLine.objects.get(application=concept_phase, phase=Phase.CONCEPT)
    response = officer_client.post(url(BudgetLine, "delete", line.pk), {"post": "yes"})
    assert response.status_code == 302
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert not BudgetLine.history.filter(history_type="-").exists()
    [message] = messages_of(response)
    assert str(Phase.CONCEPT.label) in message


def test_budget_lines_bulk_deletion_is_all_or_nothing(
    officer_client, officer, concept_phase, open_round
):
    draft = ApplicationFactory(round=open_round)
    open_line = concept_line(
        draft, by=officer, year=draft.concept_start_on.year, eligible_amount=Decimal("10.00")
    )
    frozen_line = BudgetLine.objects.get(application=concept_phase)
    response = officer_client.post(
        url(BudgetLine, "changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [open_line.pk, frozen_line.pk],
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.filter(pk__in=[open_line.pk, frozen_line.pk]).count() == 2
    assert len(messages_of(response)) == 1


def test_budget_line_cannot_be_added_or_changed_by_auditor(auditor_client, officer, application_a):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("1000.00"))
    data = concept_line_data(application_a, 2000_00)
    assert auditor_client.post(url(BudgetLine, "add"), data).status_code == 403
    assert auditor_client.post(url(BudgetLine, "change", line.pk), data).status_code == 403
    assert (
        auditor_client.post(url(BudgetLine, "delete", line.pk), {"post": "yes"}).status_code == 403
    )
    line.refresh_from_db()
    assert line.eligible_amount == Decimal("1000.00")


def test_budget_line_history_is_readable_by_auditor(auditor_client, officer, application_a):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("1000.00"))
    response = auditor_client.get(url(BudgetLine, "history", line.pk))
    assert response.status_code == 200
    assert officer.username in response.content.decode()


def test_budget_line_history_cannot_be_reverted_in_admin(officer_client, officer, application_a):
    year = application_a.concept_start_on.year
    line = concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("1000.00"))
    first = line.history.get()
    budget_line_save(
        application=application_a,
        phase=Phase.CONCEPT,
        grantee=line.grantee,
        year=year,
        position=line.position,
        eligible_amount=Decimal("600000.00") / 2,
        by=officer,
    )
    revert = url(BudgetLine, "simple_history", line.pk, first.history_id)
    assert officer_client.get(revert).status_code == 200
    assert officer_client.post(revert, concept_line_data(application_a, 1000_00)).status_code == 403
    line.refresh_from_db()
    assert line.eligible_amount == Decimal("300000.00")


def test_grantee_terms_funding_a_partner_abroad_is_a_form_error(officer_client, application_a):
    partner = PartnerAbroadFactory()
    data = {
        "application": application_a.pk,
        "organisation": partner.pk,
        "basis": "AZK",
        "funding_rate": "50.00",
    }
    response = officer_client.post(url(GranteeTerms, "add"), data)
    assert response.status_code == 200
    assert [error.code for error in form_errors(response)] == [Rule.PARTNER_ABROAD_FUNDED]
    assert not GranteeTerms.objects.exists()


def test_grantee_terms_change_goes_through_the_service(officer_client, officer, application_a):
    company = CompanyFactory()
    data = {
        "application": application_a.pk,
        "organisation": company.pk,
        "basis": "AZK",
        "funding_rate": "65.00",
    }
    assert officer_client.post(url(GranteeTerms, "add"), data).status_code == 302
    terms = GranteeTerms.objects.get()
    assert (terms.organisation, terms.funding_rate) == (company, Decimal("65.00"))


def _project_data(application: Any, title: str) -> dict[str, Any]:
    start = application.implementation_start_on.replace(day=1)
    return {
        "application": application.pk,
        "title": title,
        "start_month": start.isoformat(),
        "end_month": date(start.year + 1, 12, 1).isoformat(),
    }


def test_rd_project_beyond_the_maximum_is_a_form_error(officer_client, officer, concept_phase):
    for number in (1, 2, 3):
        data = _project_data(concept_phase, f"Project {number}")
        assert officer_client.post(url(RDProject, "add"), data).status_code == 302
    response = officer_client.post(url(RDProject, "add"), _project_data(concept_phase, "Fourth"))
    assert response.status_code == 200
    errors = form_errors(response)
    assert [error.code for error in errors] == [Rule.IMPLEMENTATION_MAX_PROJECTS]
    assert RDProject.objects.filter(application=concept_phase).count() == 3


def test_rd_project_of_a_draft_is_refused(officer_client, application_a):
    response = officer_client.post(url(RDProject, "add"), _project_data(application_a, "Too early"))
    assert response.status_code == 200
    assert [error.code for error in form_errors(response)] == [Rule.BUDGET_CLOSED]
    assert not RDProject.objects.exists()


@pytest.fixture
def project(concept_phase, manager_a) -> RDProject:
    start = concept_phase.implementation_start_on.replace(day=1)
    return rd_project_create(
        application=concept_phase,
        title="Sensor networks",
        start_month=start,
        end_month=date(start.year + 1, 12, 1),
        by=manager_a,
    )


def test_project_partner_added_through_admin_gets_grantee_terms(officer_client, project):
    company = CompanyFactory()
    data = {"project": project.pk, "organisation": company.pk, "is_lead": "on"}
    response = officer_client.post(url(ProjectPartner, "add"), data)
    assert response.status_code == 302
    partner = ProjectPartner.objects.get(project=project)
    assert (partner.organisation, partner.is_lead) == (company, True)
    assert GranteeTerms.objects.filter(application=project.application, organisation=company)


def test_project_partner_with_budget_lines_cannot_be_removed(officer_client, manager_a, project):
    company = CompanyFactory()
    partner = project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)
    budget_line_save(
        application=project.application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=company,
        year=project.start_month.year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("1000.00"),
        by=manager_a,
    )
    response = officer_client.post(url(ProjectPartner, "delete", partner.pk), {"post": "yes"})
    assert response.status_code == 302
    assert ProjectPartner.objects.filter(pk=partner.pk).exists()
    [message] = messages_of(response)
    assert company.name in message


def test_budget_line_changed_onto_the_key_of_another_is_a_form_error(
    officer_client, officer, application_a
):
    year = application_a.concept_start_on.year
    concept_line(application_a, by=officer, year=year, eligible_amount=Decimal("1000.00"))
    line = concept_line(
        application_a, by=officer, year=year + 1, eligible_amount=Decimal("2000.00")
    )
    data = concept_line_data(application_a, 2000_00, year=year)
    del data["application"]
    response = officer_client.post(url(BudgetLine, "change", line.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors  # a form error, not a server error
    line.refresh_from_db()
    assert line.year == year + 1
