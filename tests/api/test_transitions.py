"""The workflow through the API: what each user may fire and why not, refusals with their
numbers, and the 409 when the application changed meanwhile."""

from decimal import Decimal

import pytest

from applications.api.views import TransitionView
from applications.models import Application, ApplicationTransition
from applications.selectors import TRANSITION_NAMES
from applications.services import application_transition
from applications.states import State
from programmes.models import Programme

from .support import call, euros, half_up_percent

pytestmark = pytest.mark.django_db


def transitions_url(application: Application, name: str = "") -> str:
    return f"/api/v1/applications/{application.pk}/transitions/" + (f"{name}/" if name else "")


def test_options_list_every_transition_with_the_reason(world, api_as):
    options = call(api_as("manager_a"), "get", transitions_url(world.draft), expect=200)

    by_name = {option["name"]: option for option in options}
    assert list(by_name) == list(TRANSITION_NAMES)
    assert by_name["submit"]["allowed"] is True
    assert by_name["submit"]["refusals"] == []
    assert (by_name["start_review"]["allowed"], by_name["start_review"]["code"]) == (
        False,
        "wrong_state",
    )


def test_options_say_when_the_role_may_not(world, api_as):
    options = call(api_as("officer"), "get", transitions_url(world.draft), expect=200)

    submit = next(option for option in options if option["name"] == "submit")
    assert (submit["allowed"], submit["code"]) == (False, "not_permitted")


def test_role_that_may_not_fire_gets_403(world, api_as):
    error = call(api_as("officer"), "post", transitions_url(world.draft, "submit"), {}, expect=403)

    assert error["code"] == "not_permitted"
    assert [item["code"] for item in error["errors"]] == ["not_permitted"]


def test_missing_comment_is_refused(world, api_as, manager_a):
    call(api_as("manager_a"), "post", transitions_url(world.draft, "submit"), {}, expect=200)
    call(api_as("officer"), "post", transitions_url(world.draft, "start_review"), {}, expect=200)

    error = call(
        api_as("officer"),
        "post",
        transitions_url(world.draft, "reject"),
        {"comment": "   "},
        expect=400,
    )

    assert error["code"] == "comment_required"
    assert Application.objects.get(pk=world.draft.pk).state == State.IN_REVIEW


def test_unknown_transition_is_404(world, api_as):
    response = api_as("officer").post(
        transitions_url(world.draft, "approve_everything"), {}, format="json"
    )

    assert response.status_code == 404


def test_guard_refusal_carries_the_budget_violation(world, api_as):
    call(
        api_as("manager_a"),
        "post",
        transitions_url(world.concept, "propose_implementation"),
        {},
        expect=200,
    )
    # The ministry lowers the implementation cap below what the plan asks for.
    lowered = 100_000_00
    Programme.objects.filter(pk=world.round.programme_id).update(
        implementation_cap_amount=Decimal(euros(lowered))
    )
    planned = half_up_percent(200_000_00, 70_00)  # the small company's 70 % of 200,000.00

    error = call(
        api_as("officer"),
        "post",
        transitions_url(world.concept, "approve_implementation"),
        {},
        expect=400,
    )

    assert error["code"] == "implementation_cap"
    violations = [v for item in error["errors"] for v in item["violations"]]
    assert [(v["rule"], v["limit"], v["actual"], v["excess"]) for v in violations] == [
        ("implementation_cap", euros(lowered), euros(planned), euros(planned - lowered))
    ]
    assert Application.objects.get(pk=world.concept.pk).state == State.IMPLEMENTATION_PROPOSED


def test_stale_expected_state_is_409(world, api_as):
    call(api_as("manager_a"), "post", transitions_url(world.draft, "submit"), {}, expect=200)

    error = call(
        api_as("manager_a"),
        "post",
        transitions_url(world.draft, "withdraw"),
        {"expected_state": "draft"},
        expect=409,
    )

    assert error["code"] == "changed_meanwhile"
    assert Application.objects.get(pk=world.draft.pk).state == State.SUBMITTED


def test_change_between_loading_and_firing_is_409(world, api_as, manager_a, monkeypatch):
    """The view has loaded the application; before the service locks it, its cluster
    management withdraws it. The officer's start_review must not go ahead."""
    call(api_as("manager_a"), "post", transitions_url(world.draft, "submit"), {}, expect=200)
    load = TransitionView.get_application

    def load_then_withdrawn_meanwhile(view):
        loaded = load(view)
        application_transition(
            application=Application.objects.get(pk=loaded.pk), name="withdraw", by=manager_a
        )
        return loaded

    monkeypatch.setattr(TransitionView, "get_application", load_then_withdrawn_meanwhile)

    error = call(
        api_as("officer"), "post", transitions_url(world.draft, "start_review"), {}, expect=409
    )

    assert error["code"] == "changed_meanwhile"
    assert Application.objects.get(pk=world.draft.pk).state == State.WITHDRAWN
    assert not ApplicationTransition.objects.filter(
        application=world.draft, transition="start_review"
    ).exists()


def test_history_lists_who_fired_what(world, api_as):
    history = call(
        api_as("auditor"), "get", f"/api/v1/applications/{world.concept.pk}/history/", expect=200
    )

    last = history["results"][-1]
    assert (last["transition"], last["source_state"], last["target_state"], last["by"]) == (
        "start_concept_phase",
        "selected",
        "concept_phase",
        "olga-officer",
    )
