"""Every change to a budget line is kept with who, when, and the old and new values."""

from decimal import Decimal

import pytest

from budgets.models import BudgetLine
from budgets.services import budget_line_delete, budget_line_update

from .support import concept_line

pytestmark = pytest.mark.django_db


def history_of(line_pk: int):
    return list(BudgetLine.history.filter(id=line_pk).order_by("history_date", "history_id"))


def test_history_records_creation_with_its_writer(application_a, manager_a, concept_year):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("100.00")
    )
    (created,) = history_of(line.pk)
    assert created.history_type == "+"
    assert created.history_user == manager_a
    assert created.eligible_amount == Decimal("100.00")
    assert created.history_date is not None


def test_history_records_change_by_save_with_old_and_new_amount(
    application_a, manager_a, officer, concept_year
):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("100.00")
    )
    concept_line(application_a, by=officer, year=concept_year, eligible_amount=Decimal("250.50"))
    created, changed = history_of(line.pk)
    assert changed.history_type == "~"
    assert changed.history_user == officer
    assert (created.eligible_amount, changed.eligible_amount) == (
        Decimal("100.00"),
        Decimal("250.50"),
    )


def test_history_skips_a_save_that_changes_nothing(application_a, manager_a, officer, concept_year):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("100.00")
    )
    concept_line(application_a, by=officer, year=concept_year, eligible_amount=Decimal("100.00"))
    assert [entry.history_type for entry in history_of(line.pk)] == ["+"]


def test_history_records_change_by_update_as_a_diff(
    application_a, manager_a, officer, concept_year
):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("100.00")
    )
    budget_line_update(line=line, by=officer, eligible_amount=Decimal("99.99"))
    created, changed = history_of(line.pk)
    assert (changed.history_type, changed.history_user) == ("~", officer)
    (change,) = [c for c in changed.diff_against(created).changes if c.field == "eligible_amount"]
    assert (change.old, change.new) == (Decimal("100.00"), Decimal("99.99"))


def test_history_records_deletion_with_last_amount(application_a, manager_a, officer, concept_year):
    line = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("42.00")
    )
    pk = line.pk
    budget_line_delete(line=line, by=officer)
    assert not BudgetLine.objects.filter(pk=pk).exists()
    _created, deleted = history_of(pk)
    assert deleted.history_type == "-"
    assert deleted.history_user == officer
    assert deleted.eligible_amount == Decimal("42.00")


def test_history_is_readable_but_not_writable_for_auditors(auditor, officer):
    assert auditor.has_perm("budgets.view_historicalbudgetline")
    assert not auditor.has_perm("budgets.change_historicalbudgetline")
    assert not officer.has_perm("budgets.delete_historicalbudgetline")
