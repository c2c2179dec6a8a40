"""The competition's cast: two reviewers (jury members) beside the personas of tests/conftest.py,
and applications brought into review through the real workflow."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from applications.models import Application
from applications.services import application_transition
from competition.models import ReviewCriterion
from competition.services import criterion_create
from programmes.access import Role
from programmes.models import Round

from ..factories import ApplicationFactory, ClusterFactory, user_with_role
from .support import new_reviewer

# The round's criteria in the tests: weights 2, 1 and 0.5 on the scale 1 to 5.
CRITERIA = (
    ("Quality of the internationalisation strategy", Decimal("2.00")),
    ("Fit of the partner regions", Decimal("1.00")),
    ("Sustainability beyond the funding", Decimal("0.50")),
)

REASON_TO_REJECT = "The planned R&D cooperation is not yet concrete enough."


def fire(application: Application, name: str, by: Any, comment: str = "") -> Application:
    return application_transition(application=application, name=name, by=by, comment=comment)


def into_review(application: Application, *, manager: Any, officer: Any) -> Application:
    """Submit (as the cluster's management) and start the review (as the officer)."""
    return fire(fire(application, "submit", manager), "start_review", officer)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests compare messages with the English constants, whatever German the catalogue
    has."""
    with translation.override("en"):
        yield


@pytest.fixture
def reviewer(db: Any) -> User:
    return new_reviewer("rita-reviewer")


@pytest.fixture
def reviewer_2(db: Any) -> User:
    return new_reviewer("rolf-reviewer")


@pytest.fixture
def officer_2(db: Any) -> User:
    return user_with_role("otto-officer-2", Role.OFFICER)


@pytest.fixture
def criteria(open_round: Round, officer: User) -> list[ReviewCriterion]:
    return [
        criterion_create(round=open_round, name=name, weight=weight, order=order, by=officer)
        for order, (name, weight) in enumerate(CRITERIA)
    ]


@pytest.fixture
def submitted_a(application_a: Application, manager_a: User) -> Application:
    """Cluster A's outline, submitted: not yet in review."""
    return fire(application_a, "submit", manager_a)


@pytest.fixture
def in_review_a(submitted_a: Application, officer: User) -> Application:
    """Cluster A's outline in review."""
    return fire(submitted_a, "start_review", officer)


@pytest.fixture
def entrant(officer: User) -> Callable[..., Application]:
    """A new cluster's outline in review in ``round_``, submitted by its own management."""
    numbers = iter(range(1, 1000))

    def entrant_(round_: Round, name: str = "") -> Application:
        number = next(numbers)
        cluster = ClusterFactory(name=name or f"Entrant {round_.number}-{number}")
        manager = user_with_role(
            f"entrant-manager-{round_.pk}-{number}", Role.CLUSTER_MANAGEMENT, cluster
        )
        application = ApplicationFactory(round=round_, cluster=cluster, with_region=True)
        return into_review(application, manager=manager, officer=officer)

    return entrant_
