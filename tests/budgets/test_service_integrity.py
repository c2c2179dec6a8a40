"""The services keep their promises at the edges: a write onto a taken key is refused as
invalid (not a database crash), a line or project stays in its application, a stale deletion is
not recorded twice, and a phase's length is measured by the calendar. Each pins a bug found
while the suite was written and fixed since.
"""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import Application
from budgets.models import BudgetLine, RDProject
from budgets.selectors import budget_summary
from budgets.services import (
    budget_line_delete,
    budget_line_update,
    rd_project_create,
    rd_project_update,
)
from budgets.violations import Rule

from ..factories import ApplicationFactory
from .conftest import last_month
from .support import concept_line

pytestmark = pytest.mark.django_db


def test_budget_line_update_onto_a_taken_key_is_invalid(application_a, manager_a, concept_year):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("1.00"))
    second = concept_line(
        application_a, by=manager_a, year=concept_year + 1, eligible_amount=Decimal("2.00")
    )
    with pytest.raises(ValidationError):
        budget_line_update(line=second, by=manager_a, year=concept_year)


def test_rd_project_create_with_a_taken_title_is_invalid(project, manager_a):
    application = project.application
    with pytest.raises(ValidationError):
        rd_project_create(
            application=application,
            title=project.title,
            start_month=application.implementation_start_on,
            end_month=last_month(application),
            by=manager_a,
        )


def test_budget_line_update_cannot_move_a_line_into_another_cluster(
    application_a, manager_a, cluster_b, open_round, concept_year
):
    """Cluster A's management must not put a line, over the cap, into cluster B's budget."""
    application_b = ApplicationFactory(round=open_round, cluster=cluster_b)
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("100.00")
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        budget_line_update(
            line=line,
            by=manager_a,
            application=application_b,
            eligible_amount=Decimal("900000.00"),
        )
    assert not BudgetLine.objects.filter(application=application_b).exists()


def test_rd_project_update_cannot_move_a_project_into_another_cluster(
    project, manager_a, cluster_b, open_round
):
    application_b = ApplicationFactory(round=open_round, cluster=cluster_b)
    with pytest.raises((PermissionDenied, ValidationError)):
        rd_project_update(project=project, by=manager_a, application=application_b)
    assert RDProject.objects.get(pk=project.pk).application_id == project.application_id


def test_budget_line_delete_of_a_line_already_gone_records_nothing(
    application_a, manager_a, concept_year
):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("10.00")
    )
    stale = BudgetLine.objects.get(pk=line.pk)
    budget_line_delete(line=line, by=manager_a)
    with contextlib.suppress(ValidationError):  # refusing the stale deletion is fine too
        budget_line_delete(line=stale, by=manager_a)
    assert list(BudgetLine.history.filter(id=line.pk).values_list("history_type", flat=True)) == [
        "-",
        "+",
    ]


def concept_rules_for_period(application: Application, start: date, end: date) -> list[str]:
    # The period is set directly: only the summary's reading of it is under test here.
    Application.objects.filter(pk=application.pk).update(concept_start_on=start, concept_end_on=end)
    reloaded = Application.objects.with_programme().get(pk=application.pk)
    return [violation.rule for violation in budget_summary(reloaded).violations]


def test_concept_phase_of_exactly_two_years_from_the_31st_is_not_too_long(application_a):
    year = application_a.concept_start_on.year
    rules = concept_rules_for_period(application_a, date(year, 3, 31), date(year + 2, 3, 30))
    assert Rule.PHASE_TOO_LONG not in rules


def test_concept_phase_one_day_over_two_years_is_too_long(application_a):
    year = application_a.concept_start_on.year
    rules = concept_rules_for_period(application_a, date(year, 1, 1), date(year + 2, 1, 1))
    assert Rule.PHASE_TOO_LONG in rules


def test_concept_phase_of_exactly_two_years_from_january_is_not_too_long(application_a):
    year = application_a.concept_start_on.year
    rules = concept_rules_for_period(application_a, date(year, 1, 1), date(year + 1, 12, 31))
    assert Rule.PHASE_TOO_LONG not in rules
