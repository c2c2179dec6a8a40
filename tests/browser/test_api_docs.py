"""The API docs as Swagger UI renders them: the token hint is visible, not swallowed as HTML."""

from typing import Any

import pytest
from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_show_how_to_send_the_token(chromium: Browser, live_server: Any):
    page = chromium.new_page()
    page.goto(f"{live_server.url}/api/v1/docs/")
    description = page.locator(".information-container .description")
    description.wait_for()
    assert "Authorization: Token YOUR-TOKEN" in description.inner_text()
