"""Headless Chromium (Debian's, never a downloaded one) driven by Playwright against the live
test server, as the real roles log in through the login page.

Playwright's sync API keeps an event loop in the test's thread, so Django, which refuses
database calls where an event loop runs, is told to allow them: only in these tests, only while
the browser runs (``DJANGO_ALLOW_ASYNC_UNSAFE``). Screenshots go to ``test-artefacts/browser``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright

from applications.models import Application
from applications.states import State

from ..applications.conftest import bring_to
from ..environment import CHROMIUM

ARTEFACTS = Path(settings.BASE_DIR) / "test-artefacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def static_root_for_the_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing, and the live server builds
    its middleware once, before any function-scoped setting applies."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture
def django_in_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def chromium(django_in_playwright: None, settings: Any) -> Iterator[Browser]:
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Connections the test opened while Playwright's event loop ran are not the ones
            # pytest-django closes; left open, PostgreSQL refuses to drop the test database.
            connections.close_all()


@dataclass
class Visitor:
    """One person at their browser: logged in through the login page, in their language."""

    page: Page
    base_url: str

    def go(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visitor(chromium: Browser, live_server: Any) -> Callable[..., Visitor]:
    def visitor_(
        username: str, password: str, *, locale: str = "en-GB", width: int = 1280
    ) -> Visitor:
        context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        person = Visitor(page=page, base_url=live_server.url)
        person.go("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/**")
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return person

    return visitor_


@pytest.fixture
def to_state(officer: Any, manager_a: Any) -> Callable[[Application, State], Application]:
    """Bring an application of cluster A into a state through the real services."""

    def to_state_(application: Application, state: State) -> Application:
        return bring_to(application, state, officer=officer, manager=manager_a)

    return to_state_
