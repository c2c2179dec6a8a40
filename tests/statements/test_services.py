"""Statements through their services: bad input refused with the numbers and nothing written,
the review workflow with its history, an overdue interim statement blocking drawdowns, and the
settlement with four eyes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.services import TransitionNotPermitted, TransitionRefused
from budgets.models import Phase
from disbursements import statements as hook
from disbursements.guards import STATEMENT_OVERDUE
from disbursements.services import drawdown_create, drawdown_transition
from kernel import clock
from statements.models import Settlement, Statement, StatementLine, StatementTransition
from statements.selectors import figures_of
from statements.services import settlement_prepare, settlement_transition, statement_create
from statements.states import RECEIVED_STATES

from ..factories import position
from .conftest import Running, accepted_final, actuals, at, concept_statement, move

pytestmark = pytest.mark.django_db


def test_interim_statement_with_actuals_against_the_current_plan(running: Running, manager_a):
    with clock.frozen_at(at(2028, 2, 10)):
        statement = concept_statement(running, manager_a)
        actuals(statement, manager_a, ("0812", 2027, "90000.00"))
        view = figures_of(statement)
    assert view.figures is not None
    (year,) = view.figures.years
    (row,) = year.positions
    assert (row.plan_amount, row.actual_amount, row.difference_amount) == (
        Decimal("100000.00"),
        Decimal("90000.00"),
        Decimal("-10000.00"),
    )
    assert year.funding.funding_amount == Decimal("90000.00")
    assert year.findings == []


@pytest.mark.parametrize(
    ("year", "day", "code", "words"),
    [
        (2026, (2028, 2, 10), "year_outside_phase", "outside the concept phase"),
        (2029, (2030, 2, 10), "year_outside_phase", "outside the concept phase"),
        (2027, (2027, 12, 31), "year_not_ended", "has not ended yet"),
    ],
)
def test_a_statement_for_a_wrong_year_is_refused(
    running: Running, manager_a, year, day, code, words
):
    with clock.frozen_at(at(*day)), pytest.raises(ValidationError) as refused:
        concept_statement(running, manager_a, year=year)
    assert refused.value.code == code
    assert words in refused.value.messages[0]
    assert str(year) in refused.value.messages[0]
    assert not Statement.objects.exists()


def test_the_final_statement_waits_for_the_end_of_the_phase(running: Running, manager_a):
    with clock.frozen_at(at(2028, 12, 31)), pytest.raises(ValidationError) as refused:
        concept_statement(running, manager_a, kind="final")
    assert refused.value.code == "phase_not_ended"
    assert "31 Dec 2028" in refused.value.messages[0] or "2028" in refused.value.messages[0]
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (("0812", 2027, "-1.00"), "actual_negative"),
        (("0812", 2028, "10.00"), "year_outside_phase"),
        (("0846", 2027, "10.00"), "position_not_in_plan"),
        (("0812", 2027, "10.001"), "too_many_decimals"),
    ],
)
def test_bad_actuals_are_refused_and_nothing_is_written(running: Running, manager_a, row, code):
    with clock.frozen_at(at(2028, 2, 10)):
        statement = concept_statement(running, manager_a)
        actuals(statement, manager_a, ("0812", 2027, "500.00"))
        with pytest.raises(ValidationError) as refused:
            actuals(statement, manager_a, row)
    assert refused.value.code == code
    assert row[0] in refused.value.messages[0] or str(row[1]) in refused.value.messages[0]
    assert list(StatementLine.objects.values_list("actual_amount", flat=True)) == [
        Decimal("500.00")
    ]


def test_another_cluster_cannot_write_a_statement(running: Running, manager_b):
    with clock.frozen_at(at(2028, 2, 10)), pytest.raises(PermissionDenied):
        concept_statement(running, manager_b)
    assert not Statement.objects.exists()


def test_a_second_statement_for_the_same_year_is_refused(running: Running, manager_a):
    with clock.frozen_at(at(2028, 2, 10)):
        first = concept_statement(running, manager_a)
        with pytest.raises(ValidationError) as refused:
            concept_statement(running, manager_a)
    assert refused.value.code == "statement_exists"
    assert str(first.pk) in refused.value.messages[0]


def test_review_returned_with_questions_then_accepted(running: Running, manager_a, officer):
    with clock.frozen_at(at(2028, 2, 10)):
        statement = concept_statement(running, manager_a)
        statement = move(statement, "submit", manager_a)
        with pytest.raises(TransitionRefused) as refused:
            move(statement, "return_with_questions", officer)
        assert refused.value.code == "comment_required"
        with pytest.raises(TransitionNotPermitted):
            move(statement, "accept", manager_a)
        statement = move(statement, "return_with_questions", officer, "Which trips?")
        actuals(statement, manager_a, ("0812", 2027, "100.00"))
        statement = move(statement, "submit", manager_a)
        statement = move(statement, "accept", officer)
    assert statement.state == "accepted"
    assert statement.accepted_by == officer
    assert list(StatementTransition.objects.values_list("transition", "by__username")) == [
        ("submit", manager_a.username),
        ("return_with_questions", officer.username),
        ("submit", manager_a.username),
        ("accept", officer.username),
    ]


def test_the_hook_knows_which_states_count_as_received():
    assert set(hook.RECEIVED_STATES) == {str(s) for s in RECEIVED_STATES}


def april_drawdown(running: Running, manager):
    return drawdown_create(
        application=running.application,
        phase=Phase.CONCEPT,
        grantee=running.management,
        year=2028,
        period_start_on=date(2028, 4, 1),
        period_end_on=date(2028, 4, 30),
        spend_by_on=date(2028, 5, 20),
        positions=[(position("AZA", "0812"), Decimal("1000.00"))],
        by=manager,
    )


def test_an_overdue_interim_statement_blocks_the_drawdown_submit(running: Running, manager_a):
    with clock.frozen_at(at(2028, 4, 20)):
        drawdown = april_drawdown(running, manager_a)
    with clock.frozen_at(at(2028, 5, 2)):  # the 2027 statement was due on 30 April 2028
        with pytest.raises(TransitionRefused) as refused:
            drawdown_transition(drawdown=drawdown, name="submit", by=manager_a)
        assert refused.value.code == "statement_overdue"
        expected = STATEMENT_OVERDUE % {"grantee": running.management.name}
        assert refused.value.detail == expected
        statement = concept_statement(running, manager_a)
        with pytest.raises(TransitionRefused):  # a draft is not received
            drawdown_transition(drawdown=drawdown, name="submit", by=manager_a)
        move(statement, "submit", manager_a)
        submitted = drawdown_transition(drawdown=drawdown, name="submit", by=manager_a)
    assert submitted.state == "submitted"


def test_before_the_due_day_nothing_is_overdue(running: Running, manager_a):
    with clock.frozen_at(at(2028, 4, 30)):
        drawdown = april_drawdown(running, manager_a)
        assert drawdown_transition(drawdown=drawdown, name="submit", by=manager_a).state == (
            "submitted"
        )


def test_settlement_four_eyes_and_the_repayment_claim(
    running: Running, manager_a, officer, django_user_model
):
    final = accepted_final(running, manager_a, officer)
    with clock.frozen_at(at(2029, 3, 2)):
        with pytest.raises(ValidationError) as refused:
            settlement_prepare(statement=final, by=officer, settled_amount=Decimal("200000.01"))
        assert refused.value.code == "above_grant"
        assert "200,000.00" in refused.value.messages[0]
        assert not Settlement.objects.exists()
        settlement = settlement_prepare(statement=final, by=officer)
        assert (settlement.eligible_amount, settlement.settled_amount) == (
            Decimal("175000.00"),
            Decimal("175000.00"),
        )
        assert settlement.approved_amount == Decimal("200000.00")
        assert settlement.paid_amount == Decimal("0.00")
        with pytest.raises(TransitionNotPermitted) as four_eyes:
            settlement_transition(settlement=settlement, name="decide", by=officer)
        assert four_eyes.value.code == "four_eyes"
        other = django_user_model.objects.create(username="otto-officer")
        other.groups.add(*officer.groups.all())
        decided = settlement_transition(settlement=settlement, name="decide", by=other)
    assert decided.state == "decided"
    assert decided.outcome == "final_payment"
    assert decided.balance_amount == Decimal("175000.00")


def test_an_interim_statement_is_not_settled(running: Running, manager_a, officer):
    with clock.frozen_at(at(2028, 2, 10)):
        interim = concept_statement(running, manager_a)
        with pytest.raises(ValidationError) as refused:
            settlement_prepare(statement=interim, by=officer)
    assert refused.value.code == "not_settleable"


def test_the_final_statement_needs_no_year(running: Running, manager_a):
    with clock.frozen_at(at(2029, 1, 5)):
        final = statement_create(
            application=running.application,
            kind="final",
            phase=Phase.CONCEPT,
            grantee=running.management,
            year=2027,
            by=manager_a,
        )
    assert final.year is None
