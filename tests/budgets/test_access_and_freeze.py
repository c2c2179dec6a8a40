"""Who may write a budget, and when: the concept budget is open in draft and selected, the
implementation budget only during the concept phase; the cluster's own management and officers
write, auditors and other clusters' managements never."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from applications.states import State
from budgets.models import BudgetLine, Phase, RDProject
from budgets.services import (
    budget_line_delete,
    budget_line_save,
    budget_line_update,
    rd_project_create,
)
from budgets.violations import BudgetRuleError, Rule
from programmes.models import Organisation

from ..factories import position
from .conftest import last_month
from .support import concept_line, fire, select

pytestmark = pytest.mark.django_db


def closed_phase(error: pytest.ExceptionInfo[BudgetRuleError]) -> str:
    (violation,) = error.value.violations
    assert violation.rule == Rule.BUDGET_CLOSED
    return violation.scope


def implementation_line(
    project: RDProject, grantee: Organisation, *, by: Any, amount: str = "1000.00"
) -> BudgetLine:
    application = project.application
    return budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=grantee,
        year=application.implementation_start_on.year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal(amount),
        by=by,
    )


def test_concept_line_accepted_when_selected(application_a, manager_a, officer, concept_year):
    application = select(application_a, manager=manager_a, officer=officer)
    concept_line(application, by=manager_a, year=concept_year, eligible_amount=Decimal("10.00"))
    assert BudgetLine.objects.filter(application=application).count() == 1


@pytest.mark.parametrize("writer", ["manager_a", "officer"])
def test_concept_line_refused_in_concept_phase(in_concept_phase, concept_year, writer, request):
    with pytest.raises(BudgetRuleError) as refused:
        concept_line(
            in_concept_phase,
            by=request.getfixturevalue(writer),
            year=concept_year + 1,
            eligible_amount=Decimal("10.00"),
        )
    assert closed_phase(refused) == Phase.CONCEPT
    assert BudgetLine.objects.filter(application=in_concept_phase).count() == 1


def test_concept_line_update_refused_in_concept_phase(in_concept_phase, officer):
    (line,) = BudgetLine.objects.filter(application=in_concept_phase)
    with pytest.raises(BudgetRuleError) as refused:
        budget_line_update(line=line, by=officer, eligible_amount=Decimal("1.00"))
    assert closed_phase(refused) == Phase.CONCEPT
    assert BudgetLine.objects.get(pk=line.pk).eligible_amount == Decimal("100000.00")


def test_concept_line_delete_refused_in_concept_phase(in_concept_phase, officer):
    (line,) = BudgetLine.objects.filter(application=in_concept_phase)
    with pytest.raises(BudgetRuleError) as refused:
        budget_line_delete(line=line, by=officer)
    assert closed_phase(refused) == Phase.CONCEPT
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_rd_project_refused_before_concept_phase(application_a, manager_a):
    with pytest.raises(BudgetRuleError) as refused:
        rd_project_create(
            application=application_a,
            title="Too early",
            start_month=application_a.implementation_start_on,
            end_month=last_month(application_a),
            by=manager_a,
        )
    assert closed_phase(refused) == Phase.IMPLEMENTATION


def test_implementation_line_accepted_in_concept_phase(project, manager_a, company):
    line = implementation_line(project, company, by=manager_a)
    assert BudgetLine.objects.get(pk=line.pk).phase == Phase.IMPLEMENTATION


@pytest.fixture
def proposed(project, manager_a, company):
    """The implementation plan proposed: its budget is now frozen for review."""
    implementation_line(project, company, by=manager_a)
    application = fire(project.application, "propose_implementation", manager_a)
    assert application.state == State.IMPLEMENTATION_PROPOSED
    return application


@pytest.mark.parametrize("writer", ["manager_a", "officer"])
def test_implementation_line_refused_once_proposed(proposed, project, university, writer, request):
    with pytest.raises(BudgetRuleError) as refused:
        implementation_line(project, university, by=request.getfixturevalue(writer))
    assert closed_phase(refused) == Phase.IMPLEMENTATION
    assert BudgetLine.objects.filter(application=proposed, grantee=university).count() == 0


@pytest.mark.parametrize("reader", ["auditor", "manager_b", "anonymous"])
def test_budget_line_save_refused_to_others(application_a, concept_year, reader, request):
    with pytest.raises(PermissionDenied):
        concept_line(
            application_a,
            by=request.getfixturevalue(reader),
            year=concept_year,
            eligible_amount=Decimal("10.00"),
        )
    assert not BudgetLine.objects.exists()
    assert not BudgetLine.history.exists()


@pytest.mark.parametrize("reader", ["auditor", "manager_b"])
def test_budget_line_update_and_delete_refused_to_others(
    application_a, manager_a, concept_year, reader, request
):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("10.00")
    )
    user = request.getfixturevalue(reader)
    with pytest.raises(PermissionDenied):
        budget_line_update(line=line, by=user, eligible_amount=Decimal("20.00"))
    with pytest.raises(PermissionDenied):
        budget_line_delete(line=BudgetLine.objects.get(pk=line.pk), by=user)
    assert BudgetLine.objects.get(pk=line.pk).eligible_amount == Decimal("10.00")
    assert BudgetLine.history.count() == 1


def test_rd_project_refused_to_auditor(in_concept_phase, auditor):
    with pytest.raises(PermissionDenied):
        rd_project_create(
            application=in_concept_phase,
            title="Audited",
            start_month=in_concept_phase.implementation_start_on,
            end_month=last_month(in_concept_phase),
            by=auditor,
        )


def test_officer_may_write_a_concept_line(application_a, officer, concept_year):
    line = concept_line(
        application_a, by=officer, year=concept_year, eligible_amount=Decimal("10.00")
    )
    assert BudgetLine.objects.get(pk=line.pk).eligible_amount == Decimal("10.00")


def test_officer_may_write_an_implementation_line(project, officer, company):
    line = implementation_line(project, company, by=officer)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
