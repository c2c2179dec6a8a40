"""The number of queries of every list (and of the budget summary and a round's overview)
does not grow with the number of rows."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application, PartnerRegion
from applications.services import application_transition
from applications.states import State
from budgets.models import (
    BudgetLine,
    BudgetPosition,
    GranteeTerms,
    Phase,
    ProjectPartner,
    RDProject,
)
from budgets.services import grantee_terms_set, rd_project_update
from competition.models import (
    ConflictOfInterest,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)
from kernel.history import save_with_history
from programmes.access import Role
from programmes.models import Organisation

from ..competition.support import new_reviewer, review_submitted
from ..factories import (
    ApplicationFactory,
    ClusterFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RoundFactory,
    position,
    user_with_role,
)
from .conftest import World, in_review

pytestmark = pytest.mark.django_db

numbers = count(1)


@dataclass(frozen=True)
class Endpoint:
    url: Callable[[World], str]
    add_row: Callable[[World, Any], None]
    size: Callable[[Any], int] = lambda data: len(data["results"])


def add_line(w: World, officer: Any) -> None:
    BudgetLine.objects.create(
        application=w.draft,
        phase=Phase.CONCEPT,
        grantee=w.cluster.management_organisation,
        year=1900 + next(numbers),
        position=position("AZA", "0812"),
        eligible_amount=Decimal("1.00"),
    )


def add_project(w: World, officer: Any) -> None:
    project = RDProject.objects.create(
        application=w.concept,
        title=f"Project {next(numbers)}",
        start_month=w.project.start_month,
        end_month=w.project.end_month,
    )
    ProjectPartner.objects.create(project=project, organisation=OrganisationFactory(), is_lead=True)


def add_transition(w: World, officer: Any) -> None:
    """One real transition of A's application in the concept phase: its management proposes
    the implementation, or the officer returns the proposal."""
    application = Application.objects.get(pk=w.concept.pk)
    if application.state == State.CONCEPT_PHASE:
        manager = w.cluster.memberships.get().user
        application_transition(application=application, name="propose_implementation", by=manager)
    else:
        application_transition(
            application=application, name="return_implementation", by=officer, comment="Revise."
        )


def add_change(w: World, officer: Any) -> None:
    """One recorded change of A's application in the concept phase, of each kind in turn: the
    company's funding rate, the project's title, the company's city."""
    number = next(numbers)
    if number % 3 == 0:
        rate = GranteeTerms.objects.get(pk=w.terms.pk).funding_rate
        grantee_terms_set(
            application=w.concept,
            organisation=w.company,
            basis="AZK",
            funding_rate=Decimal("60.00") if rate != Decimal("60.00") else Decimal("50.00"),
            has_projektpauschale=False,
            by=officer,
        )
    elif number % 3 == 1:
        rd_project_update(project=w.project, title=f"Printed sensors {number}", by=officer)
    else:
        company = Organisation.objects.get(pk=w.company.pk)
        company.city = f"City {number}"
        save_with_history(company, by=officer)


def add_applicant(w: World, officer: Any) -> None:
    ApplicationFactory(round=w.round, cluster=ClusterFactory(), with_region=True)


def add_review(w: World, officer: Any) -> None:
    """A jury member's draft review of A's outline in review, with a score."""
    assignment = ReviewerAssignment.objects.create(
        application=w.in_review, reviewer=new_reviewer(), assigned_by=officer
    )
    review = Review.objects.create(assignment=assignment, recommendation="fund")
    ReviewScore.objects.create(review=review, criterion=w.review_criterion, score=3)


def add_conflict(w: World, officer: Any) -> None:
    ConflictOfInterest.objects.create(
        reviewer=new_reviewer(), cluster=w.cluster, reason="Former employee.", declared_by=officer
    )


def add_reviewed_entrant(w: World, officer: Any) -> None:
    """Another cluster's outline in review in the review round, with a submitted review."""
    cluster = ClusterFactory()
    manager = user_with_role(f"entrant-{next(numbers)}", Role.CLUSTER_MANAGEMENT, cluster)
    application = in_review(w.review_round, cluster, manager=manager, officer=officer)
    review_submitted(application, new_reviewer(), officer=officer)


