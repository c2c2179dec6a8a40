"""A cluster's proposed organisation in its own R&D projects (and not in another cluster's
until an officer confirms it), and funding rates above the programme's default, which need a
reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.models import BudgetLine, GranteeTerms, Phase, ProjectPartner
from budgets.services import (
    ORGANISATION_NOT_CONFIRMED,
    ORGANISATION_UNKNOWN,
    RATE_REASON_REQUIRED,
    budget_line_save,
    grantee_terms_set,
    project_partner_add,
    rd_project_create,
)
from kernel.money import format_percent
from programmes.models import Basis, LegalForm, SizeClass
from programmes.services import organisation_confirm, organisation_propose

from ..factories import ApplicationFactory, position
from .conftest import last_month
from .support import start_concept_phase

pytestmark = pytest.mark.django_db


def proposal_of(manager):
    return organisation_propose(
        name="Fraunhofer ENAS",
        legal_form=LegalForm.RESEARCH_INSTITUTE,
        size_class="",
        country="DE",
        city="Chemnitz",
        by=manager,
    )


@pytest.fixture
def project_b(open_round, cluster_b, manager_b, officer):
    """Cluster B's application in the concept phase, with one R&D project."""
    application = start_concept_phase(
        ApplicationFactory(round=open_round, cluster=cluster_b, with_region=True),
        manager=manager_b,
        officer=officer,
    )
    return rd_project_create(
        application=application,
        title="Printed optics",
        start_month=application.implementation_start_on,
        end_month=last_month(application),
        by=manager_b,
    )


def test_a_cluster_makes_its_proposal_a_partner_and_grantee_at_once(project, manager_a):
    proposal = proposal_of(manager_a)
    partner = project_partner_add(project=project, organisation=proposal, by=manager_a)
    assert partner.organisation == proposal
    line = budget_line_save(
        application=project.application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=proposal,
        year=project.start_month.year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("50000.00"),
        by=manager_a,
    )
    assert line.grantee == proposal
    assert GranteeTerms.objects.filter(application=project.application, organisation=proposal)


def test_another_cluster_cannot_use_the_proposal_until_it_is_confirmed(
    project, project_b, manager_a, manager_b, officer
):
    proposal = proposal_of(manager_a)
    with pytest.raises(ValidationError) as refused:
        project_partner_add(project=project_b, organisation=proposal, by=manager_b)
    assert refused.value.message_dict == {"organisation": [ORGANISATION_UNKNOWN]}
    assert not ProjectPartner.objects.filter(organisation=proposal).exists()

    organisation_confirm(organisation=proposal, by=officer)
    proposal.refresh_from_db()
    partner = project_partner_add(project=project_b, organisation=proposal, by=manager_b)
    assert partner.project == project_b


def test_an_officer_confirms_a_proposal_before_another_cluster_uses_it(
    project_b, manager_a, officer
):
    proposal = proposal_of(manager_a)
    with pytest.raises(ValidationError) as refused:
        project_partner_add(project=project_b, organisation=proposal, by=officer)
    expected = ORGANISATION_NOT_CONFIRMED % {"organisation": "Fraunhofer ENAS"}
    assert refused.value.message_dict == {"organisation": [expected]}


def test_a_budget_line_for_an_invisible_grantee_is_refused(
    project, project_b, manager_a, manager_b
):
    proposal = proposal_of(manager_a)
    project_partner_add(project=project, organisation=proposal, by=manager_a)
    with pytest.raises(ValidationError) as refused:
        budget_line_save(
            application=project_b.application,
            phase=Phase.IMPLEMENTATION,
            rd_project=project_b,
            grantee=proposal,
            year=project_b.start_month.year,
            position=position("AZK", "0837"),
            eligible_amount=Decimal("1000.00"),
            by=manager_b,
        )
    assert refused.value.message_dict == {"grantee": [ORGANISATION_UNKNOWN]}
    assert not BudgetLine.objects.filter(grantee=proposal).exists()


def set_rate(project, company, rate, by, reason=""):
    return grantee_terms_set(
        application=project.application,
        organisation=company,
        basis=Basis.AZK,
        funding_rate=Decimal(rate),
        has_projektpauschale=False,
        rate_reason=reason,
        by=by,
    )


def test_a_rate_above_the_default_without_a_reason_is_refused_with_the_numbers(
    project, company, manager_a
):
    assert company.size_class == SizeClass.SMALL  # the programme's default: 70 %
    with pytest.raises(ValidationError) as refused:
        set_rate(project, company, "75.00", manager_a, reason="   ")
    expected = RATE_REASON_REQUIRED % {
        "rate": format_percent(Decimal("75.00")),
        "grantee": company.name,
        "default": format_percent(Decimal("70.00")),
    }
    assert refused.value.message_dict == {"rate_reason": [expected]}
    assert "75.00" in expected
    assert "70.00" in expected
    stored = GranteeTerms.objects.get(application=project.application, organisation=company)
    assert stored.funding_rate == Decimal("70.00")


def test_a_rate_above_the_default_with_a_reason_is_accepted(project, company, manager_a):
    terms = set_rate(project, company, "75.00", manager_a, reason="Start-up in its first year.")
    stored = GranteeTerms.objects.get(pk=terms.pk)
    assert (stored.funding_rate, stored.rate_reason) == (
        Decimal("75.00"),
        "Start-up in its first year.",
    )
    assert stored.history.latest().rate_reason == "Start-up in its first year."


@pytest.mark.parametrize("rate", ["70.00", "50.00"])
def test_a_rate_up_to_the_default_needs_no_reason(project, company, manager_a, rate):
    assert set_rate(project, company, rate, manager_a).funding_rate == Decimal(rate)
