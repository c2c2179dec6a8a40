"""Statements on the task lists (due and overdue for the cluster management, to review and to
decide for the officers) and the notifications of a statement received, returned, accepted and
of a decided settlement."""

from datetime import date

import pytest

from kernel import clock
from notifications.models import Notification, NotificationKind
from notifications.selectors import tasks_for
from notifications.texts import notification_text
from statements.services import settlement_prepare, settlement_transition

from .conftest import Running, accepted_final, at, concept_statement, move

pytestmark = pytest.mark.django_db


def texts_of(user) -> list[str]:
    found = Notification.objects.filter(recipient=user, kind=NotificationKind.STATEMENT)
    return [notification_text(n.kind, n.params) for n in found.order_by("pk")]


def test_received_returned_and_accepted_notify_the_other_side(running: Running, manager_a, officer):
    with clock.frozen_at(at(2028, 2, 10)):
        statement = move(concept_statement(running, manager_a), "submit", manager_a)
        move(statement, "return_with_questions", officer, "Which trips?")
    assert texts_of(officer) == [
        f"“{running.application.title}”: the interim statement 2027 of "
        f"{running.management.name} was received (martha-manager-a)."
    ]
    (returned,) = texts_of(manager_a)
    assert "returned with questions" in returned
    assert "Which trips?" in returned


def test_a_decided_settlement_tells_the_cluster_management_the_claim(
    running: Running, manager_a, officer, django_user_model
):
    final = accepted_final(running, manager_a, officer)
    second = django_user_model.objects.create(username="otto-officer")
    second.groups.add(*officer.groups.all())
    settlement = settlement_prepare(statement=final, by=officer)
    assert not any("settlement" in text for text in texts_of(manager_a))
    settlement_transition(settlement=settlement, name="decide", by=second)
    decided = texts_of(manager_a)[-1]
    assert "the settlement of the final statement" in decided
    assert "final payment of €175,000.00" in decided


def test_statements_on_the_task_lists(running: Running, manager_a, officer):
    with clock.frozen_at(at(2028, 2, 10)):
        draft = concept_statement(running, manager_a)
        (task,) = [t for t in tasks_for(manager_a) if t.kind == "statement"]
        assert (task.due_on, task.is_overdue) == (date(2028, 4, 30), False)
    with clock.frozen_at(at(2028, 5, 2)):
        (task,) = [t for t in tasks_for(manager_a) if t.kind == "statement"]
        assert task.is_overdue
        assert [t for t in tasks_for(officer) if t.kind == "statement_review"] == []
        move(draft, "submit", manager_a)
        assert [t for t in tasks_for(manager_a) if t.kind == "statement"] == []
        (review,) = [t for t in tasks_for(officer) if t.kind == "statement_review"]
    assert review.link.endswith(f"/statements/{draft.pk}/")


def test_a_received_statement_closes_the_deadline_of_its_year(running: Running, manager_a, officer):
    deadline = running.application.deadlines.get(kind="interim_statement", year=2027)
    assert deadline.done_at is None
    with clock.frozen_at(at(2028, 2, 10)):
        statement = concept_statement(running, manager_a)
        move(statement, "submit", manager_a)
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    # 2028 has three grantees in the plan: one statement is not enough.
    with clock.frozen_at(at(2029, 2, 10)):
        move(concept_statement(running, manager_a, year=2028), "submit", manager_a)
    assert running.application.deadlines.get(kind="interim_statement", year=2028).done_at is None
