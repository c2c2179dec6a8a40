"""The demo data, loaded once per test module (each test runs in a savepoint inside it)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# Hashing a dozen passwords with the production hasher takes seconds per load.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_interspin", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load once for this module, in a transaction rolled back at its end; each test runs in a
    savepoint inside it, as with Django's ``setUpTestData``."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        output = load("--force")
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def loaded(demo_output, db) -> str:
    """The demo data as the loader left it, and what it printed."""
    return demo_output
