"""API clients for the personas, and a world of cluster A's objects to point requests at."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import Application, PartnerRegion
from applications.services import application_transition
from budgets.models import BudgetLine, GranteeTerms, Phase, ProjectPartner, RDProject
from budgets.services import budget_line_save, project_partner_add, rd_project_create
from competition.models import ConflictOfInterest, Review, ReviewCriterion, ReviewerAssignment
from competition.services import (
    ScoreInput,
    conflict_declare,
    criterion_create,
    review_save_draft,
    reviewer_assign,
)
from correspondence.models import Document
from correspondence.services import document_attach
from programmes.access import Role
from programmes.models import Cluster, Organisation, Round
from programmes.services import organisation_propose

from ..budgets.support import concept_line, start_concept_phase
from ..disbursements.support import DrawdownWorld, drawdown_world
from ..factories import (
    ApplicationFactory,
    CompanyFactory,
    OrganisationFactory,
    PartnerAbroadFactory,
    RoundFactory,
    position,
    user_with_role,
)
from ..monitoring.support import MonitoringWorld, monitoring_world
from ..statements.support import StatementWorld, statement_world

PERSONAS = ("anonymous", "officer", "manager_a", "manager_b", "auditor", "reviewer")


@pytest.fixture
def reviewer(db):
    """A jury member who has not been assigned cluster A's applications."""
    return user_with_role("rita-reviewer", Role.REVIEWER)


@pytest.fixture(autouse=True)
def fresh_throttle_history() -> None:
    """Failed logins are counted in the cache; each test starts with none."""
    cache.clear()


def client_for(user: Any = None) -> APIClient:
    """A client speaking English, logged in as ``user`` (anonymous if None)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_as(request: pytest.FixtureRequest) -> Callable[[str], APIClient]:
    """``api_as("manager_a")``: a client for the persona of that name."""

    def api_as_(persona: str) -> APIClient:
        if persona == "anonymous":
            return client_for(None)
        return client_for(request.getfixturevalue(persona))

    return api_as_


@dataclass(frozen=True)
class World:
    """Cluster A's objects in the states where each write is open, and what writes point at."""

    cluster: Cluster
    round: Round
    draft: Application
    region: PartnerRegion
    draft_line: BudgetLine
    concept: Application
    project: RDProject
    company: Organisation
    abroad_partner: ProjectPartner
    implementation_line: BudgetLine
    terms: GranteeTerms
    spare_round: Round
    newcomer: Organisation
    proposal: Organisation  # cluster A's proposal, not confirmed yet
    # The competition: a criterion of the open round (which has no review yet, so its criteria
    # may change), and in a fourth round cluster A's outline in review, assigned to a jury
    # member other than the ``reviewer`` persona, with their draft review on the round's
    # criterion; that jury member's conflict of interest with cluster B; and a jury member
    # without assignments.
    criterion: ReviewCriterion
    review_round: Round
    in_review: Application
    review_criterion: ReviewCriterion
    jury_member: Any
    assignment: ReviewerAssignment
    review: Review
    conflict: ConflictOfInterest
    free_reviewer: Any
    # Messages and documents (issue 14): a document of the draft's outline, attached by A.
    outline_document: Document
    # Drawdowns and payment runs (issue 15) of the application in its concept phase.
    drawdowns: DrawdownWorld
    # The cluster as a whole (issue 17): cluster A's members, an activity and a survey.
    monitoring: MonitoringWorld
    # Statements and a settlement (issue 16) of the application in its concept phase.
    statements: StatementWorld


def implementation_project(application: Application, by: Any, title: str) -> RDProject:
    start = application.implementation_start_on.replace(day=1)
    return rd_project_create(
        application=application,
        title=title,
        start_month=start,
        end_month=date(start.year + 2, 12, 1),
        by=by,
    )


def in_review(round_: Round, cluster: Cluster, *, manager: Any, officer: Any) -> Application:
    """The cluster's outline in ``round_``, submitted by its management and taken into review."""
    application = ApplicationFactory(round=round_, cluster=cluster, with_region=True)
    application = application_transition(application=application, name="submit", by=manager)
    return application_transition(application=application, name="start_review", by=officer)


@pytest.fixture
def world(application_a, cluster_a, cluster_b, open_round, programme, manager_a, officer) -> World:
    """A draft (outline, partner region, a concept line) in the open round; an application in
    the concept phase in a second round (a project led by a small company, with a partner
    abroad and a budget line); a third round cluster A has not applied to yet; and the
    competition's objects (see ``World``)."""
    draft_line = concept_line(
        application_a,
        by=manager_a,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("100000.00"),
    )
    concept = start_concept_phase(
        ApplicationFactory(
            round=RoundFactory(programme=programme, number=2), cluster=cluster_a, with_region=True
        ),
        manager=manager_a,
        officer=officer,
    )
    project = implementation_project(concept, manager_a, "Printed sensors")
    company = CompanyFactory(name="Sensorik Dresden GmbH")
    project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)
    abroad = project_partner_add(
        project=project, organisation=PartnerAbroadFactory(name="CEA-Leti"), by=manager_a
    )
    line = budget_line_save(
        application=concept,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=company,
        year=project.start_month.year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("200000.00"),
        by=manager_a,
    )
    review_round = RoundFactory(programme=programme, number=4)
    reviewed = in_review(review_round, cluster_a, manager=manager_a, officer=officer)
    review_criterion = criterion_create(
        round=review_round, name="Quality of the strategy", weight=Decimal("2.00"), by=officer
    )
    jury_member = user_with_role("jonas-juror", Role.REVIEWER)
    assignment = reviewer_assign(application=reviewed, reviewer=jury_member, by=officer)
    review = review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(review_criterion, 4, "A clear plan.")],
        recommendation="",
        by=jury_member,
    )
    conflict = conflict_declare(
        reviewer=jury_member, cluster=cluster_b, reason="Former employee.", by=jury_member
    )
    return World(
        cluster=cluster_a,
        round=open_round,
        draft=application_a,
        region=application_a.partner_regions.get(),
        draft_line=draft_line,
        concept=concept,
        project=project,
        company=company,
        abroad_partner=abroad,
        implementation_line=line,
        terms=GranteeTerms.objects.get(application=concept, organisation=company),
        spare_round=RoundFactory(programme=programme, number=3),
        newcomer=OrganisationFactory(name="Hochschule Mittweida", city="Mittweida"),
        proposal=organisation_propose(
            name="Fraunhofer ENAS",
            legal_form="research_institute",
            size_class="",
            country="DE",
            city="Chemnitz",
            by=manager_a,
        ),
        criterion=criterion_create(
            round=open_round, name="Fit of the partner regions", weight=Decimal("1.00"), by=officer
        ),
        review_round=review_round,
        in_review=reviewed,
        review_criterion=review_criterion,
        jury_member=jury_member,
        assignment=assignment,
        review=review,
        conflict=conflict,
        free_reviewer=user_with_role("frida-free-juror", Role.REVIEWER),
        outline_document=document_attach(
            application=application_a,
            file=SimpleUploadedFile("strategy.pdf", b"%PDF-1.4\n%%EOF\n"),
            by=manager_a,
        ),
        drawdowns=drawdown_world(concept, manager=manager_a, officer=officer),
        monitoring=monitoring_world(cluster_a, programme, manager_a),
        statements=statement_world(concept, manager=manager_a, officer=officer),
    )
