"""Concurrent change requests on PostgreSQL, with real threads and transactions: the row lock
on the application lets only one open change request per plan exist, and two officers
approving at once make one version, not two."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from applications.services import ApplicationChangedMeanwhile, TransitionRefused
from budgets.models import BudgetLine, PlanVersion
from change_requests import services
from change_requests.models import ChangeRequest
from change_requests.services import change_request_create, change_request_transition

from ..concurrency import race, slowed
from ..disbursements.conftest import Running
from .support import draft_change_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD_LOCK_SECONDS = 0.05


def test_concurrent_proposals_leave_one_open_change_request(
    running: Running, manager_a, monkeypatch
):
    monkeypatch.setattr(services, "_write", slowed(services._write, HOLD_LOCK_SECONDS))

    def proposing() -> Any:
        with translation.override("en"):
            return change_request_create(application=running.application, by=manager_a)

    results = race(*[proposing for _ in range(4)])

    created = [r for r in results if isinstance(r, ChangeRequest)]
    refused = [r for r in results if not isinstance(r, ChangeRequest)]
    assert len(created) == 1, results
    assert {getattr(error, "code", None) for error in refused} == {"open_change_request"}
    assert ChangeRequest.objects.count() == 1


def test_two_officers_approving_at_once_make_one_version(
    running: Running, manager_a, officer, officer_2
):
    draft = draft_change_request(running.application)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager_a)

    def approving(by: Any) -> Callable[[], Any]:
        def approve() -> Any:
            with translation.override("en"):
                return change_request_transition(
                    change_request=submitted, name="approve", by=by, expected_state="submitted"
                )

        return approve

    results = race(approving(officer), approving(officer_2))

    approved = [r for r in results if isinstance(r, ChangeRequest)]
    refused = [r for r in results if not isinstance(r, ChangeRequest)]
    assert len(approved) == 1, results
    assert all(isinstance(e, ApplicationChangedMeanwhile | TransitionRefused) for e in refused)
    assert PlanVersion.objects.filter(application=running.application).count() == 2
    # The money moved once: the live concept lines are version 2's, with version 1's total.
    live = BudgetLine.objects.filter(application=running.application, phase="concept")
    second = PlanVersion.objects.get(application=running.application, number=2)
    amounts = {(line.year, line.eligible_amount) for line in live}
    assert amounts == {
        (line.year, line.eligible_amount) for line in second.lines.filter(phase="concept")
    }
