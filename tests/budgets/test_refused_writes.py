"""A refused write changes nothing: no line added, changed or deleted, no history row, no
grantee terms, all or nothing for a batch."""

from decimal import Decimal
from typing import Any

import pytest

from applications.models import Application
from budgets.models import BudgetLine, GranteeTerms, Phase, RDProject
from budgets.services import (
    LineInput,
    budget_line_delete,
    budget_line_update,
    budget_lines_write,
    rd_project_create,
)
from budgets.violations import BudgetRuleError, Rule

from ..factories import position
from .conftest import last_month
from .support import concept_line

pytestmark = pytest.mark.django_db


def stored_state(application: Application) -> tuple[list[tuple[Any, ...]], int, int]:
    """Every line with its keys and amount, the number of history rows, and of terms."""
    lines = list(
        BudgetLine.objects.filter(application=application)
        .order_by("pk")
        .values_list(
            "pk",
            "phase",
            "rd_project_id",
            "grantee_id",
            "year",
            "position_id",
            "eligible_amount",
            "justification",
            "updated_at",
        )
    )
    return (
        lines,
        BudgetLine.history.filter(application_id=application.pk).count(),
        GranteeTerms.objects.filter(application=application).count(),
    )


@pytest.fixture
def planned(application_a, manager_a, concept_year):
    """Two concept lines in the first year: 400,000.00 staff and 50,000.00 travel."""
    staff = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("400000.00")
    )
    travel = concept_line(
        application_a,
        by=manager_a,
        year=concept_year,
        code="0846",
        eligible_amount=Decimal("50000.00"),
    )
    return staff, travel


def test_refused_save_changes_nothing(application_a, manager_a, concept_year, planned):
    before = stored_state(application_a)
    with pytest.raises(BudgetRuleError):
        concept_line(
            application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("450000.01")
        )
    assert stored_state(application_a) == before


def test_refused_new_line_changes_nothing(application_a, manager_a, concept_year, planned):
    before = stored_state(application_a)
    with pytest.raises(BudgetRuleError):
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            code="0843",
            eligible_amount=Decimal("50000.01"),
        )
    assert stored_state(application_a) == before


def test_refused_update_changes_nothing(application_a, manager_a, planned):
    staff, _travel = planned
    before = stored_state(application_a)
    with pytest.raises(BudgetRuleError):
        budget_line_update(line=staff, by=manager_a, eligible_amount=Decimal("450000.01"))
    assert stored_state(application_a) == before


def test_refused_batch_writes_nothing_at_all(application_a, manager_a, concept_year, planned):
    """A batch with one acceptable change, one deletion and one breach is refused whole."""
    _staff, travel = planned
    before = stored_state(application_a)
    management = application_a.cluster.management_organisation
    with pytest.raises(BudgetRuleError) as refused:
        budget_lines_write(
            application=application_a,
            writes=[
                LineInput(
                    phase=Phase.CONCEPT,
                    grantee=management,
                    year=concept_year + 1,
                    position=position("AZA", "0812"),
                    eligible_amount=Decimal("1000.00"),
                ),
                LineInput(
                    phase=Phase.CONCEPT,
                    grantee=management,
                    year=concept_year,
                    position=position("AZA", "0812"),
                    eligible_amount=Decimal("500000.01"),
                ),
            ],
            deletes=[travel],
            by=manager_a,
        )
    assert [v.rule for v in refused.value.violations] == [Rule.CONCEPT_ANNUAL_CAP]
    assert stored_state(application_a) == before


def test_refused_delete_changes_nothing(in_concept_phase, manager_a):
    """The concept budget is frozen once the concept phase has started."""
    (line,) = BudgetLine.objects.filter(application=in_concept_phase)
    before = stored_state(in_concept_phase)
    with pytest.raises(BudgetRuleError):
        budget_line_delete(line=line, by=manager_a)
    assert stored_state(in_concept_phase) == before


def test_refused_project_changes_nothing(project, manager_a):
    application = project.application
    for title in ("Second", "Third"):
        rd_project_create(
            application=application,
            title=title,
            start_month=application.implementation_start_on,
            end_month=last_month(application),
            by=manager_a,
        )
    projects_before = list(RDProject.objects.order_by("pk").values_list("pk", "title"))
    before = stored_state(application)
    with pytest.raises(BudgetRuleError):
        rd_project_create(
            application=application,
            title="Fourth",
            start_month=application.implementation_start_on,
            end_month=last_month(application),
            by=manager_a,
        )
    assert list(RDProject.objects.order_by("pk").values_list("pk", "title")) == projects_before
    assert stored_state(application) == before
