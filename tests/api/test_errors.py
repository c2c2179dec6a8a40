"""Errors are JSON of one shape: ``code`` and ``detail``, with ``fields`` for invalid input and
``errors`` for broken budget rules. No input makes the API answer 500."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from applications.api import budget_line_views
from applications.models import Application
from applications.services import ALREADY_APPLIED, NOT_EDITABLE
from applications.states import State
from budgets.models import BudgetLine
from kernel.api.fields import READ_ONLY_FIELD, UNKNOWN_FIELD

from ..factories import position
from .support import call

pytestmark = pytest.mark.django_db


def test_invalid_input_lists_each_field(world, api_as):
    body = {
        "application": world.draft.pk,
        "phase": "summer",
        "grantee": world.company.pk,
        "year": "soon",
        "position": position("AZA", "0812").pk,
        "eligible_amount": "12.345",
    }

    error = call(api_as("manager_a"), "post", "/api/v1/budget-lines/", body, expect=400)

    assert error["code"] == "invalid"
    assert sorted(error["fields"]) == ["eligible_amount", "phase", "year"]


def test_read_only_field_cannot_be_written(world, api_as):
    error = call(
        api_as("officer"),
        "patch",
        f"/api/v1/applications/{world.draft.pk}/",
        {"state": State.SELECTED, "title": "Selected by PATCH"},
        expect=400,
    )

    assert error["fields"] == {"state": [str(READ_ONLY_FIELD)]}
    unchanged = Application.objects.get(pk=world.draft.pk)
    assert (unchanged.state, unchanged.title) == (State.DRAFT, world.draft.title)


def test_unknown_field_is_refused_not_ignored(world, api_as):
    error = call(
        api_as("manager_a"),
        "patch",
        f"/api/v1/budget-lines/{world.draft_line.pk}/",
        {"eligible_amout": "1.00"},
        expect=400,
    )

    assert error["fields"] == {"eligible_amout": [str(UNKNOWN_FIELD)]}


def test_model_rule_is_a_field_error(world, api_as):
    start = world.draft.concept_start_on

    error = call(
        api_as("manager_a"),
        "patch",
        f"/api/v1/applications/{world.draft.pk}/",
        {"concept_end_on": start.replace(year=start.year - 1).isoformat()},
        expect=400,
    )

    assert list(error["fields"]) == ["concept_end_on"]


def test_service_refusal_keeps_its_code(world, api_as):
    error = call(
        api_as("manager_a"),
        "post",
        "/api/v1/applications/",
        {"round": world.round.pk, "cluster": world.cluster.pk},
        expect=400,
    )

    assert error["code"] == "already_applied"
    assert error["detail"] == ALREADY_APPLIED % {
        "cluster": world.cluster.name,
        "round": world.round.number,
    }


def test_service_permission_refusal_says_why(world, api_as, manager_a):
    call(
        api_as("manager_a"),
        "post",
        f"/api/v1/applications/{world.draft.pk}/transitions/submit/",
        {},
        expect=200,
    )

    error = call(
        api_as("officer"),
        "patch",
        f"/api/v1/applications/{world.draft.pk}/",
        {"title": "Too late"},
        expect=403,
    )

    assert error == {"code": "permission_denied", "detail": NOT_EDITABLE}


def test_budget_rule_error_lists_every_violation(world, api_as):
    error = call(
        api_as("manager_a"),
        "patch",
        f"/api/v1/budget-lines/{world.draft_line.pk}/",
        {"eligible_amount": "500000.01"},
        expect=400,
    )

    assert error["code"] == "concept_annual_cap"
    assert error["errors"] == [
        {
            "code": "concept_annual_cap",
            "detail": error["errors"][0]["message"],
            "rule": "concept_annual_cap",
            "scope": str(world.draft.concept_start_on.year),
            "limit": "500000.00",
            "actual": "500000.01",
            "excess": "0.01",
            "unit": "EUR",
            "message": error["errors"][0]["message"],
        }
    ]
    assert BudgetLine.objects.get(pk=world.draft_line.pk).eligible_amount == Decimal("100000.00")


def test_unknown_route_is_a_json_404(api_as):
    response = api_as("officer").delete("/api/v1/applications/not-a-number/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_malformed_json_is_a_400(world, api_as):
    response = api_as("manager_a").generic(
        "POST", "/api/v1/budget-lines/", b'{"year": 20', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_moving_a_line_onto_another_lines_key_is_refused(world, api_as):
    other = call(
        api_as("manager_a"),
        "post",
        "/api/v1/budget-lines/",
        {
            "application": world.draft.pk,
            "phase": "concept",
            "grantee": world.cluster.management_organisation_id,
            "year": world.draft_line.year,
            "position": position("AZA", "0846").pk,
            "eligible_amount": "10.00",
        },
        expect=201,
    )

    response = api_as("manager_a").patch(
        f"/api/v1/budget-lines/{other['id']}/",
        {"position": world.draft_line.position_id},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_line"
    assert response.json()["existing"].endswith(f"/api/v1/budget-lines/{world.draft_line.pk}/")
    assert BudgetLine.objects.get(pk=other["id"]).position.code == "0846"


def test_unique_key_written_meanwhile_is_a_409(world, api_as, monkeypatch):
    """Two requests writing the same new key at once: the database refuses the later one."""

    def written_meanwhile(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(budget_line_views, "budget_line_create", written_meanwhile)

    error = call(
        api_as("manager_a"),
        "post",
        "/api/v1/budget-lines/",
        {
            "application": world.draft.pk,
            "phase": "concept",
            "grantee": world.cluster.management_organisation_id,
            "year": world.draft_line.year,
            "position": position("AZA", "0846").pk,
            "eligible_amount": "10.00",
        },
        expect=409,
    )

    assert error["code"] == "conflict"


def test_unexpected_error_is_a_logged_json_500(world, api_as, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(budget_line_views, "budget_lines_visible_to", broken)
    client = api_as("officer")
    client.raise_request_exception = False

    response = client.get("/api/v1/budget-lines/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "a bug" not in response.content.decode()
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/review-assignments/?round=-3.6254389459241e%2B73",
        "/api/v1/review-assignments/?application=1.5",
        "/api/v1/budget-lines/?application=99999999999999999999999",
    ],
)
def test_an_id_no_key_can_hold_is_a_400_not_a_500(world, api_as, query):
    response = api_as("officer").get(query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
