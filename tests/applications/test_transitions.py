"""Every transition, allowed for its role from each source state, refused for every other persona
and from every other state; and a refused transition changes nothing."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from applications.models import Application, ApplicationTransition
from applications.services import (
    ApplicationChangedMeanwhile,
    TransitionNotPermitted,
    TransitionRefused,
    application_transition,
)
from applications.states import State
from kernel import clock

from ..competition.support import reviews_for_selection
from .conftest import (
    OFFICER,
    PERSONAS,
    REASON,
    ROLE_OF_PERSONA,
    WORKFLOW,
    fire,
    satisfy_guards,
)

pytestmark = pytest.mark.django_db

ALLOWED = [(name, source) for name, step in WORKFLOW.items() for source in step.sources]
NOT_PERMITTED = [
    (name, source, persona)
    for name, step in WORKFLOW.items()
    for source in step.sources
    for persona in PERSONAS
    if ROLE_OF_PERSONA.get(persona) != step.role
]
WRONG_STATE = [
    (name, state) for name, step in WORKFLOW.items() for state in State if state not in step.sources
]


def comment_for(name: str) -> str:
    return REASON if WORKFLOW[name].comment_required else ""


def stored_state(application: Application) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=application.pk)


@pytest.mark.parametrize(("name", "source"), ALLOWED, ids=[f"{n}-from-{s}" for n, s in ALLOWED])
def test_transition_fired_by_its_role_reaches_target(
    name: str, source: State, application_a, advance, officer, manager_a
):
    """The role of the issue's table fires the transition from each of its source states."""
    application = advance(application_a, source)
    satisfy_guards(application, name, manager_a, officer)
    by = officer if WORKFLOW[name].role == OFFICER else manager_a

    fired = fire(application, name, by, comment_for(name))

    assert fired.state == WORKFLOW[name].target
    assert stored_state(application) == WORKFLOW[name].target


@pytest.mark.parametrize(
    ("name", "source", "persona"),
    NOT_PERMITTED,
    ids=[f"{n}-from-{s}-by-{p}" for n, s, p in NOT_PERMITTED],
    indirect=["persona"],
)
def test_transition_refused_for_other_personas(
    name: str, source: State, persona: Any, application_a, advance, manager_a, officer
):
    """Only the role of the issue's table may fire a transition, even when its guard holds."""
    application = advance(application_a, source)
    satisfy_guards(application, name, manager_a, officer)

    with pytest.raises(TransitionNotPermitted) as refused:
        fire(application, name, persona, comment_for(name))

    assert refused.value.code == "not_permitted"
    assert stored_state(application) == source


@pytest.mark.parametrize(
    ("name", "state"), WRONG_STATE, ids=[f"{n}-from-{s}" for n, s in WRONG_STATE]
)
def test_transition_refused_from_wrong_state(
    name: str, state: State, application_a, advance, officer, manager_a
):
    """A transition can only be fired from its source states, even by its own role."""
    application = advance(application_a, state)
    by = officer if WORKFLOW[name].role == OFFICER else manager_a

    with pytest.raises(TransitionRefused) as refused:
        fire(application, name, by, comment_for(name))

    assert refused.value.code == "wrong_state"
    assert stored_state(application) == state


def _not_permitted(application: Application, users: dict[str, Any]) -> None:
    fire(application, "start_review", users["auditor"])


def _wrong_state(application: Application, users: dict[str, Any]) -> None:
    fire(application, "select", users["officer"])


def _comment_missing(application: Application, users: dict[str, Any]) -> None:
    fire(application, "request_revision", users["officer"], "   ")


def _deadline_passed(application: Application, users: dict[str, Any]) -> None:
    with clock.frozen_at(application.round.outline_deadline_at + timedelta(seconds=1)):
        fire(application, "submit", users["manager_a"])


def _budget_empty(application: Application, users: dict[str, Any]) -> None:
    fire(application, "start_concept_phase", users["officer"])


def _too_few_reviews(application: Application, users: dict[str, Any]) -> None:
    fire(application, "select", users["officer"], REASON)


REFUSALS: dict[str, tuple[State, Callable[[Application, dict[str, Any]], None]]] = {
    "not_permitted": (State.SUBMITTED, _not_permitted),
    "wrong_state": (State.SUBMITTED, _wrong_state),
    "comment_required": (State.IN_REVIEW, _comment_missing),
    "deadline_passed": (State.DRAFT, _deadline_passed),
    "budget_empty": (State.SELECTED, _budget_empty),
    "too_few_reviews": (State.IN_REVIEW, _too_few_reviews),
}


@pytest.mark.parametrize("code", REFUSALS)
def test_refused_transition_changes_nothing(
    code: str, application_a, advance, officer, manager_a, auditor
):
    """A refused transition leaves the state, the fields and the history as they were."""
    state, attempt = REFUSALS[code]
    application = advance(application_a, state)
    before = Application.objects.values().get(pk=application.pk)
    history_before = list(ApplicationTransition.objects.values_list("pk", flat=True))

    with pytest.raises((TransitionRefused, TransitionNotPermitted)) as refused:
        attempt(application, {"officer": officer, "manager_a": manager_a, "auditor": auditor})

    assert refused.value.code == code
    assert Application.objects.values().get(pk=application.pk) == before
    assert list(ApplicationTransition.objects.values_list("pk", flat=True)) == history_before
    assert application.state == state


def test_transition_refused_when_application_changed_meanwhile(
    application_a, advance, officer, officer_2
):
    """Whoever acts on an outdated copy is told to reload; the first decision stands."""
    application = advance(application_a, State.IN_REVIEW)
    outdated = Application.objects.get(pk=application.pk)
    reviews_for_selection(application, officer=officer)
    fire(application, "select", officer, REASON)

    with pytest.raises(ApplicationChangedMeanwhile) as refused:
        fire(outdated, "reject", officer_2, REASON)

    assert refused.value.code == "changed_meanwhile"
    assert stored_state(application) == State.SELECTED
    assert application.transitions.filter(transition="reject").count() == 0


def test_transition_refused_when_the_state_the_user_saw_is_not_the_current_one(
    application_a, advance, officer
):
    """Pages, API and admin pass the state the user saw; a fresh copy does not hide a change."""
    application = advance(application_a, State.SUBMITTED)
    fresh = Application.objects.get(pk=application.pk)

    with pytest.raises(ApplicationChangedMeanwhile) as refused:
        application_transition(
            application=fresh, name="start_review", by=officer, expected_state=State.DRAFT
        )

    assert refused.value.code == "changed_meanwhile"
    assert stored_state(application) == State.SUBMITTED
    assert not application.transitions.filter(transition="start_review").exists()


def test_transition_fires_when_the_state_the_user_saw_is_current(application_a, advance, officer):
    application = advance(application_a, State.SUBMITTED)

    done = application_transition(
        application=application, name="start_review", by=officer, expected_state=State.SUBMITTED
    )

    assert done.state == State.IN_REVIEW


def test_transition_unknown_name_refused(application_a, manager_a):
    with pytest.raises(TransitionRefused) as refused:
        application_transition(application=application_a, name="approve_everything", by=manager_a)

    assert refused.value.code == "unknown_transition"
    assert stored_state(application_a) == State.DRAFT
