"""Concurrent drawdown submissions on PostgreSQL, with real threads and transactions.

Eight drafts of 30,000.00 each against an approved grant of 100,000.00 for the year: each fits
alone, three fit together. A barrier starts the submissions together, and the sum of what is
requested already (read under the application's row lock) is slowed down, so that without the
lock every submission would read it before any other had committed and all would pass.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import translation

from applications.services import TransitionRefused
from disbursements import guards
from disbursements.models import DrawdownRequest
from disbursements.services import drawdown_transition
from disbursements.states import DrawdownState
from kernel import clock

from ..concurrency import race, slowed
from .conftest import CONCEPT_GRANT, Running, at, concept_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD_LOCK_SECONDS = 0.05
AMOUNT = Decimal("30000.00")
REQUESTS = 8


def test_concurrent_submissions_never_exceed_the_years_grant(
    running: Running, manager_a, monkeypatch
):
    monkeypatch.setattr(guards, "drawn_amount", slowed(guards.drawn_amount, HOLD_LOCK_SECONDS))
    with clock.frozen_at(at(2027, 3, 15)):
        drafts = [concept_request(running, manager_a, str(AMOUNT)) for _ in range(REQUESTS)]

    def submitting(draft: DrawdownRequest) -> Callable[[], DrawdownRequest]:
        def submit() -> DrawdownRequest:
            # Threads inherit neither the frozen clock nor the language: each sets its own.
            with clock.frozen_at(at(2027, 3, 15)), translation.override("en"):
                return drawdown_transition(drawdown=draft, name="submit", by=manager_a)

        return submit

    results = race(*[submitting(draft) for draft in drafts])

    accepted = [r for r in results if isinstance(r, DrawdownRequest)]
    refused = [r for r in results if not isinstance(r, DrawdownRequest)]
    fit = int(CONCEPT_GRANT // AMOUNT)
    assert len(accepted) == fit == 3, results
    assert all(isinstance(error, TransitionRefused) for error in refused), refused
    assert {error.code for error in refused} == {"over_grant"}
    assert all("€90,000.00 of it is requested already" in error.detail for error in refused)
    submitted = DrawdownRequest.objects.filter(state=DrawdownState.SUBMITTED)
    assert {drawdown.pk for drawdown in submitted} == {drawdown.pk for drawdown in accepted}
    assert DrawdownRequest.objects.filter(state=DrawdownState.DRAFT).count() == REQUESTS - fit
