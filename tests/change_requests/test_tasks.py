"""Change requests on the task lists and in the notifications: submitted ones wait for the
officers, returned ones for their cluster management; submitted, approved and refused notify."""

import pytest

from change_requests.services import change_request_transition
from notifications.models import Notification, NotificationKind
from notifications.selectors import tasks_for
from notifications.texts import notification_text

from ..disbursements.conftest import Running
from .support import draft_change_request

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return [task.kind for task in tasks_for(user)]


def test_submitted_waits_for_officers_and_returned_for_the_cluster(
    running: Running, manager_a, manager_b, officer, auditor
):
    draft = draft_change_request(running.application)
    assert "decide_change_request" not in kinds(officer)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager_a)
    assert "decide_change_request" in kinds(officer)
    assert "decide_change_request" in kinds(auditor)
    assert "answer_change_request" not in kinds(manager_a)
    change_request_transition(
        change_request=submitted, name="return_with_questions", by=officer, comment="Why?"
    )
    assert "decide_change_request" not in kinds(officer)
    assert "answer_change_request" in kinds(manager_a)
    assert "answer_change_request" not in kinds(manager_b)


def test_submitted_approved_and_refused_notify(running: Running, manager_a, officer):
    draft = draft_change_request(running.application)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager_a)
    to_officer = Notification.objects.get(recipient=officer, kind=NotificationKind.CHANGE_REQUEST)
    assert "submitted" in notification_text(to_officer.kind, to_officer.params)
    change_request_transition(change_request=submitted, name="approve", by=officer)
    to_cluster = Notification.objects.get(recipient=manager_a, kind=NotificationKind.CHANGE_REQUEST)
    assert "approved" in notification_text(to_cluster.kind, to_cluster.params)
    second = draft_change_request(running.application)
    assert second.pk != draft.pk
    submitted = change_request_transition(change_request=second, name="submit", by=manager_a)
    change_request_transition(
        change_request=submitted, name="refuse", by=officer, comment="Not justified"
    )
    refused = Notification.objects.filter(
        recipient=manager_a, kind=NotificationKind.CHANGE_REQUEST
    ).order_by("-pk")[0]
    text = notification_text(refused.kind, refused.params)
    assert "refused" in text
    assert "Not justified" in text
