"""Importing a budget: preview, then confirm; all rows or none."""

import gc
import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from budgets.imports import (
    Action,
    Code,
    ImportRefused,
    budget_import_confirm,
    budget_import_preview,
)
from budgets.imports import services as import_services
from budgets.imports.problems import UNKNOWN_POSITION
from budgets.models import BudgetLine, Phase
from budgets.selectors import budget_summary
from budgets.services import budget_line_save
from kernel.collector import collector_paused
from kernel.money import format_eur
from programmes.models import Programme

from ..factories import position
from .support import database_state, edited, letter, set_cell, template_bytes

pytestmark = pytest.mark.django_db

MIDDLE, LAST = 7, 12  # the company's 0837 line in the first implementation year; the last line


def preview(budget, data, by):
    return budget_import_preview(
        application=budget.application, file=data, filename="b.xlsx", by=by
    )


def confirm(budget, data, token, by):
    return budget_import_confirm(
        application=budget.application, file=data, filename="b.xlsx", token=token, by=by
    )


def blank_line(row):
    """Empty a row's line cells: the line is no longer in the file."""

    def edit(ws):
        for key in (
            "phase",
            "rd_project",
            "grantee",
            "country",
            "basis",
            "position",
            "year",
            "eligible_amount",
            "justification",
        ):
            ws[f"{letter(key)}{row}"].value = None

    return edit


def changes(ws):
    """Change the middle line's amount, add a line in the first blank row (row 13), and leave
    out the university's 0812 line of the first year (row 10)."""
    set_cell("eligible_amount", MIDDLE, 100)(ws)
    for column in range(1, ws.max_column + 1):
        ws.cell(13, column).value = ws.cell(LAST, column).value
    set_cell("year", 13, ws[f"{letter('year')}{LAST}"].value + 1)(ws)
    set_cell("eligible_amount", 13, 10.5)(ws)
    blank_line(10)(ws)


def test_preview_of_the_downloaded_template_changes_nothing(budget, template, manager_a):
    before = database_state()

    result = preview(budget, template, manager_a)

    assert result.problems == []
    assert result.token
    assert len(result.rows) == 11
    assert {row.action for row in result.rows} == {Action.UNCHANGED}
    assert database_state() == before


def test_preview_lists_what_each_row_creates_changes_and_deletes(budget, template, manager_a):
    before = database_state()

    result = preview(budget, edited(template, changes), manager_a)

    assert result.problems == []
    assert (
        result.count(Action.CHANGE),
        result.count(Action.CREATE),
        result.count(Action.DELETE),
    ) == (1, 1, 1)
    (changed,) = [row for row in result.rows if row.action == Action.CHANGE]
    assert changed.row == MIDDLE
    assert [(c.old, c.new) for c in changed.changes] == [
        (format_eur(Decimal("12345.65")), format_eur(Decimal("100.00")))
    ]
    (created,) = [row for row in result.rows if row.action == Action.CREATE]
    assert created.row == 13
    (deleted,) = [row for row in result.rows if row.action == Action.DELETE]
    assert deleted.row is None
    assert "TU Dresden" in deleted.description
    assert database_state() == before


def test_confirm_writes_every_row_in_one_budget_lines_write(
    budget, template, manager_a, monkeypatch
):
    data = edited(template, changes)
    token = preview(budget, data, manager_a).token
    calls = []
    real = import_services.budget_lines_write

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(import_services, "budget_lines_write", counted)

    result = confirm(budget, data, token, manager_a)

    assert len(calls) == 1
    assert (result.created, result.changed, result.deleted, result.unchanged) == (1, 1, 1, 9)
    year = budget.application.implementation_start_on.year
    lines = BudgetLine.objects.filter(application=budget.application)
    assert lines.count() == 11
    assert lines.get(
        grantee=budget.company, year=year, position__code="0837"
    ).eligible_amount == Decimal("100.00")
    assert lines.get(
        grantee=budget.university, year=year + 2, position__code="0846"
    ).eligible_amount == Decimal("10.50")
    assert not lines.filter(grantee=budget.university, year=year, position__code="0812").exists()


def test_confirm_keeps_the_history_of_each_change_with_the_importer(budget, template, manager_a):
    data = edited(template, changes)
    token = preview(budget, data, manager_a).token
    before = BudgetLine.history.count()

    confirm(budget, data, token, manager_a)

    new = BudgetLine.history.order_by("-history_id")[: BudgetLine.history.count() - before]
    assert sorted(entry.history_type for entry in new) == ["+", "-", "~"]
    assert {entry.history_user for entry in new} == {manager_a}


