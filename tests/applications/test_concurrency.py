"""Two officers acting at the same moment, on PostgreSQL with real threads and transactions.

Each thread gets an application object loaded before the race, as a page would have shown it.
A barrier starts both calls together, and the service's permission check is slowed down
(it runs inside the locked transaction) so that the second call arrives while the first still
holds its locks: without the row locks both calls would read the old state and both succeed.
"""

from collections.abc import Callable
from typing import Any

import pytest

from applications import services
from applications.models import Application, ApplicationTransition
from applications.services import ApplicationChangedMeanwhile, TransitionRefused
from applications.states import State

from ..competition.support import reviews_for_selection
from ..concurrency import race, slowed
from .conftest import REASON, bring_to, fire

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITERATIONS = 5
# Long enough for the other thread to reach its lock while this one holds it.
HOLD_LOCK_SECONDS = 0.2


@pytest.fixture
def slow_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """During a race, widen the window between locking the application and writing the new
    state."""
    check = services.transition_option

    monkeypatch.setattr(services, "transition_option", slowed(check, HOLD_LOCK_SECONDS))


def firing(application: Application, name: str, by: Any, comment: str = "") -> Callable[[], Any]:
    return lambda: fire(application, name, by, comment)


@pytest.mark.parametrize(
    ("first", "second"),
    [(("select", REASON), ("select", REASON)), (("select", REASON), ("reject", REASON))],
    ids=["select-vs-select", "select-vs-reject"],
)
def test_concurrent_transitions_one_wins(
    first, second, round_with_quota, applicant, officer, officer_2, slow_checks
):
    """Exactly one officer's decision is taken; the other is told it changed meanwhile."""
    round_ = round_with_quota(ITERATIONS)
    for _iteration in range(ITERATIONS):
        entrant = applicant(round_)
        application = bring_to(
            entrant.application, State.IN_REVIEW, officer=officer, manager=entrant.manager
        )
        reviews_for_selection(application, officer=officer)
        # Both officers opened the application page before either clicked.
        seen_by_1 = Application.objects.get(pk=application.pk)
        seen_by_2 = Application.objects.get(pk=application.pk)

        results = race(
            firing(seen_by_1, first[0], officer, first[1]),
            firing(seen_by_2, second[0], officer_2, second[1]),
        )

        winners = [r for r in results if isinstance(r, Application)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1, results
        assert [type(e) for e in losers] == [ApplicationChangedMeanwhile], results
        assert losers[0].code == "changed_meanwhile"
        stored = Application.objects.get(pk=application.pk)
        assert stored.state == winners[0].state
        decisions = ApplicationTransition.objects.filter(
            application=application, source_state=State.IN_REVIEW
        )
        assert decisions.count() == 1
        assert decisions.get().target_state == stored.state


def test_concurrent_selections_keep_quota(
    round_with_quota, applicant, officer, officer_2, slow_checks
):
    """A round with room for one: two officers select two applications at once, one is
    refused because the quota is reached."""
    for _iteration in range(ITERATIONS):
        round_ = round_with_quota(1)
        entrants = [applicant(round_) for _ in range(2)]
        in_review = [
            bring_to(e.application, State.IN_REVIEW, officer=officer, manager=e.manager)
            for e in entrants
        ]
        for application in in_review:
            reviews_for_selection(application, officer=officer)

        results = race(
            firing(in_review[0], "select", officer, REASON),
            firing(in_review[1], "select", officer_2, REASON),
        )

        refused = [r for r in results if isinstance(r, Exception)]
        assert [type(e) for e in refused] == [TransitionRefused], results
        assert refused[0].code == "quota_reached"
        states = sorted(Application.objects.filter(round=round_).values_list("state", flat=True))
        assert states == sorted([State.IN_REVIEW, State.SELECTED])
        assert (
            ApplicationTransition.objects.filter(
                application__round=round_, transition="select"
            ).count()
            == 1
        )
