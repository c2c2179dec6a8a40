"""Competing writes on PostgreSQL, with real threads and transactions: a conflict of interest
and an assignment of the same reviewer cannot cross, and one reviewer is assigned once.

A barrier starts both calls together, and the services' clock is slowed down (it is read after
the checks, just before the rows are written, inside the locked transaction): without the locks
both calls would pass their checks."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from competition import services as review_services
from competition.models import ConflictOfInterest, ReviewerAssignment
from competition.services import conflict_declare, reviewer_assign
from kernel import clock

from ..concurrency import race, slowed
from .support import new_reviewer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITERATIONS = 5
HOLD_LOCK_SECONDS = 0.2


class SlowClock:
    """The services' clock, slow while a race runs."""

    now = staticmethod(slowed(clock.now, HOLD_LOCK_SECONDS))


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_services, "clock", SlowClock)


def assigning(application: Any, reviewer: Any, by: Any) -> Callable[[], Any]:
    return lambda: reviewer_assign(application=application, reviewer=reviewer, by=by)


def declaring(application: Any, reviewer: Any) -> Callable[[], Any]:
    return lambda: conflict_declare(
        reviewer=reviewer, cluster=application.cluster, reason="Board member.", by=reviewer
    )


def test_conflict_and_assignment_never_cross(entrant, open_round, officer, slow_clock):
    """Whichever comes first, the reviewer ends up with the conflict on record and without an
    assignment to the cluster's application."""
    for _iteration in range(ITERATIONS):
        application = entrant(open_round)
        reviewer = new_reviewer()

        results = race(assigning(application, reviewer, officer), declaring(application, reviewer))

        assigned, declared = results
        assert isinstance(declared, ConflictOfInterest), results
        assert isinstance(assigned, ReviewerAssignment) or (
            isinstance(assigned, ValidationError) and assigned.code == "conflict_of_interest"
        ), results
        assert not ReviewerAssignment.objects.filter(
            application=application, reviewer=reviewer
        ).exists()
        assert ConflictOfInterest.objects.filter(reviewer=reviewer).count() == 1


def test_two_officers_assign_the_same_reviewer_once(
    entrant, open_round, officer, officer_2, slow_clock
):
    for _iteration in range(ITERATIONS):
        application = entrant(open_round)
        reviewer = new_reviewer()

        results = race(
            assigning(application, reviewer, officer), assigning(application, reviewer, officer_2)
        )

        refused = [r for r in results if isinstance(r, Exception)]
        assert [(type(e), e.code) for e in refused] == [(ValidationError, "already_assigned")]
        assert ReviewerAssignment.objects.filter(application=application).count() == 1
