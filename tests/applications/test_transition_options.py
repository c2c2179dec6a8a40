"""What each persona may fire now, and for everything else the reason: the list pages and the API
show. Expectations come from the issue's table (``WORKFLOW``), not from the model."""

import pytest

from applications.selectors import transition_options
from applications.states import State

from .conftest import PERSONAS, ROLE_OF_PERSONA, WORKFLOW

pytestmark = pytest.mark.django_db

# Where ``advance`` leaves a guard unsatisfied: it adds the submitted reviews only when the
# application is selected, a concept budget only when the concept phase starts, and an R&D
# project only when the implementation is proposed.
GUARD_REFUSALS = {
    (State.IN_REVIEW, "select"): "too_few_reviews",
    (State.SELECTED, "start_concept_phase"): "budget_empty",
    (State.CONCEPT_PHASE, "propose_implementation"): "no_rd_projects",
}


def expected_code(state: State, name: str, persona: str) -> str:
    """The first reason a persona may not fire ``name`` in ``state``; empty when it may."""
    step = WORKFLOW[name]
    if state not in step.sources:
        return "wrong_state"
    if ROLE_OF_PERSONA.get(persona) != step.role:
        return "not_permitted"
    return GUARD_REFUSALS.get((state, name), "")


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize("state", list(State))
def test_transition_options_for_persona_in_state(
    state, persona_name, application_a, advance, request
):
    application = advance(application_a, state)
    user = request.getfixturevalue(persona_name)

    options = transition_options(application, user)

    assert {o.name: (o.allowed, o.code) for o in options} == {
        name: (
            expected_code(state, name, persona_name) == "",
            expected_code(state, name, persona_name),
        )
        for name in WORKFLOW
    }


def test_transition_options_describe_every_transition(application_a, officer):
    options = transition_options(application_a, officer)

    assert [(o.name, o.target, o.comment_required) for o in options] == [
        (name, step.target, step.comment_required) for name, step in WORKFLOW.items()
    ]
    assert all(o.label for o in options)


def test_transition_options_explain_refusals_in_words(application_a, auditor):
    options = {o.name: o for o in transition_options(application_a, auditor)}

    assert options["submit"].refusals[0].detail
    assert options["start_review"].refusals[0].detail
    assert options["submit"].refusals[0].detail != options["start_review"].refusals[0].detail
