"""The workflow as the issue specifies it, and helpers that bring an application into any state by
firing the real transitions through the service (with a valid budget where a guard needs one).

The table ``WORKFLOW`` is written from the issue, not read from the model, so the tests compare
the implementation against the specification.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from applications.models import Application
from applications.services import application_transition
from applications.states import State
from budgets.models import BudgetLine, Phase, RDProject
from budgets.services import (
    LineInput,
    budget_line_save,
    budget_lines_write,
    project_partner_add,
    rd_project_create,
)
from programmes.access import Role
from programmes.models import Cluster, Round

from ..competition.support import reviews_for_selection
from ..factories import (
    BERLIN,
    ApplicationFactory,
    ClusterFactory,
    CompanyFactory,
    PartnerAbroadFactory,
    RoundFactory,
    position,
    user_with_role,
)

OFFICER = "officer"
OWN_MANAGEMENT = "own cluster management"

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")
# Who each persona is for an application of cluster A.
ROLE_OF_PERSONA = {"officer": OFFICER, "manager_a": OWN_MANAGEMENT}

# A reason for the transitions that need one.
REASON = "The selection panel asks for a clearer partner strategy."

CONCEPT_AMOUNT_PER_YEAR = Decimal("100000.00")
IMPLEMENTATION_AMOUNT = Decimal("100000.00")


@dataclass(frozen=True)
class Step:
    """One transition of the issue's table: from where, to where, who may fire it."""

    sources: tuple[State, ...]
    target: State
    role: str
    comment_required: bool = False


WORKFLOW: dict[str, Step] = {
    "submit": Step((State.DRAFT,), State.SUBMITTED, OWN_MANAGEMENT),
    "withdraw": Step(
        (State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.SELECTED),
        State.WITHDRAWN,
        OWN_MANAGEMENT,
    ),
    "start_review": Step((State.SUBMITTED,), State.IN_REVIEW, OFFICER),
    "request_revision": Step((State.IN_REVIEW,), State.DRAFT, OFFICER, comment_required=True),
    # Issue 4: the officer records the panel's decision with a justification.
    "select": Step((State.IN_REVIEW,), State.SELECTED, OFFICER, comment_required=True),
    "reject": Step((State.IN_REVIEW,), State.REJECTED, OFFICER, comment_required=True),
    "start_concept_phase": Step((State.SELECTED,), State.CONCEPT_PHASE, OFFICER),
    "propose_implementation": Step(
        (State.CONCEPT_PHASE,), State.IMPLEMENTATION_PROPOSED, OWN_MANAGEMENT
    ),
    "return_implementation": Step(
        (State.IMPLEMENTATION_PROPOSED,), State.CONCEPT_PHASE, OFFICER, comment_required=True
    ),
    "approve_implementation": Step(
        (State.IMPLEMENTATION_PROPOSED,), State.IMPLEMENTATION_PHASE, OFFICER
    ),
    "decline_implementation": Step(
        (State.IMPLEMENTATION_PROPOSED,), State.CLOSED, OFFICER, comment_required=True
    ),
    "complete": Step((State.IMPLEMENTATION_PHASE,), State.COMPLETED, OFFICER),
}

# The transitions that lead from a fresh draft to each state.
PATHS: dict[State, tuple[str, ...]] = {
    State.DRAFT: (),
    State.SUBMITTED: ("submit",),
    State.IN_REVIEW: ("submit", "start_review"),
    State.SELECTED: ("submit", "start_review", "select"),
    State.REJECTED: ("submit", "start_review", "reject"),
    State.WITHDRAWN: ("withdraw",),
    State.CONCEPT_PHASE: ("submit", "start_review", "select", "start_concept_phase"),
    State.IMPLEMENTATION_PROPOSED: (
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
    ),
    State.IMPLEMENTATION_PHASE: (
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
        "approve_implementation",
    ),
    State.CLOSED: (
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
        "decline_implementation",
    ),
    State.COMPLETED: (
        "submit",
        "start_review",
        "select",
        "start_concept_phase",
        "propose_implementation",
        "approve_implementation",
        "complete",
    ),
}


def fire(application: Application, name: str, by: Any, comment: str = "") -> Application:
    """Fire a transition through the one service every interface uses."""
    return application_transition(application=application, name=name, by=by, comment=comment)


