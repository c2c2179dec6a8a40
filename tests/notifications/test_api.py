"""The API of issue 14: the task list (overdue first, on both sides), an application's
deadlines (404 to another cluster, officers write), the inbox (the caller's own), the unread
count and the preferences; each list in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel import clock
from notifications.models import DeadlineKind, NotificationKind
from notifications.services import deadline_set, notify

from ..api.conftest import client_for
from ..factories import ApplicationFactory, ClusterFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_an_overdue_interim_statement_leads_both_sides_task_lists(officer, manager_a, concept):
    statement = concept.deadlines.filter(kind=DeadlineKind.INTERIM_STATEMENT).order_by("due_on")[0]
    later = clock.now() + (statement.due_on - date.today()) + timedelta(days=1)
    with clock.frozen_at(later):
        for user in (manager_a, officer):
            [first, *_rest] = client_for(user).get("/api/v1/tasks/").json()
            assert first["deadline"] == statement.pk
            assert first["is_overdue"] is True
            assert first["kind"] == "interim_statement"
            assert first["actor"] == "cluster_management"
            assert first["due_on"] == statement.due_on.isoformat()


def test_another_clusters_deadlines_and_tasks_are_absent(manager_b, concept):
    deadline = concept.deadlines.first()
    client = client_for(manager_b)
    base = f"/api/v1/applications/{concept.pk}/deadlines/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}{deadline.pk}/").status_code == 404
    assert client.get("/api/v1/tasks/").json() == []


def test_officers_set_a_deadline_and_bad_input_is_refused_with_the_numbers(officer, concept):
    client = client_for(officer)
    url = f"/api/v1/applications/{concept.pk}/deadlines/"
    past = date.today() - timedelta(days=3)
    refused = client.post(
        url, {"title": "Letters", "due_on": past.isoformat(), "reason": "Jury"}, format="json"
    )
    assert refused.status_code == 400
    assert past.strftime("%-d %b %Y") in str(refused.json())
    made = client.post(
        url,
        {"title": "Letters", "due_on": "2099-01-31", "reason": "Jury", "actor": "officers"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["actor"] == "officers"
    assert made.json()["set_by"] == officer.username


def test_notifications_are_the_callers_own_and_marked_read_one_by_one(
    manager_a, manager_b, application_a
):
    [mine] = notify(
        recipients=[manager_a],
        kind=NotificationKind.MESSAGE_POSTED,
        application=application_a,
        params={"application": "Strategy", "by": "olga"},
        link="/",
    )
    own, other = client_for(manager_a), client_for(manager_b)
    assert other.get("/api/v1/notifications/").json()["results"] == []
    assert other.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 404
    listed = own.get("/api/v1/notifications/").json()["results"]
    assert [n["text"] for n in listed] == ["“Strategy”: a new message from olga."]
    assert own.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert own.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"] is not None
    assert own.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_required_kinds_cannot_be_turned_off_over_the_api(manager_a):
    client = client_for(manager_a)
    refused = client.put(
        "/api/v1/notification-preferences/",
        {"language": "en", "modes": {"reminder": "off"}},
        format="json",
    )
    assert refused.status_code == 400
    assert "required by the grant conditions" in refused.json()["detail"]
    changed = client.put(
        "/api/v1/notification-preferences/",
        {"language": "en", "modes": {"message_posted": "off", "reminder": "digest"}},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["modes"]["message_posted"] == "off"
    assert changed.json()["modes"]["reminder"] == "digest"
    assert changed.json()["language"] == "en"


def grow(officer, manager, programme, count: int) -> None:
    for _ in range(count):
        application = ApplicationFactory(
            round=RoundFactory(programme=programme), cluster=ClusterFactory(), with_region=True
        )
        deadline_set(
            application=application,
            title="Letters",
            due_on=date.today() + timedelta(days=9),
            reason="Jury",
            by=officer,
        )
        for user in (officer, manager):
            notify(
                recipients=[user],
                kind=NotificationKind.MESSAGE_POSTED,
                application=application,
                params={"application": "X", "by": "olga"},
                link="/",
            )


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("officer", "/api/v1/tasks/"),
        ("manager_a", "/api/v1/tasks/"),
        ("officer", "/api/v1/notifications/"),
        ("manager_a", "/api/v1/notifications/"),
        ("officer", "deadlines"),
    ],
)
def test_api_lists_cost_the_same_queries_for_few_and_many(
    request, persona, url, officer, manager_a, programme, concept
):
    client = client_for(request.getfixturevalue(persona))
    if url == "deadlines":
        url = f"/api/v1/applications/{concept.pk}/deadlines/"
    grow(officer, manager_a, programme, 2)
    few = queries(client, url)
    grow(officer, manager_a, programme, 12)
    for _ in range(12):
        deadline_set(
            application=concept,
            title="More letters",
            due_on=date.today() + timedelta(days=9),
            reason="Jury",
            by=officer,
        )
    assert queries(client, url) == few