ENDPOINTS = {
    "programmes": Endpoint(
        lambda w: "/api/v1/programmes/",
        lambda w, o: ProgrammeFactory(name=f"P{next(numbers)}", short_name=f"P{next(numbers)}"),
    ),
    "rounds": Endpoint(
        lambda w: "/api/v1/rounds/",
        lambda w, o: RoundFactory(programme=w.round.programme, number=100 + next(numbers)),
    ),
    "clusters": Endpoint(lambda w: "/api/v1/clusters/", lambda w, o: ClusterFactory()),
    "organisations": Endpoint(
        lambda w: "/api/v1/organisations/", lambda w, o: OrganisationFactory()
    ),
    "budget-positions": Endpoint(
        lambda w: "/api/v1/budget-positions/",
        lambda w, o: BudgetPosition.objects.create(
            basis="AZA", code=f"9{next(numbers):03d}", name_de="Test", name_en="Test"
        ),
    ),
    "applications": Endpoint(lambda w: "/api/v1/applications/", add_applicant),
    "partner-regions": Endpoint(
        lambda w: f"/api/v1/applications/{w.draft.pk}/partner-regions/",
        lambda w, o: PartnerRegion.objects.create(
            application=w.draft,
            country="JP",
            region=f"Region {next(numbers)}",
            partner_name="Partner",
        ),
    ),
    "projects": Endpoint(lambda w: f"/api/v1/applications/{w.concept.pk}/projects/", add_project),
    "project-partners": Endpoint(
        lambda w: f"/api/v1/applications/{w.concept.pk}/projects/{w.project.pk}/partners/",
        lambda w, o: ProjectPartner.objects.create(
            project=w.project, organisation=OrganisationFactory()
        ),
    ),
    "grantee-terms": Endpoint(
        lambda w: f"/api/v1/applications/{w.concept.pk}/grantee-terms/",
        lambda w, o: GranteeTerms.objects.create(
            application=w.concept,
            organisation=OrganisationFactory(),
            basis="AZA",
            funding_rate=Decimal("100.00"),
        ),
    ),
    "history": Endpoint(lambda w: f"/api/v1/applications/{w.concept.pk}/history/", add_transition),
    "history of changes": Endpoint(
        lambda w: f"/api/v1/applications/{w.concept.pk}/history/changes/", add_change
    ),
    "budget-lines": Endpoint(lambda w: "/api/v1/budget-lines/", add_line),
    "budget summary": Endpoint(
        lambda w: f"/api/v1/applications/{w.concept.pk}/budget/",
        add_project,
        size=lambda data: len(data["implementation"]["projects"]),
    ),
    "review-criteria": Endpoint(
        lambda w: f"/api/v1/rounds/{w.round.pk}/review-criteria/",
        lambda w, o: ReviewCriterion.objects.create(round=w.round, name=f"C{next(numbers)}"),
    ),
    "review-assignments": Endpoint(lambda w: "/api/v1/review-assignments/", add_review),
    "reviews": Endpoint(lambda w: "/api/v1/reviews/", add_review),
    "conflicts-of-interest": Endpoint(lambda w: "/api/v1/conflicts-of-interest/", add_conflict),
    # A jury member with a declared conflict of interest.
    "jury-members": Endpoint(lambda w: "/api/v1/jury-members/", add_conflict),
    "round ranking": Endpoint(
        lambda w: f"/api/v1/rounds/{w.review_round.pk}/ranking/",
        add_reviewed_entrant,
        size=lambda data: len(data["lines"]),
    ),
    "round overview": Endpoint(
        lambda w: f"/api/v1/rounds/{w.round.pk}/overview/",
        add_applicant,
        size=lambda data: sum(data["state_counts"].values()),
    ),
    "round applications": Endpoint(
        lambda w: f"/api/v1/rounds/{w.round.pk}/overview/applications/", add_applicant
    ),
}


def measured(client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries), response.json()


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_queries_do_not_grow_with_rows(name, world, api_as, officer):
    endpoint = ENDPOINTS[name]
    client = api_as("officer")
    url = endpoint.url(world)
    endpoint.add_row(world, officer)
    measured(client, url)  # the first request also reads the user's roles
    few, small = measured(client, url)
    for _ in range(4):
        endpoint.add_row(world, officer)

    many, large = measured(client, url)

    assert endpoint.size(large) == endpoint.size(small) + 4
    assert many == few
