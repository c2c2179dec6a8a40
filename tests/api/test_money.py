"""Money in JSON is a string with exactly two decimals, never a float."""

import re

import pytest

from .support import call

pytestmark = pytest.mark.django_db

TWO_DECIMALS = re.compile(r"^-?\d+\.\d{2}$")


def amounts(data, path=""):
    """Every value under a key ending in ``_amount``, with where it was found."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_amount"):
                yield f"{path}.{key}", value
            else:
                yield from amounts(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from amounts(item, f"{path}[{index}]")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/programmes/",
        "/api/v1/rounds/",
        "/api/v1/budget-lines/",
        "/api/v1/applications/{concept}/budget/",
        "/api/v1/rounds/{round}/overview/",
    ],
)
def test_money_is_a_string_with_two_decimals(world, api_as, url):
    data = call(
        api_as("officer"),
        "get",
        url.format(concept=world.concept.pk, round=world.concept.round_id),
        expect=200,
    )

    found = dict(amounts(data))
    assert found, "the answer should contain amounts"
    assert {
        path: value
        for path, value in found.items()
        if value is not None and not (isinstance(value, str) and TWO_DECIMALS.match(value))
    } == {}


def test_budget_figures_are_exact(world, api_as):
    budget = call(
        api_as("manager_a"), "get", f"/api/v1/applications/{world.concept.pk}/budget/", expect=200
    )

    project = budget["implementation"]["projects"][0]
    company = project["grantees"][0]
    # The small company: 70 % of 200,000.00; no Projektpauschale on the cost basis.
    assert (
        company["funding_rate"],
        company["total"]["grant_amount"],
        company["total"]["projektpauschale_amount"],
    ) == ("70.00", "140000.00", "0.00")
    assert budget["implementation"]["total"]["headroom_amount"] == "2860000.00"
