"""Every change to a budget line is kept with who, when, and the old and new values."""

from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import BudgetLine, Phase
from budgets.services import (
    LineInput,
    budget_line_delete,
    budget_line_update,
    budget_lines_write,
)
from budgets.violations import BudgetRuleError

from ..factories import position
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


def _line_input(application, year: int, code: str, amount: str) -> LineInput:
    return LineInput(
        phase=Phase.CONCEPT,
        grantee=application.cluster.management_organisation,
        year=year,
        position=position("AZA", code),
        eligible_amount=Decimal(amount),
        justification=f"Position {code}",
    )


TRACKED = [
    field.attname
    for field in BudgetLine._meta.concrete_fields
    if field.attname != "id"  # the history row's own id is history_id; its "id" is the line's
]


def test_bulk_write_records_each_line_as_stored_with_its_writer(
    application_a, manager_a, officer, concept_year
):
    kept = concept_line(
        application_a, by=manager_a, year=concept_year, eligible_amount=Decimal("10.00")
    )
    before = timezone.now()
    budget_lines_write(
        application=application_a,
        writes=[
            _line_input(application_a, concept_year, "0812", "11.00"),  # kept changes
            _line_input(application_a, concept_year, "0817", "20.00"),
            _line_input(application_a, concept_year, "0822", "30.00"),
        ],
        by=officer,
    )
    after = timezone.now()
    lines = BudgetLine.objects.filter(application=application_a).order_by("pk")
    assert lines.count() == 3
    for line in lines:
        latest = history_of(line.pk)[-1]
        assert latest.history_type == ("~" if line.pk == kept.pk else "+")
        assert latest.history_user == officer
        assert latest.history_change_reason is None
        assert before <= latest.history_date <= after
        assert [getattr(latest, name) for name in TRACKED] == [
            getattr(line, name) for name in TRACKED
        ]
    created, changed = history_of(kept.pk)
    (change,) = [c for c in changed.diff_against(created).changes if c.field == "eligible_amount"]
    assert (change.old, change.new) == (Decimal("10.00"), Decimal("11.00"))


def test_bulk_write_records_history_across_statement_batches(
    application_a, manager_a, concept_year, monkeypatch
):
    monkeypatch.setattr("kernel.history.HISTORY_BATCH", 2)
    codes = ["0812", "0817", "0822", "0831", "0834"]
    budget_lines_write(
        application=application_a,
        writes=[_line_input(application_a, concept_year, code, "5.00") for code in codes],
        by=manager_a,
    )
    pks = set(BudgetLine.objects.filter(application=application_a).values_list("pk", flat=True))
    recorded = list(BudgetLine.history.filter(id__in=pks).values_list("id", "history_type"))
    assert sorted(recorded) == sorted((pk, "+") for pk in pks)


def test_bulk_write_that_breaks_a_cap_leaves_no_history(application_a, manager_a, concept_year):
    with pytest.raises(BudgetRuleError):
        budget_lines_write(
            application=application_a,
            writes=[_line_input(application_a, concept_year, "0812", "900000.00")],
            by=manager_a,
        )
    assert not BudgetLine.history.filter(application_id=application_a.pk).exists()
