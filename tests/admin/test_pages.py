"""Every model is in the back office; its pages load for officers and auditors, and the lists
read a fixed number of queries however many rows they show."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_fsm import FSMField

from applications.models import ApplicationTransition, RoundFigures
from applications.services import application_transition
from budgets.models import (
    BudgetFigures,
    BudgetLine,
    GranteeTerms,
    Phase,
    PlanVersion,
    PlanVersionLine,
    ProjectPartner,
    RDProject,
)
from budgets.services import budget_line_save, project_partner_add, rd_project_create
from change_requests.services import change_request_transition
from competition.models import Review, ReviewScore
from programmes.access import Role
from programmes.models import Organisation, Round

from ..budgets.support import start_concept_phase
from ..change_requests.support import draft_change_request
from ..competition.support import JUSTIFICATION, competition_rows, reviews_for_selection
from ..factories import (
    ApplicationFactory,
    CompanyFactory,
    PartnerAbroadFactory,
    position,
    user_with_role,
)
from .conftest import logged_in

pytestmark = pytest.mark.django_db

APPS = ("programmes", "applications", "budgets")
MODELS = [model for app in APPS for model in apps.get_app_config(app).get_models()]
MODEL_IDS = [model._meta.label_lower for model in MODELS]
HISTORY_MODELS = (BudgetLine, GranteeTerms, RDProject, ProjectPartner, Organisation)


def admin_url(model: type, view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def full_application(application_a, manager_a, officer):
    """Cluster A's application in the concept phase, with a concept budget, one R&D project
    with a funded German partner and a partner abroad, and another cluster's outline under
    review by the jury: a row in every table."""
    competition_rows(application_a.round, officer=officer)
    application = start_concept_phase(application_a, manager=manager_a, officer=officer)
    start = application.implementation_start_on.replace(day=1)
    project = rd_project_create(
        application=application,
        title="Sensor networks",
        start_month=start,
        end_month=date(start.year + 1, 12, 1),
        by=manager_a,
    )
    company = CompanyFactory()
    project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)
    project_partner_add(project=project, organisation=PartnerAbroadFactory(), by=manager_a)
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=company,
        year=start.year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("250000.00"),
        by=manager_a,
    )
    # An approved change request, so the plan has versions 1 and 2.
    change = change_request_transition(
        change_request=draft_change_request(application), name="submit", by=manager_a
    )
    change_request_transition(change_request=change, name="approve", by=officer)
    return application


def test_admin_registers_every_model():
    missing = [model for model in MODELS if model not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("persona", ["officer", "auditor"])
def test_changelist_loads_with_rows(request, full_application, model, persona):
    client = logged_in(request.getfixturevalue(persona))
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("persona", ["officer", "auditor"])
def test_change_page_loads(request, full_application, model, persona):
    client = logged_in(request.getfixturevalue(persona))
    obj = model._default_manager.order_by("pk").first()
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_changelist_searches(full_application, officer_client, model):
    response = officer_client.get(admin_url(model, "changelist"), {"q": "zzz-nothing-like-it"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_add_page_loads_for_officer_where_adding_is_allowed(full_application, officer_client):
    read_only = {
        ApplicationTransition,
        BudgetFigures,  # written by the budget services only
        RoundFigures,  # kept by every change of an application
        PlanVersion,  # written by approved change requests only
        PlanVersionLine,
        *(model.history.model for model in HISTORY_MODELS),
        Review,
        ReviewScore,
    }
    for model in MODELS:
        expected = 403 if model in read_only else 200
        assert officer_client.get(admin_url(model, "add")).status_code == expected, model


def test_add_page_is_refused_to_auditor(full_application, auditor_client):
    for model in MODELS:
        assert auditor_client.get(admin_url(model, "add")).status_code == 403, model


def test_admin_is_closed_to_cluster_management(manager_a):
    client = logged_in(manager_a, staff=False)
    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["officer", "auditor"])
def test_no_admin_form_has_the_state_field(rf: RequestFactory, request, full_application, persona):
    http = rf.get("/")
    http.user = request.getfixturevalue(persona)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        objects = [None, model._default_manager.order_by("pk").first()]
        for obj in objects:
            form = model_admin.get_form(http, obj, change=obj is not None)
            assert "state" not in form.base_fields, model
            state_fields = [
                name
                for name in form.base_fields
                if isinstance(model._meta.get_field(name), FSMField)
            ]
            assert state_fields == [], model


def test_round_list_shows_selected_count_against_quota(officer_client, open_round, officer):
    selected = 2
    for _ in range(selected):
        # Selected through the real workflow by the officer (manager personas are per cluster).
        _select(ApplicationFactory(round=open_round, with_region=True), officer)
    ApplicationFactory(round=open_round)  # a draft does not count
    response = officer_client.get(admin_url(Round, "changelist"))
    row = response.context["cl"].result_list.get(pk=open_round.pk)
    model_admin = admin.site._registry[Round]
    assert model_admin.selected(row) == f"{selected} / {open_round.selection_quota}"


def _select(application, officer):
    """Submit (as the cluster's management), review and select through the workflow service."""
    manager = user_with_role(f"m-{application.pk}", Role.CLUSTER_MANAGEMENT, application.cluster)
    application = application_transition(application=application, name="submit", by=manager)
    application = application_transition(application=application, name="start_review", by=officer)
    reviews_for_selection(application, officer=officer)
    return application_transition(
        application=application, name="select", by=officer, comment=JUSTIFICATION
    )
