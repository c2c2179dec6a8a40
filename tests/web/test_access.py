"""Every portal page for every persona: the own cluster and officers may act, auditors only
read (403 on anything that changes), another cluster's pages are absent (404), and anonymous
visitors are sent to the login page."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver, resolve, reverse

from applications.models import Application
from applications.states import State
from budgets.models import BudgetLine, RDProject

from ..applications.conftest import rd_project_add
from ..factories import ApplicationFactory
from .conftest import browser

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")


@pytest.fixture
def concept_app(application_a, to_state, manager_a) -> Application:
    """Cluster A's application in the concept phase (its implementation budget open) with one
    R&D project."""
    application = to_state(application_a, State.CONCEPT_PHASE)
    rd_project_add(application, manager_a)
    return application


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def read_pages(application: Application) -> list[str]:
    project = application.rd_projects.get()
    return [
        reverse("applications:detail", args=[application.pk]),
        reverse("budgets:overview", args=[application.pk]),
        reverse("budgets:projects", args=[application.pk]),
        reverse("budgets:project", args=[application.pk, project.pk]),
        reverse("budgets:terms", args=[application.pk]),
        reverse("budgets:workbook", args=[application.pk]),
    ]


def write_pages(application: Application) -> list[str]:
    project = application.rd_projects.get()
    return [
        reverse("applications:edit", args=[application.pk]),
        reverse("budgets:concept-grid", args=[application.pk]),
        reverse("budgets:project-grid", args=[application.pk, project.pk]),
        reverse("budgets:organisation-propose", args=[application.pk, project.pk]),
        reverse("applications:transition", args=[application.pk, "propose_implementation"]),
        reverse("budgets:template", args=[application.pk]),
        reverse("budgets:import", args=[application.pk]),
    ]


def posts(application: Application) -> list[str]:
    """Every URL that changes something."""
    project = application.rd_projects.get()
    partner = project.partners.first()
    region = application.partner_regions.get()
    organisation = application.cluster.management_organisation
    pk = application.pk
    return [
        reverse("applications:edit", args=[pk]),
        reverse("applications:region-add", args=[pk]),
        reverse("applications:region-delete", args=[pk, region.pk]),
        reverse("applications:transition", args=[pk, "propose_implementation"]),
        reverse("budgets:concept-grid", args=[pk]),
        reverse("budgets:concept-preview", args=[pk]),
        reverse("budgets:projects", args=[pk]),
        reverse("budgets:project", args=[pk, project.pk]),
        reverse("budgets:project-delete", args=[pk, project.pk]),
        reverse("budgets:project-grid", args=[pk, project.pk]),
        reverse("budgets:project-preview", args=[pk, project.pk]),
        reverse("budgets:partner-add", args=[pk, project.pk]),
        reverse("budgets:organisation-propose", args=[pk, project.pk]),
        reverse("budgets:partner-remove", args=[pk, project.pk, partner.pk]),
        reverse("budgets:terms-set", args=[pk, organisation.pk]),
        reverse("budgets:import", args=[pk]),
        reverse("budgets:import-confirm", args=[pk]),
    ]


READ_STATUS = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 200}
WRITE_STATUS = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_answer_each_persona(request, persona, concept_app):
    client = browser(user_of(request, persona))
    for url in read_pages(concept_app):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        else:
            assert response.status_code == READ_STATUS[persona], url


@pytest.mark.parametrize("persona", PERSONAS)
def test_write_pages_answer_each_persona(request, persona, concept_app):
    client = browser(user_of(request, persona))
    for url in write_pages(concept_app):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302, url
        elif persona == "officer" and "propose_implementation" in url:
            # Proposing is the cluster management's step: the officer may not even confirm it.
            assert response.status_code == 403, url
        else:
            assert response.status_code == WRITE_STATUS[persona], url


def test_auditor_gets_403_on_every_post_and_nothing_changes(auditor, concept_app):
    client = browser(auditor)
    lines = BudgetLine.objects.count()
    for url in posts(concept_app):
        assert client.post(url, {}).status_code == 403, url
    concept_app.refresh_from_db()
    assert concept_app.state == State.CONCEPT_PHASE
    assert BudgetLine.objects.count() == lines
    assert RDProject.objects.filter(application=concept_app).count() == 1
    assert concept_app.partner_regions.count() == 1


def test_other_cluster_gets_404_on_every_post(manager_b, concept_app):
    client = browser(manager_b)
    for url in posts(concept_app):
        assert client.post(url, {}).status_code == 404, url
    assert concept_app.partner_regions.count() == 1


def test_anonymous_posts_are_sent_to_login(concept_app):
    client = browser(None)
    for url in posts(concept_app):
        response = client.post(url, {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("auditor", 200), ("manager_a", 403), ("manager_b", 403)],
)
def test_round_pages_are_for_officers_and_auditors(request, persona, status, open_round):
    client = browser(user_of(request, persona))
    assert client.get(reverse("reports:rounds")).status_code == status
    assert client.get(reverse("reports:round", args=[open_round.pk])).status_code == status
    workbook = reverse("reports:round-workbook", args=[open_round.pk])
    assert client.get(workbook).status_code == status


def test_queue_lists_only_the_own_cluster_for_a_cluster_management(
    manager_a, application_a, open_round, cluster_b
):
    other = ApplicationFactory(round=open_round, cluster=cluster_b)
    response = browser(manager_a).get(reverse("applications:list"))
    listed = [application for application, _summary in response.context["rows"]]
    assert listed == [application_a]
    assert other not in listed


def test_pages_of_a_missing_application_answer_404(officer):
    assert browser(officer).get(reverse("applications:detail", args=[999999])).status_code == 404


def test_forms_are_csrf_protected(manager_a, application_a):
    client = browser(manager_a)
    client.handler.enforce_csrf_checks = True
    url = reverse("applications:edit", args=[application_a.pk])
    response = client.post(url, {"title": "Forged"})
    assert response.status_code == 403
    application_a.refresh_from_db()
    assert application_a.title != "Forged"


# Portal routes whose access rows live in another test module (the persona they need is set up
# there): the route name must appear in that module.
ACCESS_TESTED_IN = {
    "applications:create": "tests/web/test_home.py",
    "applications:list": "tests/web/test_queue.py",
    "competition:reviews": "tests/web/test_reviews.py",
    "competition:review": "tests/web/test_reviews.py",
    "budgets:lines-export": "tests/web/test_files.py",
    # The competition's pages: officers', auditors', cluster managements' and reviewers' rows.
    "competition:review-submit": "tests/web/test_competition_pages.py",
    "competition:conflicts": "tests/web/test_competition_pages.py",
    "competition:reviewers": "tests/web/test_competition_pages.py",
    "competition:reviewer-assign": "tests/web/test_competition_pages.py",
    "competition:reviewer-withdraw": "tests/web/test_competition_pages.py",
    "competition:round-assignments": "tests/web/test_competition_pages.py",
    "competition:round-conflicts": "tests/web/test_competition_pages.py",
    "competition:round-reviews": "tests/web/test_competition_pages.py",
    "competition:ranking": "tests/web/test_competition_pages.py",
    "competition:decide": "tests/web/test_competition_pages.py",
    "reports:round-new": "tests/web/test_round_create.py",
    # h-tasks: the size switch in front of the round workbook and the flat export, and the
    # background export's page and file.
    "exports:round-workbook": "tests/exports/test_exports.py",
    "exports:lines-export": "tests/exports/test_exports.py",
    "exports:job": "tests/exports/test_exports.py",
    "exports:download": "tests/exports/test_exports.py",
    "exports:lines-csv": "tests/exports/test_csv.py",
    # Login protection, the second factor and password reset (issue 13).
    "accounts:lockouts": "tests/web/test_login_protection.py",
    "accounts:lockout-unlock": "tests/web/test_login_protection.py",
    "accounts:two-factor-setup": "tests/web/test_two_factor.py",
    "accounts:two-factor-verify": "tests/web/test_two_factor.py",
    "accounts:password-reset": "tests/web/test_password_reset.py",
    "accounts:password-reset-sent": "tests/web/test_password_reset.py",
    "accounts:password-reset-confirm": "tests/web/test_password_reset.py",
    "accounts:password-reset-complete": "tests/web/test_password_reset.py",
    # Messages and documents (issue 14): every persona on the page, the forms and downloads.
    "correspondence:thread": "tests/correspondence/test_pages.py",
    "correspondence:message-post": "tests/correspondence/test_pages.py",
    "correspondence:document-attach": "tests/correspondence/test_pages.py",
    "correspondence:document-remove": "tests/correspondence/test_pages.py",
    "correspondence:document-download": "tests/correspondence/test_pages.py",
    # Deadlines, the inbox, preferences and failed e-mails (issue 14).
    "notifications:deadlines": "tests/notifications/test_pages.py",
    "notifications:deadline-add": "tests/notifications/test_pages.py",
    "notifications:deadline-move": "tests/notifications/test_pages.py",
    "notifications:deadline-done": "tests/notifications/test_pages.py",
    "notifications:inbox": "tests/notifications/test_pages.py",
    "notifications:mark-read": "tests/notifications/test_pages.py",
    "notifications:mark-all-read": "tests/notifications/test_pages.py",
    "notifications:preferences": "tests/notifications/test_pages.py",
    "notifications:failed": "tests/notifications/test_pages.py",
    "notifications:delivery-retry": "tests/notifications/test_pages.py",
    "disbursements:list": "tests/disbursements/test_pages.py",
    "disbursements:create": "tests/disbursements/test_pages.py",
    "disbursements:detail": "tests/disbursements/test_pages.py",
    "disbursements:edit": "tests/disbursements/test_pages.py",
    "disbursements:spent": "tests/disbursements/test_pages.py",
    "disbursements:transition": "tests/disbursements/test_pages.py",
    "disbursements:runs": "tests/disbursements/test_pages.py",
    "disbursements:run": "tests/disbursements/test_pages.py",
    "disbursements:run-pay": "tests/disbursements/test_pages.py",
    "disbursements:run-workbook": "tests/disbursements/test_pages.py",
    # Change requests and plan versions (issue 16).
    "change_requests:queue": "tests/change_requests/test_pages.py",
    "change_requests:application": "tests/change_requests/test_pages.py",
    "change_requests:detail": "tests/change_requests/test_pages.py",
    "change_requests:edit": "tests/change_requests/test_pages.py",
    "change_requests:transition": "tests/change_requests/test_pages.py",
    # The cluster as a whole (issue 17): every persona on each page, the survey's public link.
    "monitoring:index": "tests/monitoring/test_pages.py",
    "monitoring:dashboard": "tests/monitoring/test_pages.py",
    "monitoring:programme-workbook": "tests/monitoring/test_pages.py",
    "monitoring:cluster": "tests/monitoring/test_pages.py",
    "monitoring:members": "tests/monitoring/test_pages.py",
    "monitoring:member-add": "tests/monitoring/test_pages.py",
    "monitoring:member-template": "tests/monitoring/test_pages.py",
    "monitoring:member-import": "tests/monitoring/test_pages.py",
    "monitoring:member-import-confirm": "tests/monitoring/test_pages.py",
    "monitoring:activity-add": "tests/monitoring/test_pages.py",
    "monitoring:survey-send": "tests/monitoring/test_pages.py",
    "monitoring:activity": "tests/monitoring/test_pages.py",
    "monitoring:contact-add": "tests/monitoring/test_pages.py",
    "monitoring:outcome-add": "tests/monitoring/test_pages.py",
    "monitoring:survey-answer": "tests/monitoring/test_pages.py",
    "monitoring:survey-send-all": "tests/monitoring/test_pages.py",
    "statements:list": "tests/statements/test_pages.py",
    "statements:create": "tests/statements/test_pages.py",
    "statements:detail": "tests/statements/test_pages.py",
    "statements:edit": "tests/statements/test_pages.py",
    "statements:workbook": "tests/statements/test_pages.py",
    "statements:settle": "tests/statements/test_pages.py",
    "statements:decide": "tests/statements/test_pages.py",
    "statements:transition": "tests/statements/test_pages.py",
    "statements:actuals-template": "tests/statements/test_pages.py",
    "statements:import": "tests/statements/test_pages.py",
    "statements:import-confirm": "tests/statements/test_pages.py",
    "statements:attach": "tests/statements/test_pages.py",
    "statements:document": "tests/statements/test_pages.py",
}
PORTAL_NAMESPACES = (
    "applications",
    "budgets",
    "competition",
    "correspondence",
    "disbursements",
    "change_requests",
    "statements",
    "reports",
    "exports",
    "accounts",
    "notifications",
    "monitoring",
)


def portal_routes() -> set[str]:
    resolver = get_resolver()
    return {
        f"{namespace}:{name}"
        for namespace in PORTAL_NAMESPACES
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }


def test_matrix_has_rows_for_every_portal_route(concept_app, open_round):
    """A new page fails here until its access is tested for every persona."""
    urls = [*read_pages(concept_app), *write_pages(concept_app), *posts(concept_app)]
    covered = {resolve(url).view_name for url in urls}
    covered |= {"reports:rounds", "reports:round", "reports:round-workbook"}  # the round test
    root = Path(__file__).resolve().parents[2]
    for name, module in ACCESS_TESTED_IN.items():
        assert f'"{name}"' in (root / module).read_text(), f"{name} is not tested in {module}"
    routes = portal_routes()
    assert {"budgets:overview", "competition:review", "reports:round"} <= routes
    assert routes - covered - ACCESS_TESTED_IN.keys() == set()
