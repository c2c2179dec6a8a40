"""The portal's pages of issue 14 for every persona: an application's deadlines (read like its
cluster, set and moved by officers, 404 to another cluster), the inbox and preferences (the
user's own), the failed e-mails (officers); the unread count in the navigation; the task list on
the home page; and the query counts of the lists at two sizes."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kernel import clock
from notifications.models import Deadline, DeadlineKind, Delivery, Notification, NotificationKind
from notifications.selectors import tasks_for
from notifications.services import deadline_set, notify

from ..factories import ApplicationFactory, ClusterFactory, RoundFactory
from ..web.conftest import browser

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")
FUTURE = (date.today() + timedelta(days=60)).isoformat()


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def deadline(concept) -> Deadline:
    return concept.deadlines.get(kind=DeadlineKind.IMPLEMENTATION_PROPOSAL)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("manager_a", 200), ("manager_b", 404), ("auditor", 200)],
)
def test_deadlines_page_answers_each_persona(request, persona, status, concept):
    url = reverse("notifications:deadlines", args=[concept.pk])
    response = browser(user_of(request, persona)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "interim statement" in response.content.decode().lower()
        # Only officers get the forms.
        assert ('name="reason"' in response.content.decode()) == (persona == "officer")


def test_deadlines_page_sends_the_anonymous_to_login(concept):
    assert_login_redirect(browser(None).get(reverse("notifications:deadlines", args=[concept.pk])))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 302), ("manager_a", 403), ("manager_b", 404), ("auditor", 403)],
)
def test_deadline_add_answers_each_persona(request, persona, status, concept):
    url = reverse("notifications:deadline-add", args=[concept.pk])
    data = {"title": "Letters of intent", "actor": "cluster_management", "due_on": FUTURE}
    response = browser(user_of(request, persona)).post(url, {**data, "reason": "Jury asked."})
    assert response.status_code == status
    made = concept.deadlines.filter(kind=DeadlineKind.OFFICER_SET)
    assert made.count() == (1 if persona == "officer" else 0)


@pytest.mark.parametrize("name", ["notifications:deadline-move", "notifications:deadline-done"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 302), ("manager_a", 403), ("manager_b", 404), ("auditor", 403)],
)
def test_deadline_move_and_done_answer_each_persona(request, persona, status, name, deadline):
    url = reverse(name, args=[deadline.application_id, deadline.pk])
    response = browser(user_of(request, persona)).post(
        url, {"due_on": FUTURE, "reason": "The partner region's elections."}
    )
    assert response.status_code == status
    deadline.refresh_from_db()
    changed = deadline.set_by_id is not None or deadline.done_at is not None
    assert changed == (persona == "officer")


@pytest.mark.parametrize(
    "name",
    ["notifications:deadline-add", "notifications:deadline-move", "notifications:deadline-done"],
)
def test_deadline_writes_send_the_anonymous_to_login(name, deadline):
    args = [deadline.application_id]
    if name != "notifications:deadline-add":
        args.append(deadline.pk)
    assert_login_redirect(browser(None).post(reverse(name, args=args), {}))


def test_moving_a_deadline_without_a_reason_is_refused_and_nothing_changes(officer, deadline):
    url = reverse("notifications:deadline-move", args=[deadline.application_id, deadline.pk])
    response = browser(officer).post(url, {"due_on": FUTURE, "reason": ""})
    assert response.status_code == 400
    before = deadline.due_on
    deadline.refresh_from_db()
    assert deadline.due_on == before
    assert deadline.set_by is None


def test_a_due_date_in_the_past_is_refused_with_the_dates(officer, concept):
    url = reverse("notifications:deadline-add", args=[concept.pk])
    past = date.today() - timedelta(days=1)
    response = browser(officer).post(
        url, {"title": "X", "actor": "officers", "due_on": past.isoformat(), "reason": "Why"}
    )
    assert response.status_code == 400
    assert "is before today" in response.content.decode()
    assert not concept.deadlines.filter(kind=DeadlineKind.OFFICER_SET).exists()


@pytest.mark.parametrize("name", ["notifications:inbox", "notifications:preferences"])
@pytest.mark.parametrize("persona", ["officer", "manager_a", "manager_b", "auditor"])
def test_own_pages_answer_every_role(request, persona, name):
    response = browser(user_of(request, persona)).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "notifications:inbox",
        "notifications:preferences",
        "notifications:failed",
        "notifications:mark-all-read",
    ],
)
def test_own_pages_send_the_anonymous_to_login(db, name):
    assert_login_redirect(browser(None).get(reverse(name)))


@pytest.mark.parametrize("persona", ["officer", "manager_a", "manager_b", "auditor"])
def test_mark_all_read_marks_only_the_own(request, persona, manager_a, application_a):
    mine = a_notification(manager_a, application_a)
    user = user_of(request, persona)
    theirs = a_notification(user, application_a) if persona != "manager_a" else mine
    assert browser(user).post(reverse("notifications:mark-all-read")).status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is not None
    assert (mine.read_at is not None) == (persona == "manager_a")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("manager_a", 403), ("manager_b", 403), ("auditor", 403)],
)
def test_failed_emails_are_for_officers(request, persona, status):
    response = browser(user_of(request, persona)).get(reverse("notifications:failed"))
    assert response.status_code == status


def a_notification(user, application, **params) -> Notification:
    [made] = notify(
        recipients=[user],
        kind=NotificationKind.MESSAGE_POSTED,
        application=application,
        params={"application": application.title, "by": "olga", **params},
        link=reverse("correspondence:thread", args=[application.pk]),
    )
    return made


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 404), ("manager_a", 302), ("manager_b", 404), ("auditor", 404)],
)
def test_mark_read_is_the_recipients_alone(request, persona, status, manager_a, application_a):
    notification = a_notification(manager_a, application_a)
    url = reverse("notifications:mark-read", args=[notification.pk])
    assert browser(user_of(request, persona)).post(url).status_code == status
    notification.refresh_from_db()
    assert (notification.read_at is not None) == (persona == "manager_a")


def test_mark_read_sends_the_anonymous_to_login(manager_a, application_a):
    notification = a_notification(manager_a, application_a)
    url = reverse("notifications:mark-read", args=[notification.pk])
    assert_login_redirect(browser(None).post(url))


def test_inbox_shows_the_unread_count_and_marking_read_lowers_it(manager_a, application_a):
    first = a_notification(manager_a, application_a)
    a_notification(manager_a, application_a)
    client = browser(manager_a)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "data-unread>2<" in page
    assert "a new message from olga" in page
    follow = client.post(reverse("notifications:mark-read", args=[first.pk]), {"follow": "1"})
    assert follow["Location"] == reverse("correspondence:thread", args=[application_a.pk])
    assert "data-unread>1<" in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:mark-all-read"))
    assert "data-unread" not in client.get(reverse("notifications:inbox")).content.decode()


def test_preferences_keep_required_kinds_on(manager_a):
    client = browser(manager_a)
    data = {kind: "at_once" for kind in NotificationKind.values}
    response = client.post(
        reverse("notifications:preferences"),
        {**data, "language": "en", "transition": "off", "message_posted": "off"},
    )
    assert response.status_code == 400  # "off" is not offered for the required kinds
    response = client.post(
        reverse("notifications:preferences"),
        {**data, "language": "en", "transition": "digest", "message_posted": "off"},
    )
    assert response.status_code == 302
    assert dict(manager_a.notification_preferences.values_list("kind", "mode")) == {
        **data,
        "transition": "digest",
        "message_posted": "off",
    }


def overdue_interim_statement(concept) -> Deadline:
    """Move the clock past the first interim statement of the concept phase."""
    return concept.deadlines.filter(kind=DeadlineKind.INTERIM_STATEMENT).order_by("due_on")[0]


def test_an_overdue_interim_statement_is_on_both_sides_task_lists(
    officer, manager_a, manager_b, auditor, concept
):
    statement = overdue_interim_statement(concept)
    later = clock.now() + (statement.due_on - date.today()) + timedelta(days=2)
    with clock.frozen_at(later):
        for user in (manager_a, officer, auditor):
            tasks = browser(user).get(reverse("home")).context["tasks"]
            assert tasks[0].deadline_id == statement.pk, user
            assert tasks[0].is_overdue
        # Another cluster's management does not see it.
        tasks = browser(manager_b).get(reverse("home")).context["tasks"]
        assert statement.pk not in [task.deadline_id for task in tasks]
        page = browser(manager_a, "de").get(reverse("home")).content.decode()
        assert "Zwischennachweis" in page
        assert "überfällig" in page


def test_task_list_puts_overdue_first_then_by_date(officer, concept):
    deadline_set(
        application=concept,
        title="Partner letters",
        due_on=date.today() + timedelta(days=5),
        reason="Jury asked.",
        by=officer,
    )
    with clock.frozen_at(clock.now() + timedelta(days=10)):
        tasks = [t for t in browser(officer).get(reverse("home")).context["tasks"] if t.due_on]
    keys = [(not task.is_overdue, task.due_on) for task in tasks]
    assert keys == sorted(keys)
    assert tasks[0].what == "Partner letters"
    assert tasks[0].is_overdue


def count_queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more_applications(officer, manager, programme, count: int) -> None:
    """``count`` more clusters' applications, submitted, each with a deadline and a
    notification of the officer's and the manager's."""
    for _ in range(count):
        application = ApplicationFactory(
            round=RoundFactory(programme=programme), cluster=ClusterFactory(), with_region=True
        )
        deadline_set(
            application=application,
            title="Partner letters",
            due_on=date.today() + timedelta(days=9),
            reason="Jury asked.",
            by=officer,
        )
        a_notification(officer, application)
        a_notification(manager, application)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("officer", "home"),
        ("auditor", "home"),
        ("manager_a", "home"),
        ("officer", "notifications:inbox"),
        ("manager_a", "notifications:inbox"),
        ("officer", "notifications:failed"),
    ],
)
def test_lists_cost_the_same_queries_for_few_and_many(
    request, persona, url, officer, manager_a, programme, concept
):
    client = browser(user_of(request, persona))
    more_applications(officer, manager_a, programme, 2)
    few = count_queries(client, reverse(url))
    more_applications(officer, manager_a, programme, 12)
    assert count_queries(client, reverse(url)) == few


@pytest.fixture
def failed_delivery(manager_a, application_a) -> Delivery:
    manager_a.email = "martha@example.org"
    manager_a.save()
    a_notification(manager_a, application_a)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )
    return delivery


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 302), ("manager_a", 403), ("manager_b", 403), ("auditor", 403)],
)
def test_delivery_retry_is_for_officers(
    request, persona, status, failed_delivery, django_capture_on_commit_callbacks
):
    url = reverse("notifications:delivery-retry", args=[failed_delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(user_of(request, persona)).post(url)
    assert response.status_code == status
    failed_delivery.refresh_from_db()
    expected = Delivery.State.SENT if persona == "officer" else Delivery.State.FAILED
    assert failed_delivery.state == expected
    assert len(mail.outbox) == (1 if persona == "officer" else 0)


def test_delivery_retry_sends_the_anonymous_to_login(failed_delivery):
    url = reverse("notifications:delivery-retry", args=[failed_delivery.pk])
    assert_login_redirect(browser(None).post(url))


def test_task_list_is_cut_after_the_earliest(officer, concept):
    earliest = list(concept.deadlines.order_by("due_on").values_list("pk", "due_on")[:3])
    with clock.frozen_at(clock.now() + (earliest[0][1] - date.today()) + timedelta(days=1)):
        tasks = tasks_for(officer, limit=2)
    assert [task.deadline_id for task in tasks] == [earliest[0][0], earliest[1][0]]
    assert tasks[0].is_overdue
    assert not tasks[1].is_overdue
