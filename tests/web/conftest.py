"""The portal's personas as browsers (the Django test client, reading English unless a test asks
for German), and applications brought into any state through the real services."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from applications.models import Application
from applications.states import State

from ..applications.conftest import bring_to


@pytest.fixture(autouse=True)
def static_root(settings: Any, tmp_path: Any) -> None:
    """WhiteNoise warns about a missing STATIC_ROOT (before `collectstatic`); the pages only
    need the links to the files, so an empty directory will do."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def browser(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_officer(officer: User) -> Client:
    return browser(officer)


@pytest.fixture
def as_auditor(auditor: User) -> Client:
    return browser(auditor)


@pytest.fixture
def as_manager_a(manager_a: User) -> Client:
    return browser(manager_a)


@pytest.fixture
def as_manager_b(manager_b: User) -> Client:
    return browser(manager_b)


@pytest.fixture
def as_anonymous(db: Any) -> Client:
    return browser(None)


@pytest.fixture
def to_state(officer: User, manager_a: User) -> Callable[[Application, State], Application]:
    """Bring an application of cluster A into a state by firing the real transitions (with the
    reviews, budgets and projects their guards need)."""

    def to_state_(application: Application, state: State) -> Application:
        return bring_to(application, state, officer=officer, manager=manager_a)

    return to_state_


@pytest.fixture(autouse=True)
def language_left_as_found() -> Iterator[None]:
    """A request activates its language in the test's thread (LocaleMiddleware leaves it
    active); put back what was active, so no later test depends on these requests."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()
