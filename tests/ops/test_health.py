"""/health/: for load balancers, without login, ok/failing per check and nothing more."""

import json

import pytest
from django.core.cache import caches

from funding.ops import health
from funding.ops.health import PendingMigrations

CHECKS = {"database", "cache", "storage", "private_storage", "migrations", "tasks"}


@pytest.fixture(autouse=True)
def storage_roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.mark.django_db(transaction=True)
def test_healthy_without_login(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_check_answers_503_without_its_reason(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("secret-host.internal:6379 refused")

    monkeypatch.setattr(caches["default"], "aset", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["cache"] == "failing"
    assert body["checks"]["database"] == "ok"
    assert "secret-host" not in response.content.decode()
    # The reason is in the log for the operator.
    assert "secret-host.internal:6379 refused" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_pending_migrations_fail_the_check(monkeypatch):
    assert health.passes("migrations", PendingMigrations())

    class Pending:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            return [("ops", "0002_not_applied")]

    monkeypatch.setattr(health, "MigrationExecutor", Pending)
    assert not health.passes("migrations", PendingMigrations())


def test_the_answer_holds_only_names_and_states(client, monkeypatch):
    monkeypatch.setattr(health, "passes", lambda name, check: name != "storage")
    body = json.loads(client.get("/health/").content)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"].values()) == {"ok", "failing"}


@pytest.mark.django_db(transaction=True)
def test_load_balancers_may_probe_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