def test_confirm_of_an_unchanged_file_writes_nothing(budget, template, manager_a):
    token = preview(budget, template, manager_a).token
    before = database_state()

    result = confirm(budget, template, token, manager_a)

    assert (result.created, result.changed, result.deleted, result.unchanged) == (0, 0, 0, 11)
    assert database_state() == before


def test_confirm_refuses_when_the_budget_changed_after_the_preview(budget, template, manager_a):
    data = edited(template, changes)
    token = preview(budget, data, manager_a).token
    budget_line_save(
        application=budget.application,
        phase=Phase.IMPLEMENTATION,
        rd_project=budget.project,
        grantee=budget.company,
        year=budget.application.implementation_start_on.year,
        position=position("AZK", "0850"),
        eligible_amount=Decimal("1.00"),
        by=manager_a,
    )
    before = database_state()

    with pytest.raises(ImportRefused) as refused:
        confirm(budget, data, token, manager_a)

    assert [p.code for p in refused.value.problems] == [Code.CHANGED_MEANWHILE]
    assert database_state() == before


def test_confirm_refuses_a_file_other_than_the_previewed_one(budget, template, manager_a):
    token = preview(budget, template, manager_a).token
    other = edited(template, changes)
    before = database_state()

    with pytest.raises(ImportRefused) as refused:
        confirm(budget, other, token, manager_a)

    assert [p.code for p in refused.value.problems] == [Code.TOKEN_INVALID]
    assert database_state() == before


def test_confirm_refuses_the_token_of_another_user(budget, template, manager_a, officer):
    data = edited(template, changes)
    token = preview(budget, data, manager_a).token

    with pytest.raises(ImportRefused) as refused:
        confirm(budget, data, token, officer)

    assert [p.code for p in refused.value.problems] == [Code.TOKEN_INVALID]


def test_confirm_refuses_when_a_cap_breaks_on_the_write_and_writes_nothing(
    budget, template, manager_a
):
    data = edited(template, set_cell("eligible_amount", MIDDLE, 1_000_000))
    token = preview(budget, data, manager_a).token
    assert token
    # The programme's cap is lowered after the preview (a change the budget's digest does not
    # cover): the write itself must refuse.
    Programme.objects.update(implementation_cap_amount=Decimal("500000.00"))
    before = database_state()

    with pytest.raises(ImportRefused) as refused:
        confirm(budget, data, token, manager_a)

    (problem,) = [p for p in refused.value.problems if p.code == "implementation_cap"]
    assert (problem.row, problem.column) == (MIDDLE, letter("eligible_amount"))
    assert database_state() == before


def test_preview_reports_a_broken_cap_at_the_rows_that_broke_it(budget, template, manager_a):
    result = preview(
        budget, edited(template, set_cell("eligible_amount", MIDDLE, 5_000_000)), manager_a
    )

    (problem,) = [p for p in result.problems if p.code == "implementation_cap"]
    assert problem.row == MIDDLE
    assert set(problem.rows) == set(range(6, 13))  # every implementation line
    summary = budget_summary(budget.application)
    assert (
        summary.implementation.total.figures.funding_amount < summary.caps.implementation_cap_amount
    )


def test_preview_refuses_the_management_of_another_cluster(budget, template, manager_b):
    with pytest.raises(PermissionDenied):
        preview(budget, template, manager_b)


def test_preview_refuses_an_auditor(budget, template, auditor):
    with pytest.raises(PermissionDenied):
        preview(budget, template, auditor)


def test_import_reads_amounts_typed_as_german_text(budget, template, manager_a):
    with translation.override("de"):
        result = preview(
            budget, edited(template, set_cell("eligible_amount", MIDDLE, "1.234,56 €")), manager_a
        )
        expected = format_eur(Decimal("1234.56"))

    (changed,) = [row for row in result.rows if row.action == Action.CHANGE]
    assert changed.changes[0].new == expected


def test_import_reads_amounts_typed_as_english_text(budget, template, manager_a):
    with translation.override("en"):
        result = preview(
            budget, edited(template, set_cell("eligible_amount", MIDDLE, "1,234.56")), manager_a
        )
        expected = format_eur(Decimal("1234.56"))

    (changed,) = [row for row in result.rows if row.action == Action.CHANGE]
    assert changed.changes[0].new == expected