def concept_budget_add(application: Application, by: Any) -> list[BudgetLine]:
    """A valid concept budget: the cluster management organisation, two consecutive years."""
    year = application.concept_start_on.year
    management = application.cluster.management_organisation
    staff = position("AZA", "0812")
    return budget_lines_write(
        application=application,
        writes=[
            LineInput(Phase.CONCEPT, management, year, staff, CONCEPT_AMOUNT_PER_YEAR),
            LineInput(Phase.CONCEPT, management, year + 1, staff, CONCEPT_AMOUNT_PER_YEAR),
        ],
        by=by,
    )


def rd_project_add(
    application: Application,
    by: Any,
    *,
    title: str = "Sensor networks",
    german_partner: bool = True,
    partner_abroad: bool = True,
    funded: bool = True,
) -> RDProject:
    """An R&D project inside the implementation period, with the partners asked for; the German
    partner (a small company) gets a budget line when ``funded``."""
    start = application.implementation_start_on.replace(day=1)
    project = rd_project_create(
        application=application,
        title=title,
        start_month=start,
        end_month=date(start.year + 2, 12, 1),
        by=by,
    )
    if german_partner:
        company = CompanyFactory()
        project_partner_add(project=project, organisation=company, is_lead=True, by=by)
        if funded:
            budget_line_save(
                application=application,
                phase=Phase.IMPLEMENTATION,
                rd_project=project,
                grantee=company,
                year=start.year,
                position=position("AZK", "0837"),
                eligible_amount=IMPLEMENTATION_AMOUNT,
                by=by,
            )
    if partner_abroad:
        project_partner_add(project=project, organisation=PartnerAbroadFactory(), by=by)
    return project


def satisfy_guards(application: Application, name: str, manager: Any, officer: Any) -> None:
    """Give the application what the guard of transition ``name`` asks for: the submitted
    reviews its round requires before it is selected, a concept budget before the concept
    phase starts, an implementation plan before it is proposed."""
    if name == "select":
        reviews_for_selection(application, officer=officer)
    if name == "start_concept_phase":
        concept_budget_add(application, manager)
    if name == "propose_implementation":
        rd_project_add(application, manager)


def bring_to(application: Application, state: State, *, officer: Any, manager: Any) -> Application:
    """Fire the real transitions from draft to ``state``, satisfying each guard on the way."""
    for name in PATHS[state]:
        satisfy_guards(application, name, manager, officer)
        step = WORKFLOW[name]
        by = officer if step.role == OFFICER else manager
        application = fire(application, name, by, REASON if step.comment_required else "")
    assert application.state == state
    return application


def berlin(*args: int) -> datetime:
    """A moment in local (German) time."""
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def officer_2(db: Any) -> User:
    return user_with_role("otto-officer-2", Role.OFFICER)


@pytest.fixture
def persona(request: pytest.FixtureRequest) -> Any:
    """The persona named by indirect parametrisation (one of ``PERSONAS``)."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def advance(officer: User, manager_a: User) -> Callable[..., Application]:
    """Bring cluster A's application to a state: ``advance(application, State.SELECTED)``."""

    def advance_(application: Application, state: State) -> Application:
        return bring_to(application, state, officer=officer, manager=manager_a)

    return advance_


@dataclass(frozen=True)
class Applicant:
    application: Application
    manager: User


@pytest.fixture
def applicant(db: Any) -> Callable[..., Applicant]:
    """A new cluster with its management and a complete draft in ``round_``."""
    count = iter(range(1, 1000))

    def applicant_(round_: Round, cluster: Cluster | None = None) -> Applicant:
        number = next(count)
        cluster = cluster or ClusterFactory()
        manager = user_with_role(f"manager-{round_.pk}-{number}", Role.CLUSTER_MANAGEMENT, cluster)
        application = ApplicationFactory(round=round_, cluster=cluster, with_region=True)
        return Applicant(application, manager)

    return applicant_


@pytest.fixture
def round_with_quota(programme: Any) -> Callable[[int], Round]:
    """An open round of the programme that selects ``quota`` clusters."""
    numbers = iter(range(10, 1000))

    def round_(quota: int) -> Round:
        return RoundFactory(programme=programme, number=next(numbers), selection_quota=quota)

    return round_
