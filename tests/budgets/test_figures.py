"""The stored budget figures (``budgets.figures``) always equal what the budget summary
computes: after every kind of budget write, not after a refused one, after a programme's
Projektpauschale rate changes; ``manage.py budget_figures --check`` finds a row that differs."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from budgets import figures
from budgets.models import BudgetFigures, Phase
from budgets.selectors import budget_summary
from budgets.services import (
    LineInput,
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    budget_lines_write,
    grantee_terms_set,
    rd_project_delete,
)
from budgets.violations import BudgetRuleError

from ..factories import position
from .support import concept_line

pytestmark = pytest.mark.django_db


def assert_stored_as_computed(application) -> None:
    application.refresh_from_db()
    summary = budget_summary(application)
    row = BudgetFigures.objects.get(application=application)
    for phase in Phase:
        assert figures.stored(row, phase) == summary.phase(phase).total.figures, phase
    assert figures.figures_differences([application.pk]) == []


def test_a_new_application_has_no_row_and_reads_as_zero(application_a):
    assert not BudgetFigures.objects.filter(application=application_a).exists()
    assert figures.stored(None, Phase.CONCEPT).funding_amount == Decimal("0.00")


def test_line_writes_store_the_summary_figures(application_a, manager_a, concept_year):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("1234.56")
    )
    assert_stored_as_computed(application_a)
    row = BudgetFigures.objects.get(application=application_a)
    assert row.concept_eligible_amount == Decimal("1234.56")
    assert row.concept_grant_amount == Decimal("1234.56")  # the management: 100 %

    budget_line_update(line=line, by=manager_a, eligible_amount=Decimal("2000.01"))
    assert_stored_as_computed(application_a)
    assert BudgetFigures.objects.get(application=application_a).concept_eligible_amount == (
        Decimal("2000.01")
    )

    budget_line_delete(line=line, by=manager_a)
    assert_stored_as_computed(application_a)
    assert BudgetFigures.objects.get(application=application_a).concept_eligible_amount == 0


def test_a_refused_write_leaves_the_figures(application_a, manager_a, concept_year):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("1000"))
    line = application_a.budget_lines.get()
    before = BudgetFigures.objects.get(application=application_a).concept_grant_amount
    with pytest.raises(BudgetRuleError):  # over the 500,000.00 annual cap
        budget_line_update(line=line, by=manager_a, eligible_amount=Decimal("600000.00"))
    assert BudgetFigures.objects.get(application=application_a).concept_grant_amount == before
    assert_stored_as_computed(application_a)


def test_terms_and_projects_store_the_figures(
    in_concept_phase, project, manager_a, university, company
):
    year = in_concept_phase.implementation_start_on.year
    budget_lines_write(
        application=in_concept_phase,
        writes=[
            LineInput(
                phase=Phase.IMPLEMENTATION,
                rd_project=project,
                grantee=organisation,
                year=year,
                position=position(basis, code),
                eligible_amount=Decimal("10000.00"),
            )
            for organisation, basis, code in ((university, "AZA", "0812"), (company, "AZK", "0837"))
        ],
        by=manager_a,
    )
    assert_stored_as_computed(in_concept_phase)
    row = BudgetFigures.objects.get(application=in_concept_phase)
    assert row.implementation_projektpauschale_amount == Decimal("2000.00")  # 20 % of 10,000

    grantee_terms_set(
        application=in_concept_phase,
        organisation=company,
        basis="AZK",
        funding_rate=Decimal("50.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    assert_stored_as_computed(in_concept_phase)
    row.refresh_from_db()
    assert row.implementation_grant_amount == Decimal("15000.00")  # 10,000 + 50 % of 10,000

    for line in project.budget_lines.all():
        budget_line_delete(line=line, by=manager_a)
    rd_project_delete(project=project, by=manager_a)
    assert_stored_as_computed(in_concept_phase)


def test_a_changed_projektpauschale_rate_restores_the_programme_figures(
    in_concept_phase, project, manager_a, university
):
    budget_line_create(
        application=in_concept_phase,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=university,
        year=in_concept_phase.implementation_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("10000.00"),
        by=manager_a,
    )
    programme = in_concept_phase.round.programme
    programme.projektpauschale_rate = Decimal("10.00")
    programme.save()
    row = BudgetFigures.objects.get(application=in_concept_phase)
    assert row.implementation_projektpauschale_amount == Decimal("1000.00")
    assert_stored_as_computed(in_concept_phase)


def test_the_check_command_finds_a_stale_row_and_the_rebuild_mends_it(
    application_a, manager_a, concept_year
):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("500"))
    call_command("budget_figures", "--check")  # all match
    BudgetFigures.objects.filter(application=application_a).update(concept_grant_amount=1)
    with pytest.raises(CommandError, match=rf"1 applications .* \(ids {application_a.pk}\)"):
        call_command("budget_figures", "--check")
    call_command("budget_figures")
    call_command("budget_figures", "--check")
    assert_stored_as_computed(application_a)


def test_migrate_fills_the_rows_a_database_from_before_lacked(
    application_a, manager_a, concept_year
):
    concept_line(application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("750"))
    BudgetFigures.objects.all().delete()
    figures.figures_fill_missing()
    assert_stored_as_computed(application_a)
