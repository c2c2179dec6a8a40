"""An officer sets up two-factor login in the real browser: the QR code shows, the key typed
into an app gives the code that confirms it, the recovery codes appear once."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(key_text: str) -> str:
    """What an authenticator app shows for the key as the page prints it."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


def test_an_officer_sets_up_the_second_factor(visitor, officer, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["officer", "auditor"]
    olga = visitor(officer.username, f"pw-{officer.username}")
    page = olga.page
    assert "/accounts/two-factor/setup/" in page.url

    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 150
    olga.shot("16-two-factor-setup")
    page.fill("#id_code", code_from_key(page.locator("[data-testid=secret]").inner_text()))
    page.locator("main form button[type=submit]").click()

    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.locator("h1")).not_to_have_text("Set up two-factor login")
    assert "/accounts/two-factor" not in page.url
