"""Tokens for scripts (expiring, revocable), sessions for browsers, failed logins locked out
(django-axes; the lockout shared with the portal and the admin is tested in
tests/web/test_login_protection.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework.test import APIClient

from funding.accounts.lockout import LOCKED_OUT
from funding.api.auth import INVALID_CREDENTIALS
from kernel.api.permissions import NO_ROLE

from .conftest import client_for

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
ME = "/api/v1/auth/me/"
CREDENTIALS = {"username": "martha-manager-a", "password": "pw-martha-manager-a"}


def login(client: APIClient, **credentials: str):
    return client.post(LOGIN, credentials or CREDENTIALS, format="json")


def with_token(token: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_login_returns_a_token_that_expires(manager_a):
    before = timezone.now()

    response = login(APIClient())

    assert response.status_code == 200
    expiry = AuthToken.objects.get(user=manager_a).expiry
    assert before + knox_settings.TOKEN_TTL <= expiry <= timezone.now() + knox_settings.TOKEN_TTL
    assert (
        response.json()["expiry"] == expiry.astimezone(timezone.get_current_timezone()).isoformat()
    )


def test_token_identifies_the_user(manager_a):
    token = login(APIClient()).json()["token"]

    me = with_token(token).get(ME)

    assert me.status_code == 200
    assert me.json() == {
        "id": manager_a.pk,
        "username": "martha-manager-a",
        "roles": ["cluster management"],
        "cluster": manager_a.cluster_membership.cluster_id,
    }


def test_logout_revokes_the_token(manager_a):
    client = with_token(login(APIClient()).json()["token"])

    assert client.post("/api/v1/auth/logout/").status_code == 204

    assert client.get(ME).status_code == 401
    assert not AuthToken.objects.filter(user=manager_a).exists()


def test_expired_token_is_refused(manager_a):
    token = login(APIClient()).json()["token"]
    AuthToken.objects.filter(user=manager_a).update(expiry=timezone.now() - timedelta(seconds=1))

    response = with_token(token).get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_that_is_not_text_is_refused_not_a_crash(manager_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"))

    response = client.get(ME)

    assert response.status_code == 401


def test_wrong_password_is_refused(manager_a):
    response = login(client_for(), username="martha-manager-a", password="wrong")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "detail": str(INVALID_CREDENTIALS)}


def test_failed_logins_are_locked_out(manager_a):
    client = client_for()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, username="martha-manager-a", password="wrong").status_code == 400

    locked = login(client, username="martha-manager-a", password="wrong")
    refused = login(client, **CREDENTIALS)

    assert locked.status_code == refused.status_code == 429
    assert refused.json() == {"code": "locked_out", "detail": LOCKED_OUT % {"minutes": 15}}
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60


def test_successful_logins_are_not_counted(manager_a):
    statuses = {login(APIClient()).status_code for _ in range(settings.AXES_FAILURE_LIMIT + 1)}

    assert statuses == {200}


def test_session_writes_need_the_csrf_token(manager_a, application_a):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(manager_a)

    response = browser.patch(
        f"/api/v1/applications/{application_a.pk}/", {"title": "New"}, format="json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_reads_work_without_a_token(manager_a, application_a):
    browser = APIClient()
    browser.force_login(manager_a)

    response = browser.get(f"/api/v1/applications/{application_a.pk}/")

    assert response.status_code == 200


def test_user_without_a_role_is_refused(db):
    nobody = User.objects.create_user(username="nora-no-role", password="pw")

    response = client_for(nobody).get("/api/v1/programmes/")

    assert response.status_code == 403
    assert response.json() == {"code": "no_role", "detail": str(NO_ROLE)}
