"""Grantees of the three kinds the budget rules tell apart, and cluster A's application driven
to the states where each phase's budget is open."""

from datetime import date
from decimal import Decimal

import pytest

from applications.models import Application
from budgets.models import RDProject
from budgets.services import project_partner_add, rd_project_create
from programmes.models import LegalForm, Organisation

from ..factories import (
    ApplicationFactory,
    ClusterFactory,
    CompanyFactory,
    OrganisationFactory,
    PartnerAbroadFactory,
    ProgrammeFactory,
    RoundFactory,
)
from .support import start_concept_phase


@pytest.fixture
def management(application_a: Application) -> Organisation:
    """Cluster A's management organisation: the only concept-phase grantee (AZA, 100 %)."""
    return application_a.cluster.management_organisation


@pytest.fixture
def university(db: None) -> Organisation:
    """A German university: AZA, 100 %, with the 20 % Projektpauschale."""
    return OrganisationFactory(name="TU Dresden", city="Dresden")


@pytest.fixture
def company(db: None) -> Organisation:
    """A small German company: AZK, 70 %."""
    return CompanyFactory(name="Sensorik Dresden GmbH")


@pytest.fixture
def partner_abroad(db: None) -> Organisation:
    """A French research institute: takes part without a grant."""
    return PartnerAbroadFactory(name="CEA-Leti")


@pytest.fixture
def concept_year(application_a: Application) -> int:
    """The concept phase's first calendar year."""
    return application_a.concept_start_on.year


@pytest.fixture
def in_concept_phase(application_a: Application, manager_a, officer) -> Application:
    """Cluster A's application in the concept phase (100,000.00 concept budget in its first
    year): its concept budget is frozen, its implementation budget open."""
    return start_concept_phase(application_a, manager=manager_a, officer=officer)


def last_month(application: Application) -> date:
    """The first day of the implementation phase's last month."""
    return application.implementation_end_on.replace(day=1)


@pytest.fixture
def project(
    in_concept_phase: Application, manager_a, company, university, partner_abroad
) -> RDProject:
    """An R&D project over the whole implementation phase: the small company leads, the
    university and the French institute take part."""
    created = rd_project_create(
        application=in_concept_phase,
        title="Printed sensors",
        start_month=in_concept_phase.implementation_start_on,
        end_month=last_month(in_concept_phase),
        by=manager_a,
    )
    for organisation, is_lead in ((company, True), (university, False), (partner_abroad, False)):
        project_partner_add(
            project=created, organisation=organisation, is_lead=is_lead, by=manager_a
        )
    return created


@pytest.fixture
def university_cluster(db: None):
    """A cluster whose management organisation is a university, so its concept-phase grant
    carries the Projektpauschale."""
    return ClusterFactory(
        name="Cluster U",
        management_organisation=OrganisationFactory(
            name="Universität Stuttgart", legal_form=LegalForm.UNIVERSITY
        ),
    )


def application_under(programme_values: dict[str, object], cluster, short_name: str) -> Application:
    """A draft of ``cluster`` in round 1 of an InterSpiN-like programme with other caps."""
    programme = ProgrammeFactory(
        name=f"InterSpiN variant {short_name}", short_name=short_name, **programme_values
    )
    return ApplicationFactory(
        round=RoundFactory(programme=programme, number=1), cluster=cluster, with_region=True
    )


@pytest.fixture
def three_concept_years(cluster_a) -> Application:
    """Cluster A's draft under a programme whose concept phase may last three years."""
    return application_under({"concept_max_years": 3}, cluster_a, "C3")


@pytest.fixture
def roomy_implementation(cluster_a) -> Application:
    """Cluster A's draft under a programme whose implementation cap (3.6M) lets the
    per-cluster cap (4M) bind first."""
    return application_under({"implementation_cap_amount": Decimal("3600000.00")}, cluster_a, "I36")


@pytest.fixture
def capped_rate(cluster_a) -> Application:
    """Cluster A's draft under a programme that funds at most 80 %."""
    return application_under({"max_funding_rate": Decimal("80.00")}, cluster_a, "R80")
