"""One JSON line per request: request id, user id, method, path, status, duration; nothing else
personal."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from pythonjsonlogger.json import JsonFormatter

LOGGER = "funding.requests"


def request_records(caplog):
    return [record for record in caplog.records if record.name == LOGGER]


@pytest.mark.django_db
def test_one_line_per_request_with_a_generated_id(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get("/accounts/login/?next=/secret-search-term/")
    (record,) = request_records(caplog)
    assert len(response["X-Request-ID"]) == 32
    assert record.request_id == response["X-Request-ID"]
    assert (record.method, record.path, record.status) == ("GET", "/accounts/login/", 200)
    assert record.user_id is None
    assert record.duration_ms >= 0


@pytest.mark.django_db
def test_the_proxy_request_id_is_kept_and_the_user_id_logged(client, caplog):
    user = get_user_model().objects.create_user("officer.logged", "o@example.org", "pw-1234-xyz")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-4711.abc"})
    (record,) = request_records(caplog)
    assert response["X-Request-ID"] == record.request_id == "lb-4711.abc"
    assert (record.status, record.user_id) == (404, user.pk)
    line = JsonFormatter("%(message)s").format(record)
    assert "officer.logged" not in line
    assert "o@example.org" not in line
    assert json.loads(line)["user_id"] == user.pk


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get("/accounts/login/", headers={"X-Request-ID": 'x" injected=1'})
    assert response["X-Request-ID"] != 'x" injected=1'
    assert len(response["X-Request-ID"]) == 32


def test_production_logs_are_json_lines(settings):
    formatter = settings.LOGGING["formatters"]["json"]
    assert formatter["()"] == "pythonjsonlogger.json.JsonFormatter"


@pytest.mark.django_db
def test_an_api_token_user_is_logged_by_id(client, caplog):
    get_user_model().objects.create_user("api.user", "a@example.org", "pw-1234-xyz")
    token = client.post(
        "/api/v1/auth/login/",
        {"username": "api.user", "password": "pw-1234-xyz"},
        content_type="application/json",
    ).json()["token"]
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()
    response = client.get("/api/v1/auth/me/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    (record,) = request_records(caplog)
    assert record.user_id == get_user_model().objects.get(username="api.user").pk
