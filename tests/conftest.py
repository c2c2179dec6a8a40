"""Personas, set up once per test: an officer, the managements of clusters A and B, an auditor,
and an anonymous visitor; plus the InterSpiN programme and an open round."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from programmes.access import Role

from .factories import (
    ApplicationFactory,
    ClusterFactory,
    ProgrammeFactory,
    RoundFactory,
    user_with_role,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Personas are created for most tests; the production hasher would take most of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English unless a test asks for German (translation.override)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Pages link static files; without DEBUG the settings use WhiteNoise's manifest storage,
    which needs `collectstatic` first. The tests need the links, not the files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def private_storage_in_tmp(settings, tmp_path_factory):
    """Documents and receipts (every submission makes one) go to a folder of the test's own,
    beside its ``tmp_path`` (which some tests expect to hold only what they wrote)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("private")},
        },
    }


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def open_round(programme):
    return RoundFactory(programme=programme, number=1)


@pytest.fixture
def cluster_a(db):
    return ClusterFactory(name="Cluster A")


@pytest.fixture
def cluster_b(db):
    return ClusterFactory(name="Cluster B")


@pytest.fixture
def officer(db):
    return user_with_role("olga-officer", Role.OFFICER)


@pytest.fixture
def auditor(db):
    return user_with_role("anton-auditor", Role.AUDITOR)


@pytest.fixture
def manager_a(cluster_a):
    return user_with_role("martha-manager-a", Role.CLUSTER_MANAGEMENT, cluster_a)


@pytest.fixture
def manager_b(cluster_b):
    return user_with_role("bruno-manager-b", Role.CLUSTER_MANAGEMENT, cluster_b)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def application_a(open_round, cluster_a):
    """Cluster A's draft in the open round, complete enough to submit."""
    return ApplicationFactory(round=open_round, cluster=cluster_a, with_region=True)