def test_import_reads_a_position_code_typed_as_a_number(budget, template, manager_a):
    result = preview(budget, edited(template, set_cell("position", LAST, 846)), manager_a)

    assert result.problems == []
    assert {row.action for row in result.rows} == {Action.UNCHANGED}


def test_import_without_a_justification_column_keeps_the_justifications(
    budget, template, manager_a
):
    data = edited(
        template, lambda ws: ws.delete_cols(column_index_from_string(letter("justification")))
    )

    result = preview(budget, data, manager_a)

    assert result.problems == []
    assert {row.action for row in result.rows} == {Action.UNCHANGED}


def test_import_words_problems_in_the_active_language(budget, template, manager_a):
    data = edited(template, set_cell("position", MIDDLE, "0999"))

    with translation.override("en"):
        (problem,) = preview(budget, data, manager_a).problems
        location = problem.location

    assert problem.message == UNKNOWN_POSITION % {"code": "0999", "basis": "AZK"}
    assert (
        location
        == f"{problem.sheet}, row {MIDDLE}, column {letter('position')} ({problem.heading})"
    )


def test_round_trip_export_fill_import_export_gives_the_same_figures(budget, template, manager_a):
    filled = edited(template, changes)
    token = preview(budget, filled, manager_a).token
    confirm(budget, filled, token, manager_a)

    again = template_bytes(budget.application, manager_a)

    assert line_values(again) == line_values(filled)
    assert preview(budget, again, manager_a).count(Action.UNCHANGED) == 11


def test_round_trip_of_an_unchanged_template_keeps_every_figure(budget, template, manager_a):
    before = budget_summary(budget.application)
    confirm(budget, template, preview(budget, template, manager_a).token, manager_a)

    after = budget_summary(budget.application)
    assert after.total == before.total
    assert after.implementation.by_year == before.implementation.by_year
    assert line_values(template_bytes(budget.application, manager_a)) == line_values(template)


def line_values(data):
    """The import columns of every line row."""
    ws = load_workbook(BytesIO(data)).worksheets[0]
    keys = (
        "phase",
        "rd_project",
        "grantee",
        "country",
        "basis",
        "position",
        "year",
        "eligible_amount",
        "justification",
    )
    rows = set()
    for row in range(2, ws.max_row + 1):
        values = tuple(ws[f"{letter(key)}{row}"].value for key in keys)
        if any(value not in (None, "") for value in values):
            rows.add((*values[:-2], Decimal(repr(values[-2])), values[-1] or ""))
    return rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_previews_of_the_same_budget_race_and_one_wins(
    budget, template, manager_a
):
    first = edited(template, set_cell("eligible_amount", MIDDLE, 111))
    second = edited(template, set_cell("eligible_amount", MIDDLE, 222))
    tokens = [preview(budget, data, manager_a).token for data in (first, second)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(data, token):
        try:
            barrier.wait()
            confirm(budget, data, token, manager_a)
            outcomes.append("imported")
        except ImportRefused as refused:
            outcomes.append(refused.problems[0].code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair)
        for pair in zip((first, second), tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == sorted(["imported", Code.CHANGED_MEANWHILE])
    amount = BudgetLine.objects.get(
        application=budget.application,
        grantee=budget.company,
        year=budget.application.implementation_start_on.year,
        position__code="0837",
    ).eligible_amount
    assert amount in {Decimal("111.00"), Decimal("222.00")}


def test_import_pauses_the_garbage_collector_only_while_it_runs(
    budget, template, manager_a, monkeypatch
):
    seen = []
    parse = import_services._parse

    def watched_parse(*args, **kwargs):
        seen.append(gc.isenabled())
        return parse(*args, **kwargs)

    monkeypatch.setattr(import_services, "_parse", watched_parse)
    data = edited(template, set_cell("eligible_amount", MIDDLE, 1_000_000))
    token = preview(budget, data, manager_a).token
    Programme.objects.update(implementation_cap_amount=Decimal("500000.00"))
    with pytest.raises(ImportRefused):
        confirm(budget, data, token, manager_a)  # refused, yet the collector is back on
    assert seen == [False, False]
    assert gc.isenabled()


def test_collector_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
