"""Login, logout and password change with the portal's own pages; the language switch; the
page's language attribute and skip link."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .conftest import browser

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_fields(db):
    response = Client().get(reverse("login"))
    page = response.content.decode()
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page
    assert "csrfmiddlewaretoken" in page


def test_login_takes_the_user_home(manager_a):
    response = Client().post(
        reverse("login"), {"username": manager_a.username, "password": f"pw-{manager_a.username}"}
    )
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused(manager_a):
    response = Client().post(
        reverse("login"), {"username": manager_a.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_anonymous_visitors_are_sent_to_the_portals_login(db):
    response = Client().get(reverse("home"))
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_logout_needs_a_post_and_leads_to_login(manager_a):
    client = browser(manager_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change(manager_a):
    client = browser(manager_a)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": f"pw-{manager_a.username}",
            "new_password1": "Kiel-Brief-2016!",
            "new_password2": "Kiel-Brief-2016!",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    manager_a.refresh_from_db()
    assert manager_a.check_password("Kiel-Brief-2016!")


def test_language_switch_remembers_the_choice(manager_a):
    client = browser(manager_a)
    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("home")})
    assert response["Location"] == reverse("home")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="de">' in page


def test_pages_are_german_by_default(manager_a):
    client = Client()
    client.force_login(manager_a)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="de">' in page
    with translation.override("de"):
        german = gettext("My applications")
    assert german != "My applications"
    assert german in page


def test_english_pages_say_so(manager_a):
    page = browser(manager_a, "en").get(reverse("home")).content.decode()
    assert '<html lang="en">' in page


def test_every_page_has_a_skip_link_to_the_content(manager_a):
    page = browser(manager_a).get(reverse("home")).content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page


def test_the_language_switch_is_a_labelled_form(manager_a):
    page = browser(manager_a).get(reverse("home")).content.decode()
    assert '<label class="visually-hidden" for="language">' in page
    assert f'action="{reverse("set_language")}"' in page
