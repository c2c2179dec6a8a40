"""In a real browser: a cluster management's home leads with its task list (the overdue interim
statement first), the navigation shows the unread count, and the inbox marks a notification read."""

from datetime import date, timedelta

import pytest

from applications.states import State
from notifications.models import Actor, Deadline, DeadlineKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_task_list_and_inbox(visitor, application_a, to_state, manager_a, officer):
    concept = to_state(application_a, State.CONCEPT_PHASE)
    overdue = Deadline.objects.create(
        application=concept,
        kind=DeadlineKind.INTERIM_STATEMENT,
        year=date.today().year - 2,
        due_on=date.today() - timedelta(days=3),
        actor=Actor.CLUSTER_MANAGEMENT,
    )
    martha = visitor("martha-manager-a", "pw-martha-manager-a")
    page = martha.go("/")
    first = page.locator("section.tasks tbody tr").first
    assert "overdue" in first.get_attribute("class")
    assert str(overdue.year) in first.inner_text()
    assert "Interim statement" in first.inner_text()
    # The officer's steps on the way to the concept phase told the cluster management.
    badge = page.locator("[data-unread]")
    unread = int(badge.inner_text().split()[0])
    assert unread >= 1
    martha.shot("notifications-home")
    page.locator("header nav a", has_text="Notifications").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("li.unread").count() == unread
    page.locator("li.unread").first.get_by_role("button", name="Mark as read").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("li.unread").count() == unread - 1
    martha.shot("notifications-inbox")

    olga = visitor("olga-officer", "pw-olga-officer")
    page = olga.go("/")
    rows = page.locator("section.tasks tbody tr")
    assert "overdue" in rows.first.get_attribute("class")
    assert "Cluster A" in rows.first.inner_text()
