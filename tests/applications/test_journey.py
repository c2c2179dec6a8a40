"""The whole InterSpiN journey through the services, as the roles that drive it."""

from datetime import date
from decimal import Decimal

import pytest

from applications.services import application_transition
from applications.states import State
from budgets.models import Phase
from budgets.selectors import budget_summary
from budgets.services import budget_line_save, project_partner_add, rd_project_create
from budgets.violations import BudgetRuleError, Rule

from ..competition.support import JUSTIFICATION, reviews_for_selection
from ..factories import CompanyFactory, PartnerAbroadFactory, position

pytestmark = pytest.mark.django_db


def fire(application, name, by, comment=""):
    return application_transition(application=application, name=name, by=by, comment=comment)


def test_journey_from_draft_to_completed(application_a, manager_a, officer):
    application = fire(application_a, "submit", manager_a)
    application = fire(application, "start_review", officer)
    reviews_for_selection(application, officer=officer)
    application = fire(application, "select", officer, JUSTIFICATION)

    year = application.concept_start_on.year
    management = application.cluster.management_organisation
    for offset in (0, 1):
        budget_line_save(
            application=application,
            phase=Phase.CONCEPT,
            grantee=management,
            year=year + offset,
            position=position("AZA", "0812"),
            eligible_amount=Decimal("500000.00"),
            by=manager_a,
        )
    with pytest.raises(BudgetRuleError) as refused:
        budget_line_save(
            application=application,
            phase=Phase.CONCEPT,
            grantee=management,
            year=year,
            position=position("AZA", "0846"),
            eligible_amount=Decimal("12400.00"),
            by=manager_a,
        )
    assert [v.rule for v in refused.value.violations] == [Rule.CONCEPT_ANNUAL_CAP]
    assert refused.value.violations[0].excess == Decimal("12400.00")

    application = fire(application, "start_concept_phase", officer)
    assert application.state == State.CONCEPT_PHASE

    company = CompanyFactory()
    for number in (1, 2, 3):
        project = rd_project_create(
            application=application,
            title=f"Project {number}",
            start_month=application.implementation_start_on,
            end_month=date(application.implementation_start_on.year + 2, 12, 1),
            by=manager_a,
        )
        project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)
        project_partner_add(project=project, organisation=PartnerAbroadFactory(), by=manager_a)
        budget_line_save(
            application=application,
            phase=Phase.IMPLEMENTATION,
            rd_project=project,
            grantee=company,
            year=application.implementation_start_on.year,
            position=position("AZK", "0837"),
            eligible_amount=Decimal("1000000.00"),
            by=manager_a,
        )
    application = fire(application, "propose_implementation", manager_a)
    application = fire(application, "approve_implementation", officer)
    application = fire(application, "complete", officer)

    summary = budget_summary(application)
    assert summary.concept.total.figures.funding_amount == Decimal("1000000.00")
    # Small companies get 70 %: 3 × 700,000.00.
    assert summary.implementation.total.figures.funding_amount == Decimal("2100000.00")
    assert summary.total.headroom_amount == Decimal("900000.00")
    assert [t.transition for t in application.transitions.all()] == [
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
        "approve_implementation",
        "complete",
    ]
