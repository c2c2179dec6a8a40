"""Running phases with approved budgets, the people who work on their drawdowns, and helpers
that enter and move requests through the one service every interface uses.

Cluster A's application runs its concept phase from 1 Jan 2027 for two years (its management
organisation, AZA, 100,000.00 per year) and its implementation phase from 1 Jan 2028 with one
R&D project: a small company (AZK, 70 % of 100,000.00 = 70,000.00 in 2028) and a university
(AZA, 100 % of 50,000.00 plus a Projektpauschale of 20 % = 60,000.00 in 2028).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from applications.models import Application
from applications.states import State
from budgets.models import Phase, RDProject
from budgets.services import budget_line_save, project_partner_add
from disbursements.models import DrawdownRequest
from disbursements.services import drawdown_create, drawdown_transition
from kernel import clock
from kernel.roles import Role
from programmes.models import Organisation, Round

from ..applications.conftest import bring_to, fire, rd_project_add
from ..factories import (
    BERLIN,
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    position,
    user_with_role,
)

CONCEPT_YEAR = 2027
IMPLEMENTATION_YEAR = 2028
CONCEPT_GRANT = Decimal("100000.00")
COMPANY_GRANT = Decimal("70000.00")
UNIVERSITY_GRANT = Decimal("60000.00")  # 50,000.00 at 100 % plus 20 % Projektpauschale


def at(*args: int) -> datetime:
    return datetime(*args, 12, tzinfo=BERLIN)


@pytest.fixture
def frozen() -> Callable[..., Any]:
    """``with frozen(2027, 3, 15):`` runs the block on that day (noon, Berlin)."""
    return lambda *args: clock.frozen_at(at(*args))


@pytest.fixture
def in_march_2027() -> Iterator[None]:
    with clock.frozen_at(at(2027, 3, 15)):
        yield


@dataclass(frozen=True)
class Running:
    application: Application
    management: Organisation
    project: RDProject
    company: Organisation
    university: Organisation


def bring_to_implementation(application: Application, *, officer: Any, manager: Any) -> Running:
    """Through the real workflow: concept phase, an R&D project with a funded company and a
    funded university, proposed and approved."""
    application = bring_to(application, State.CONCEPT_PHASE, officer=officer, manager=manager)
    project = rd_project_add(application, manager)
    company = project.partners.get(is_lead=True).organisation
    university = OrganisationFactory(name="TU Dresden")
    project_partner_add(project=project, organisation=university, by=manager)
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=university,
        year=IMPLEMENTATION_YEAR,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("50000.00"),
        by=manager,
    )
    application = fire(application, "propose_implementation", manager)
    application = fire(application, "approve_implementation", officer)
    return Running(
        application=Application.objects.with_programme().get(pk=application.pk),
        management=application.cluster.management_organisation,
        project=project,
        company=company,
        university=university,
    )


@pytest.fixture
def round_2027(programme: Any) -> Round:
    round_: Round = RoundFactory(programme=programme, number=1, funding_starts_on=date(2027, 1, 1))
    return round_


@pytest.fixture
def running(round_2027: Round, cluster_a: Any, officer: User, manager_a: User) -> Running:
    application = ApplicationFactory(round=round_2027, cluster=cluster_a, with_region=True)
    return bring_to_implementation(application, officer=officer, manager=manager_a)


@pytest.fixture
def payment_officer(db: Any) -> User:
    return user_with_role("paula-payment", Role.PAYMENT_OFFICER)


@pytest.fixture
def payment_officer_2(db: Any) -> User:
    return user_with_role("peter-payment", Role.PAYMENT_OFFICER)


@pytest.fixture
def officer_and_payment_officer(db: Any) -> User:
    """One person with both roles: four eyes keeps them from releasing what they checked."""
    user = user_with_role("doris-double", Role.OFFICER)
    user.groups.add(Group.objects.get(name=Role.PAYMENT_OFFICER))
    return user


def concept_request(
    running: Running, manager: Any, amount: str = "10000.00", **overrides: Any
) -> DrawdownRequest:
    """A draft of the management organisation for March 2027, spent by the end of March."""
    fields: dict[str, Any] = {
        "application": running.application,
        "phase": Phase.CONCEPT,
        "grantee": running.management,
        "year": CONCEPT_YEAR,
        "period_start_on": date(2027, 3, 1),
        "period_end_on": date(2027, 3, 31),
        "spend_by_on": date(2027, 4, 15),
        "positions": [(position("AZA", "0812"), Decimal(amount))],
        "purpose": "Delegation to Grenoble",
    }
    fields.update(overrides)
    return drawdown_create(by=manager, **fields)


def company_request(
    running: Running, manager: Any, amount: str = "20000.00", **overrides: Any
) -> DrawdownRequest:
    """A draft of the company for the first quarter of 2028 (costs incurred, AZK)."""
    fields: dict[str, Any] = {
        "application": running.application,
        "phase": Phase.IMPLEMENTATION,
        "rd_project": running.project,
        "grantee": running.company,
        "year": IMPLEMENTATION_YEAR,
        "period_start_on": date(2028, 1, 1),
        "period_end_on": date(2028, 3, 31),
        "positions": [(position("AZK", "0837"), Decimal(amount))],
    }
    fields.update(overrides)
    return drawdown_create(by=manager, **fields)


def move(drawdown: DrawdownRequest, name: str, by: Any, comment: str = "") -> DrawdownRequest:
    return drawdown_transition(drawdown=drawdown, name=name, by=by, comment=comment)


def released(
    drawdown: DrawdownRequest, *, manager: Any, officer: Any, payer: Any
) -> DrawdownRequest:
    drawdown = move(drawdown, "submit", manager)
    drawdown = move(drawdown, "mark_checked", officer)
    return move(drawdown, "release", payer)
