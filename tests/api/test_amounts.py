"""The shared amount table (tests/amounts.py) through the API's money fields: a string in the
schema's notation (digits, a point, at most two decimals) or a 400 naming the field, with nothing
written. JSON numbers are refused: a float cannot hold every amount to the cent."""

import pytest

from budgets.models import BudgetLine
from kernel.money import Notation

from ..amounts import amount_rows
from ..factories import position
from .support import call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "expected"), amount_rows(Notation.API))
def test_api_reads_the_amount_table(world, api_as, typed, expected):
    line = world.draft_line
    before = BudgetLine.objects.get(pk=line.pk).eligible_amount
    url = f"/api/v1/budget-lines/{line.pk}/"

    if expected is None:
        error = call(api_as("manager_a"), "patch", url, {"eligible_amount": typed}, expect=400)
        assert list(error["fields"]) == ["eligible_amount"], typed
        assert BudgetLine.objects.get(pk=line.pk).eligible_amount == before
    else:
        answer = call(api_as("manager_a"), "patch", url, {"eligible_amount": typed}, expect=200)
        assert answer["eligible_amount"] == f"{expected:.2f}"
        assert BudgetLine.objects.get(pk=line.pk).eligible_amount == expected


@pytest.mark.parametrize("number", [5, 5.5, 1e3])
def test_api_refuses_json_numbers_as_money(world, api_as, number):
    line = world.draft_line
    body = {
        "application": world.draft.pk,
        "phase": line.phase,
        "grantee": line.grantee_id,
        "year": line.year + 1,
        "position": position("AZA", "0812").pk,
        "eligible_amount": number,
    }
    count = BudgetLine.objects.count()

    error = call(api_as("manager_a"), "post", "/api/v1/budget-lines/", body, expect=400)

    assert list(error["fields"]) == ["eligible_amount"]
    assert "not a JSON number" in error["fields"]["eligible_amount"][0]
    assert BudgetLine.objects.count() == count
