"""The lists read a fixed number of queries, however many rows they show (no query per row)."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationTransition, PartnerRegion, RoundFigures
from applications.services import application_transition
from budgets.models import BudgetFigures, BudgetLine, GranteeTerms, Phase, ProjectPartner, RDProject
from kernel.history import save_with_history
from programmes.access import Role
from programmes.models import Organisation, Round

from ..factories import ApplicationFactory, CompanyFactory, RoundFactory, position, user_with_role
from .conftest import count_queries

pytestmark = pytest.mark.django_db


def _application() -> Application:
    """Each in its own round and cluster, so the rows share no related object."""
    return ApplicationFactory(with_region=True)


def _budget_line(officer) -> None:
    application = _application()
    BudgetLine.objects.create(
        application=application,
        phase=Phase.CONCEPT,
        grantee=application.cluster.management_organisation,
        year=application.concept_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("1000.00"),
    )


def _transition(officer) -> None:
    """An outline submitted by its cluster management, through the workflow."""
    application = _application()
    manager = user_with_role(
        f"manager-{application.pk}", Role.CLUSTER_MANAGEMENT, application.cluster
    )
    application_transition(application=application, name="submit", by=manager)


# Rows written with their author, as the services write them, so the history lists show who.
def _project(officer) -> RDProject:
    application = _application()
    project = RDProject(
        application=application,
        title="Project",
        start_month=application.implementation_start_on.replace(day=1),
        end_month=application.implementation_end_on.replace(day=1),
    )
    save_with_history(project, by=officer)
    return project


def _partner(officer) -> None:
    partner = ProjectPartner(project=_project(officer), organisation=CompanyFactory())
    save_with_history(partner, by=officer)


def _terms(officer) -> None:
    terms = GranteeTerms(
        application=_application(),
        organisation=CompanyFactory(),
        basis="AZK",
        funding_rate=Decimal("70.00"),
    )
    save_with_history(terms, by=officer)


def _organisation(officer) -> None:
    save_with_history(CompanyFactory.build(), by=officer)


def _figures(officer) -> None:
    BudgetFigures.objects.create(application=_application(), concept_grant_amount=Decimal(1))


MAKERS: dict[type, Callable] = {
    BudgetFigures: _figures,
    RoundFigures: lambda officer: _application(),  # its round's figures
    Application: lambda officer: _application(),
    Round: lambda officer: RoundFactory(),
    PartnerRegion: lambda officer: _application(),
    ApplicationTransition: _transition,
    BudgetLine: _budget_line,
    BudgetLine.history.model: _budget_line,
    RDProject: _project,
    RDProject.history.model: _project,
    ProjectPartner: _partner,
    ProjectPartner.history.model: _partner,
    GranteeTerms: _terms,
    GranteeTerms.history.model: _terms,
    Organisation: _organisation,
    Organisation.history.model: _organisation,
}


@pytest.mark.parametrize("model", list(MAKERS), ids=[m._meta.label_lower for m in MAKERS])
def test_changelist_query_count_does_not_grow_with_rows(officer_client, officer, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    make = MAKERS[model]
    for _ in range(3):
        make(officer)
    officer_client.get(url)  # warm the per-process caches (content types, sessions)
    few, response = count_queries(lambda: officer_client.get(url))
    assert response.context["cl"].result_count == 3
    for _ in range(27):
        make(officer)
    many, response = count_queries(lambda: officer_client.get(url))
    assert response.context["cl"].result_count == 30
    assert len(response.context["cl"].result_list) == 30
    assert many == few
