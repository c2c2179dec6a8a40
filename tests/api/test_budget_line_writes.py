"""POST creates a budget line and never changes another; PUT sets every writable field, PATCH
the fields it names; neither clears a field left out."""

from decimal import Decimal

import pytest
from django.utils import translation

from budgets.models import BudgetLine
from budgets.services import LINE_EXISTS, describe_line

from ..factories import position
from .support import call

pytestmark = pytest.mark.django_db

LINES = "/api/v1/budget-lines/"


def justified(world, api_as, text="Two researchers for a year."):
    """The draft's line with a justification, through the API."""
    call(
        api_as("manager_a"),
        "patch",
        f"{LINES}{world.draft_line.pk}/",
        {"justification": text},
        expect=200,
    )
    return BudgetLine.objects.get(pk=world.draft_line.pk)


def same_key(world, amount="5.00"):
    line = world.draft_line
    return {
        "application": line.application_id,
        "phase": line.phase,
        "grantee": line.grantee_id,
        "year": line.year,
        "position": line.position_id,
        "eligible_amount": amount,
    }


def stored(line):
    line = BudgetLine.objects.get(pk=line.pk)
    return (line.eligible_amount, line.justification, line.updated_at)


def test_post_creates_a_line_and_says_where_it_is(world, api_as):
    body = {**same_key(world, "10.00"), "position": position("AZA", "0846").pk}

    response = api_as("manager_a").post(LINES, body, format="json")

    assert response.status_code == 201
    created = response.json()
    assert response["Location"] == f"http://testserver{LINES}{created['id']}/"
    assert (created["eligible_amount"], created["justification"]) == ("10.00", "")


def test_post_with_the_key_of_a_line_is_a_409_with_its_url(world, api_as):
    line = justified(world, api_as)
    before = (stored(line), BudgetLine.history.count(), BudgetLine.objects.count())

    response = api_as("manager_a").post(LINES, same_key(world), format="json")

    assert response.status_code == 409
    error = response.json()
    url = f"http://testserver{LINES}{line.pk}/"
    assert (error["code"], error["existing"], response["Location"]) == ("duplicate_line", url, url)
    assert error["detail"] == LINE_EXISTS % {"line": describe_line(line)}
    assert describe_line(line).endswith(f"{line.grantee.name} · {line.year} · AZA 0812")
    assert (stored(line), BudgetLine.history.count(), BudgetLine.objects.count()) == before


def test_post_duplicate_is_refused_in_german(world, api_as):
    client = api_as("manager_a")
    client.credentials(HTTP_ACCEPT_LANGUAGE="de")

    error = call(client, "post", LINES, same_key(world), expect=409)

    with translation.override("de"):
        german = translation.gettext(LINE_EXISTS)
        assert german != LINE_EXISTS
        assert error["detail"] == german % {"line": describe_line(world.draft_line)}


def test_patch_keeps_the_justification(world, api_as):
    line = justified(world, api_as)

    changed = call(
        api_as("manager_a"),
        "patch",
        f"{LINES}{line.pk}/",
        {"eligible_amount": "1234.50"},
        expect=200,
    )

    assert (changed["eligible_amount"], changed["justification"]) == (
        "1234.50",
        "Two researchers for a year.",
    )
    assert BudgetLine.objects.get(pk=line.pk).justification == "Two researchers for a year."


def put_body(line, **changes):
    return {
        "phase": line.phase,
        "rd_project": None,
        "grantee": line.grantee_id,
        "year": line.year,
        "position": line.position_id,
        "eligible_amount": "2000.00",
        "justification": line.justification,
        **changes,
    }


def test_put_sets_every_field(world, api_as):
    line = justified(world, api_as)

    changed = call(
        api_as("manager_a"),
        "put",
        f"{LINES}{line.pk}/",
        put_body(line, justification="One researcher."),
        expect=200,
    )

    assert (changed["eligible_amount"], changed["justification"]) == ("2000.00", "One researcher.")


@pytest.mark.parametrize("left_out", ["justification", "rd_project", "eligible_amount", "year"])
def test_put_without_a_field_is_a_400_naming_it_and_clears_nothing(world, api_as, left_out):
    line = justified(world, api_as)
    before = (stored(line), BudgetLine.history.count())
    body = put_body(line)
    del body[left_out]

    error = call(api_as("manager_a"), "put", f"{LINES}{line.pk}/", body, expect=400)

    assert list(error["fields"]) == [left_out]
    assert (stored(line), BudgetLine.history.count()) == before


def test_put_onto_the_key_of_another_line_is_a_409(world, api_as):
    other = call(
        api_as("manager_a"),
        "post",
        LINES,
        {**same_key(world, "10.00"), "position": position("AZA", "0846").pk},
        expect=201,
    )
    line = BudgetLine.objects.get(pk=other["id"])

    error = call(
        api_as("manager_a"),
        "put",
        f"{LINES}{line.pk}/",
        put_body(line, position=world.draft_line.position_id),
        expect=409,
    )

    assert error["existing"] == f"http://testserver{LINES}{world.draft_line.pk}/"
    assert stored(line)[0] == Decimal("10.00")


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_money_as_a_json_number_is_a_400(world, api_as, method):
    line = world.draft_line
    url, body = {
        "post": (LINES, {**same_key(world), "position": position("AZA", "0846").pk}),
        "put": (f"{LINES}{line.pk}/", put_body(line)),
        "patch": (f"{LINES}{line.pk}/", {}),
    }[method]
    count = BudgetLine.objects.count()

    error = call(api_as("manager_a"), method, url, {**body, "eligible_amount": 1000.5}, expect=400)

    assert list(error["fields"]) == ["eligible_amount"]
    assert (BudgetLine.objects.count(), stored(line)[0]) == (count, line.eligible_amount)
