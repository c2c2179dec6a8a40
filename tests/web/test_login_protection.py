"""Failed logins lock a username out (django-axes, counted in the database): on the portal, the
admin and the API alike, shared between them, with the remaining time in the message; ministry
officers unlock, and the unlock is recorded."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from funding.accounts.lockout import LOCKED_OUT
from funding.accounts.services import UNLOCKED

from .conftest import browser

pytestmark = pytest.mark.django_db

PORTAL = "/accounts/login/"
ADMIN = "/admin/login/"
API = "/api/v1/auth/login/"
USERNAME = "olga-officer"
PASSWORD = "pw-olga-officer"


def portal_login(password: str, language: str = "en"):
    return browser(None, language).post(PORTAL, {"username": USERNAME, "password": password})


def admin_login(password: str):
    return browser(None).post(ADMIN, {"username": USERNAME, "password": password})


def api_login(password: str):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    return client.post(API, {"username": USERNAME, "password": password}, format="json")


ENTRY_POINTS = {"portal": portal_login, "admin": admin_login, "api": api_login}


def fail(entry: str, times: int) -> None:
    for _ in range(times):
        ENTRY_POINTS[entry]("wrong")


def locked_message(minutes: int) -> str:
    return LOCKED_OUT % {"minutes": minutes}


def assert_locked(entry: str, response, minutes: int = 15) -> None:
    assert response.status_code == 429, entry
    assert int(response["Retry-After"]) > (minutes - 1) * 60
    if entry == "api":
        assert response.json() == {"code": "locked_out", "detail": locked_message(minutes)}
    else:
        assert locked_message(minutes) in response.content.decode()


@pytest.mark.parametrize("entry", ["portal", "admin", "api"])
def test_five_failures_lock_the_username_out(officer, entry):
    fail(entry, 4)
    assert ENTRY_POINTS[entry]("wrong").status_code == 429  # the fifth locks

    right = ENTRY_POINTS[entry](PASSWORD)

    assert_locked(entry, right)
    assert "_auth_user_id" not in right.wsgi_request.session


@pytest.mark.parametrize("entry", ["portal", "admin", "api"])
def test_four_failures_do_not_lock(officer, entry):
    fail(entry, 4)

    response = ENTRY_POINTS[entry](PASSWORD)

    assert response.status_code in (200, 302)
    # A successful login forgets the failures.
    assert not AccessAttempt.objects.filter(username=USERNAME).exists()


@pytest.mark.parametrize(
    ("recorded_at", "refused_at"),
    [("api", "portal"), ("portal", "admin"), ("admin", "api"), ("portal", "api")],
)
def test_a_lockout_applies_at_every_entry_point(officer, recorded_at, refused_at):
    fail(recorded_at, 5)

    assert_locked(refused_at, ENTRY_POINTS[refused_at](PASSWORD))


def test_failures_at_different_entry_points_add_up(officer):
    fail("portal", 2)
    fail("admin", 2)
    fail("api", 1)

    assert_locked("portal", portal_login(PASSWORD))


def test_the_message_gives_the_real_remaining_time(officer):
    fail("portal", 5)
    AccessAttempt.objects.filter(username=USERNAME).update(
        attempt_time=AccessAttempt.objects.get(username=USERNAME).attempt_time
        - timedelta(minutes=6)
    )

    response = api_login(PASSWORD)

    assert_locked("api", response, minutes=9)
    assert 8 * 60 < int(response["Retry-After"]) <= 9 * 60


def test_the_lock_lifts_after_the_cool_off(officer):
    fail("portal", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert portal_login(PASSWORD).status_code == 302


def test_the_message_is_in_german_too(officer):
    fail("portal", 5)

    response = portal_login(PASSWORD, language="de")

    assert response.status_code == 429
    with translation.override("de"):
        german = translation.gettext(LOCKED_OUT) % {"minutes": 15}
    assert german != locked_message(15)
    assert german in response.content.decode()


def test_an_officer_sees_and_unlocks_a_locked_out_user(officer, manager_a):
    for _ in range(5):
        browser(None).post(PORTAL, {"username": "martha-manager-a", "password": "wrong"})
    client = browser(officer)

    listed = client.get(reverse("accounts:lockouts"))
    assert listed.status_code == 200
    assert [lockout.username for lockout in listed.context["lockouts"]] == ["martha-manager-a"]

    response = client.post(reverse("accounts:lockout-unlock"), {"username": "martha-manager-a"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="martha-manager-a").exists()
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.change_message) == (
        officer,
        str(manager_a.pk),
        UNLOCKED,
    )
    assert client.get(reverse("accounts:lockouts")).context["lockouts"] == []
    again = browser(None).post(
        PORTAL, {"username": "martha-manager-a", "password": "pw-martha-manager-a"}
    )
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"), [("manager_a", 403), ("manager_b", 403), ("auditor", 403)]
)
def test_only_officers_unlock(request, officer, persona, status):
    fail("portal", 5)
    client = browser(request.getfixturevalue(persona))

    assert client.get(reverse("accounts:lockouts")).status_code == status
    assert (
        client.post(reverse("accounts:lockout-unlock"), {"username": USERNAME}).status_code
        == status
    )

    assert AccessAttempt.objects.filter(username=USERNAME).exists()
    assert not LogEntry.objects.exists()
    assert portal_login(PASSWORD).status_code == 429


def test_unlock_pages_send_the_anonymous_to_login(db):
    for url in (reverse("accounts:lockouts"), reverse("accounts:lockout-unlock")):
        response = browser(None).post(url) if "unlock" in url else browser(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unlock_accepts_only_post(officer):
    assert browser(officer).get(reverse("accounts:lockout-unlock")).status_code == 405


def lock_out(usernames: list[str]) -> None:
    for username in usernames:
        for agent in ("browser", "script"):  # two rows per username, as from two entry points
            AccessAttempt.objects.create(
                username=username,
                ip_address="192.0.2.1",
                user_agent=agent,
                http_accept="*/*",
                path_info=PORTAL,
                get_data="",
                post_data="",
                failures_since_start=3,
            )


def test_the_lockout_list_takes_the_same_queries_for_few_and_many(officer):
    client = browser(officer)
    counts = []
    for size in (2, 8):
        AccessAttempt.objects.all().delete()
        lock_out([f"user-{size}-{n}" for n in range(size)])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("accounts:lockouts"))
        assert len(page.context["lockouts"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_lockout_list_leaves_out_usernames_below_the_limit(officer):
    lock_out(["locked"])
    AccessAttempt.objects.create(
        username="typo",
        ip_address="192.0.2.1",
        user_agent="browser",
        http_accept="*/*",
        path_info=PORTAL,
        get_data="",
        post_data="",
        failures_since_start=4,
    )

    page = browser(officer).get(reverse("accounts:lockouts"))

    assert [(lockout.username, lockout.failures) for lockout in page.context["lockouts"]] == [
        ("locked", 6)
    ]
