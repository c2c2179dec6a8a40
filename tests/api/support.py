"""Small helpers for driving the API in tests."""

from typing import Any

from rest_framework.test import APIClient


def call(client: APIClient, method: str, url: str, body: Any = None, *, expect: int) -> Any:
    """Send ``body`` as JSON, check the status (showing the answer if it differs), and return
    the decoded answer (None for 204)."""
    response = getattr(client, method.lower())(url, body, format="json")
    assert response.status_code == expect, (response.status_code, response.content[:2000])
    return None if response.status_code == 204 else response.json()


def euros(cents: int) -> str:
    """Integer cents as the API writes money: a string with two decimals."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def half_up_percent(amount_cents: int, rate_basis_points: int) -> int:
    """amount × rate (in hundredths of a percent), rounded half up to the cent."""
    quotient, remainder = divmod(amount_cents * rate_basis_points, 10_000)
    return quotient + (1 if 2 * remainder >= 10_000 else 0)
