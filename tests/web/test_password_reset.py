"""Password reset by e-mail on the portal: a link for a known address (in the reader's language),
the same answer for an unknown one, the link works once, the new password logs in."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from .conftest import browser

pytestmark = pytest.mark.django_db

RESET = "accounts:password-reset"
NEW_PASSWORD = "a-new-Secret-2026"


@pytest.fixture
def with_email(manager_a):
    manager_a.email = "martha@cluster-a.example"
    manager_a.save(update_fields=["email"])
    return manager_a


def ask(address: str, language: str = "en"):
    return browser(None, language).post(reverse(RESET), {"email": address})


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_login_page_links_to_the_reset(db):
    page = browser(None).get(reverse("login"))

    assert f'href="{reverse(RESET)}"' in page.content.decode()
    assert "Forgot your password?" in page.content.decode()


def test_a_known_address_gets_a_link(with_email):
    response = ask("martha@cluster-a.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-sent")
    [message] = mail.outbox
    assert message.to == ["martha@cluster-a.example"]
    assert message.subject == "InterSpiN portal: reset your password"
    assert "martha-manager-a" in message.body
    assert "\n" not in message.subject
    assert link_in(message).startswith("/accounts/password/reset/")


def test_the_mail_is_in_german_for_a_german_reader(with_email):
    ask("martha@cluster-a.example", language="de")

    [message] = mail.outbox
    assert message.subject == "InterSpiN-Portal: Passwort zurücksetzen"
    assert "Passwort" in message.body
    assert "reset your password" not in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(with_email):
    known = ask("martha@cluster-a.example")
    unknown = ask("nobody@example.org")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    sent = browser(None).get(reverse("accounts:password-reset-sent"))
    assert "If an account has this e-mail address" in sent.content.decode()


def test_the_link_sets_a_new_password_once(with_email):
    ask("martha@cluster-a.example")
    link = link_in(mail.outbox[0])
    client = browser(None)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert client.get(done["Location"]).status_code == 200
    with_email.refresh_from_db()
    assert with_email.check_password(NEW_PASSWORD)
    again = browser(None).get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link is no longer valid" in again.content.decode()
    login = browser(None).post(
        reverse("login"), {"username": "martha-manager-a", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    old = browser(None).post(
        reverse("login"), {"username": "martha-manager-a", "password": "pw-martha-manager-a"}
    )
    assert old.status_code == 200


def test_a_new_password_lifts_a_lockout(with_email):
    for _ in range(5):
        browser(None).post(reverse("login"), {"username": "martha-manager-a", "password": "x"})
    assert AccessAttempt.objects.filter(username="martha-manager-a").exists()
    ask("martha@cluster-a.example")
    client = browser(None)
    form = client.get(link_in(mail.outbox[0]), follow=True)

    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert not AccessAttempt.objects.filter(username="martha-manager-a").exists()
    login = browser(None).post(
        reverse("login"), {"username": "martha-manager-a", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_a_weak_new_password_is_refused(with_email):
    ask("martha@cluster-a.example")
    client = browser(None)
    form = client.get(link_in(mail.outbox[0]), follow=True)

    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )

    assert refused.status_code == 200
    with_email.refresh_from_db()
    assert with_email.check_password("pw-martha-manager-a")


@pytest.mark.parametrize("persona", ["officer", "auditor", "manager_a", "manager_b", "anonymous"])
@pytest.mark.parametrize(
    "route",
    ["accounts:password-reset", "accounts:password-reset-sent", "accounts:password-reset-complete"],
)
def test_reset_pages_are_open_to_everyone(request, persona, route):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert browser(user).get(reverse(route)).status_code == 200


def test_a_forged_link_is_refused(manager_a):
    url = reverse("accounts:password-reset-confirm", args=["MQ", "forged-token"])

    response = browser(None).get(url)

    assert response.status_code == 200
    assert not response.context["validlink"]
