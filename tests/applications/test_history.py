"""The history: one immutable row per fired transition, and a state that only transitions change."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from applications.models import Application, ApplicationTransition
from applications.selectors import application_history
from applications.states import State
from kernel import clock

from .conftest import OFFICER, REASON, WORKFLOW, berlin, fire, satisfy_guards

pytestmark = pytest.mark.django_db

# Each transition from its first source state.
FIRST_SOURCES = {name: step.sources[0] for name, step in WORKFLOW.items()}


@pytest.mark.parametrize("name", FIRST_SOURCES)
def test_transition_writes_one_history_row(name, application_a, advance, officer, manager_a):
    source = FIRST_SOURCES[name]
    application = advance(application_a, source)
    satisfy_guards(application, name, manager_a, officer)
    by = officer if WORKFLOW[name].role == OFFICER else manager_a
    before = set(ApplicationTransition.objects.values_list("pk", flat=True))

    fire(application, name, by, REASON)

    (row,) = ApplicationTransition.objects.exclude(pk__in=before)
    assert (row.application_id, row.transition, row.source_state, row.target_state) == (
        application.pk,
        name,
        source,
        WORKFLOW[name].target,
    )
    assert row.by == by
    assert row.comment == REASON


def test_history_row_records_time_in_utc(application_a, advance, officer):
    """09:30 in Berlin on 2 March 2015 (CET) is stored and read back as 08:30 UTC."""
    application = advance(application_a, State.SUBMITTED)
    moment = berlin(2015, 3, 2, 9, 30, 0)

    with clock.frozen_at(moment):
        fire(application, "start_review", officer)

    row = ApplicationTransition.objects.get(application=application, transition="start_review")
    assert row.at == moment
    assert row.at.utcoffset() == timedelta(0)
    assert (row.at.hour, row.at.minute) == (8, 30)


def test_history_row_comment_is_stripped(application_a, advance, officer):
    application = advance(application_a, State.IN_REVIEW)

    fire(application, "reject", officer, "\n  The partner regions are not explained.  \t")

    row = ApplicationTransition.objects.get(application=application, transition="reject")
    assert row.comment == "The partner regions are not explained."


def test_application_history_lists_rows_in_order(application_a, advance, officer, manager_a):
    application = advance(application_a, State.IN_REVIEW)
    application = fire(application, "request_revision", officer, REASON)
    fire(application, "submit", manager_a)

    rows = list(application_history(application))

    assert [(r.transition, r.source_state, r.target_state, r.by) for r in rows] == [
        ("submit", State.DRAFT, State.SUBMITTED, manager_a),
        ("start_review", State.SUBMITTED, State.IN_REVIEW, officer),
        ("request_revision", State.IN_REVIEW, State.DRAFT, officer),
        ("submit", State.DRAFT, State.SUBMITTED, manager_a),
    ]


@pytest.fixture
def history_row(application_a, manager_a):
    fire(application_a, "submit", manager_a)
    return ApplicationTransition.objects.get(application=application_a)


def test_history_row_cannot_be_changed(history_row):
    history_row.comment = "Submitted on time, honestly."

    with pytest.raises(ValidationError):
        history_row.save()

    assert ApplicationTransition.objects.get(pk=history_row.pk).comment == ""


def test_history_row_cannot_be_deleted(history_row):
    with pytest.raises(ValidationError):
        history_row.delete()

    assert ApplicationTransition.objects.filter(pk=history_row.pk).exists()


def test_application_with_history_cannot_be_deleted(history_row):
    """Deleting the application would take its history with it."""
    application = history_row.application

    with transaction.atomic(), pytest.raises(ProtectedError):
        application.delete()

    assert ApplicationTransition.objects.filter(pk=history_row.pk).exists()


def test_application_state_cannot_be_assigned(application_a):
    """The state is a protected field: django-fsm refuses assignment on a loaded object."""
    application = Application.objects.get(pk=application_a.pk)

    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        application.state = State.SELECTED

    assert application.state == State.DRAFT
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_application_state_survives_refresh_from_db(application_a, manager_a):
    """Reloading a protected state from the database is allowed (FSMModelMixin)."""
    stale = Application.objects.get(pk=application_a.pk)
    fire(application_a, "submit", manager_a)

    stale.refresh_from_db()

    assert stale.state == State.SUBMITTED
