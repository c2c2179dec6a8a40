"""Flat at any size: every page, API route and export answers in the same number of queries
with a few applications in the database as with many (``demo.scale.seed_scale`` grows the
round the pages show, its budgets and the clusters, organisations and history around them).

Every route of the URL resolver is either measured here or excused with a reason, so a new
route cannot skip the check. The API's lists also have a row-by-row check
(tests/api/test_query_counts.py); this one grows the whole world around them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from demo.scale import seed_scale

from ..change_requests.support import draft_change_request
from .conftest import World
from .routes import api_routes
from .test_permission_matrix import (
    MATRIX,
    PERSONAS,
    deadline_of_a,
    export_of_a,
    notification_of_a,
)

pytestmark = pytest.mark.django_db

# Applications added to the round the pages show: the small size already has one in every state
# (demo.scale.STATES), so that a query made only when some row exists is there at both sizes.
SMALL, LARGE = 20, 120


@dataclass(frozen=True)
class Page:
    persona: str  # officer, manager_a, auditor, jury_member, anonymous
    url: Callable[[World], str]
    status: int = 200


def app(name: str, application: str = "concept", *rest: Any) -> Callable[[World], str]:
    def url(w: World) -> str:
        args = [getattr(w, application).pk, *(r(w) if callable(r) else r for r in rest)]
        return reverse(name, args=args)

    return url


def change_request(name: str, *rest: str) -> Callable[[World], str]:
    """A page of manager A's draft change request of the application in its concept phase."""
    return lambda w: reverse(name, args=[draft_change_request(w.concept).pk, *rest])


def drawdown(name: str, which: str) -> Callable[[World], str]:
    """A page of one of the world's drawdowns or payment runs (``w.drawdowns.<which>``)."""
    return lambda w: reverse(name, args=[getattr(w.drawdowns, which).pk])


def programme_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.round.programme_id])


def cluster_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.cluster.pk])


def activity_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.monitoring.activity.pk])


def project(w: World) -> int:
    return w.project.pk


PAGES: dict[str, Page] = {
    "home": Page("officer", lambda w: reverse("home")),  # the officer's task list
    "applications:list": Page("officer", lambda w: reverse("applications:list")),
    "applications:create": Page(
        "manager_a", lambda w: reverse("applications:create", args=[w.spare_round.pk]), 405
    ),
    "applications:detail": Page("officer", app("applications:detail")),
    "applications:edit": Page("manager_a", app("applications:edit", "draft")),
    "applications:region-add": Page("manager_a", app("applications:region-add", "draft"), 405),
    "applications:region-delete": Page(
        "manager_a",
        lambda w: reverse("applications:region-delete", args=[w.draft.pk, w.region.pk]),
        405,
    ),
    "applications:transition": Page(
        "officer", app("applications:transition", "in_review", "select")
    ),
    "budgets:overview": Page("officer", app("budgets:overview")),
    "budgets:concept-grid": Page("manager_a", app("budgets:concept-grid", "draft")),
    "budgets:concept-preview": Page("manager_a", app("budgets:concept-preview", "draft"), 405),
    "budgets:projects": Page("officer", app("budgets:projects")),
    "budgets:project": Page("officer", app("budgets:project", "concept", project)),
    "budgets:project-delete": Page(
        "manager_a", app("budgets:project-delete", "concept", project), 405
    ),
    "budgets:project-grid": Page("manager_a", app("budgets:project-grid", "concept", project)),
    "budgets:project-preview": Page(
        "manager_a", app("budgets:project-preview", "concept", project), 405
    ),
    "budgets:partner-add": Page("manager_a", app("budgets:partner-add", "concept", project), 405),
    "budgets:organisation-propose": Page(
        "manager_a", app("budgets:organisation-propose", "concept", project)
    ),
    "budgets:partner-remove": Page(
        "manager_a",
        app("budgets:partner-remove", "concept", project, lambda w: w.abroad_partner.pk),
        405,
    ),
    "budgets:terms": Page("officer", app("budgets:terms")),
    "budgets:terms-set": Page(
        "manager_a", app("budgets:terms-set", "concept", lambda w: w.company.pk), 405
    ),
    "budgets:workbook": Page("officer", app("budgets:workbook")),
    "budgets:template": Page("manager_a", app("budgets:template", "draft")),
    "budgets:import": Page("manager_a", app("budgets:import", "draft")),
    "budgets:import-confirm": Page("manager_a", app("budgets:import-confirm", "draft"), 405),
    "budgets:lines-export": Page(
        "officer", lambda w: f"{reverse('budgets:lines-export')}?round={w.round.pk}"
    ),
    "exports:lines-export": Page(
        "officer", lambda w: f"{reverse('exports:lines-export')}?round={w.round.pk}"
    ),
    "exports:lines-csv": Page(
        "officer", lambda w: f"{reverse('exports:lines-csv')}?round={w.round.pk}"
    ),
    "exports:round-workbook": Page(
        "officer", lambda w: reverse("exports:round-workbook", args=[w.round.pk])
    ),
    "exports:job": Page("manager_a", lambda w: export_of_a(w).replace("/api/v1", "")),
    "exports:download": Page(
        "manager_a", lambda w: export_of_a(w, "download/").replace("/api/v1", "")
    ),
    "reports:rounds": Page("officer", lambda w: reverse("reports:rounds")),
    "reports:round-new": Page("officer", lambda w: reverse("reports:round-new")),
    "reports:round": Page("officer", lambda w: reverse("reports:round", args=[w.round.pk])),
    "reports:round-workbook": Page(
        "officer", lambda w: reverse("reports:round-workbook", args=[w.round.pk])
    ),
    "competition:reviews": Page("jury_member", lambda w: reverse("competition:reviews")),
    "competition:conflicts": Page("jury_member", lambda w: reverse("competition:conflicts")),
    "competition:review": Page("jury_member", app("competition:review", "in_review")),
    "competition:review-submit": Page("jury_member", app("competition:review-submit", "in_review")),
    "competition:reviewers": Page("officer", app("competition:reviewers", "in_review")),
    "competition:reviewer-assign": Page(
        "officer", app("competition:reviewer-assign", "in_review"), 405
    ),
    "competition:reviewer-withdraw": Page(
        "officer", app("competition:reviewer-withdraw", "in_review", lambda w: w.assignment.pk), 405
    ),
    "competition:round-assignments": Page(
        "officer", lambda w: reverse("competition:round-assignments", args=[w.review_round.pk])
    ),
    "competition:round-conflicts": Page(
        "officer", lambda w: reverse("competition:round-conflicts", args=[w.review_round.pk])
    ),
    "competition:round-reviews": Page(
        "officer", lambda w: reverse("competition:round-reviews", args=[w.review_round.pk])
    ),
    "competition:ranking": Page(
        "officer", lambda w: reverse("competition:ranking", args=[w.review_round.pk])
    ),
    "competition:decide": Page(
        "officer",
        lambda w: reverse("competition:decide", args=[w.review_round.pk, w.in_review.pk, "select"]),
    ),
    "correspondence:thread": Page("manager_a", app("correspondence:thread", "draft")),
    "correspondence:message-post": Page(
        "manager_a", app("correspondence:message-post", "draft"), 405
    ),
    "correspondence:document-attach": Page(
        "manager_a", app("correspondence:document-attach", "draft"), 405
    ),
    "correspondence:document-remove": Page(
        "manager_a",
        app("correspondence:document-remove", "draft", lambda w: w.outline_document.pk),
        405,
    ),
    "correspondence:document-download": Page(
        "manager_a",
        app("correspondence:document-download", "draft", lambda w: w.outline_document.pk),
    ),
    "accounts:lockouts": Page("officer", lambda w: reverse("accounts:lockouts")),
    # Deadlines, the inbox, preferences and failed e-mails (issue 14).
    "notifications:deadlines": Page("officer", app("notifications:deadlines")),
    "notifications:deadline-add": Page("officer", app("notifications:deadline-add"), 405),
    "notifications:deadline-move": Page(
        "officer", app("notifications:deadline-move", "concept", deadline_of_a), 405
    ),
    "notifications:deadline-done": Page(
        "officer", app("notifications:deadline-done", "concept", deadline_of_a), 405
    ),
    "notifications:inbox": Page("manager_a", lambda w: reverse("notifications:inbox")),
    "notifications:mark-read": Page(
        "manager_a",
        lambda w: reverse("notifications:mark-read", args=[notification_of_a()]),
        405,
    ),
    "notifications:mark-all-read": Page(
        "manager_a", lambda w: reverse("notifications:mark-all-read"), 405
    ),
    "notifications:preferences": Page("manager_a", lambda w: reverse("notifications:preferences")),
    "notifications:failed": Page("officer", lambda w: reverse("notifications:failed")),
    "notifications:delivery-retry": Page(
        "officer", lambda w: reverse("notifications:delivery-retry", args=[1]), 405
    ),
    "disbursements:list": Page("officer", lambda w: reverse("disbursements:list")),
    "disbursements:create": Page("manager_a", app("disbursements:create")),
    "disbursements:detail": Page("officer", drawdown("disbursements:detail", "draft")),
    "disbursements:edit": Page("manager_a", drawdown("disbursements:edit", "draft")),
    "disbursements:spent": Page("manager_a", drawdown("disbursements:spent", "paid"), 405),
    "disbursements:transition": Page(
        "manager_a",
        lambda w: reverse("disbursements:transition", args=[w.drawdowns.draft.pk, "submit"]),
        405,
    ),
    "disbursements:runs": Page("officer", lambda w: reverse("disbursements:runs")),
    "disbursements:run": Page("officer", drawdown("disbursements:run", "run")),
    "disbursements:run-pay": Page("officer", drawdown("disbursements:run-pay", "run"), 405),
    "disbursements:run-workbook": Page("officer", drawdown("disbursements:run-workbook", "run")),
    "change_requests:queue": Page("officer", lambda w: reverse("change_requests:queue")),
    "change_requests:application": Page("manager_a", app("change_requests:application")),
    "change_requests:detail": Page("officer", change_request("change_requests:detail")),
    "change_requests:edit": Page("manager_a", change_request("change_requests:edit")),
    "change_requests:transition": Page(
        "manager_a", change_request("change_requests:transition", "submit"), 405
    ),
    # The cluster as a whole (issue 17); its own two sizes of members and activities are in
    # tests/monitoring/test_query_counts.py.
    "monitoring:index": Page("officer", lambda w: reverse("monitoring:index")),
    "monitoring:dashboard": Page("officer", programme_page("monitoring:dashboard")),
    "monitoring:programme-workbook": Page(
        "officer", programme_page("monitoring:programme-workbook")
    ),
    "monitoring:survey-send-all": Page(
        "officer", programme_page("monitoring:survey-send-all"), 405
    ),
    "monitoring:cluster": Page("manager_a", cluster_page("monitoring:cluster")),
    "monitoring:members": Page("manager_a", cluster_page("monitoring:members")),
    "monitoring:member-add": Page("manager_a", cluster_page("monitoring:member-add")),
    "monitoring:member-template": Page("manager_a", cluster_page("monitoring:member-template")),
    "monitoring:member-import": Page("manager_a", cluster_page("monitoring:member-import")),
    "monitoring:member-import-confirm": Page(
        "manager_a", cluster_page("monitoring:member-import-confirm"), 405
    ),
    "monitoring:activity-add": Page("manager_a", cluster_page("monitoring:activity-add")),
    "monitoring:survey-send": Page("manager_a", cluster_page("monitoring:survey-send"), 405),
    "monitoring:activity": Page("manager_a", activity_page("monitoring:activity")),
    "monitoring:contact-add": Page("manager_a", activity_page("monitoring:contact-add"), 405),
    "monitoring:outcome-add": Page("manager_a", activity_page("monitoring:outcome-add"), 405),
    # The survey's public page (no login needed; a persona's client does as well).
    "monitoring:survey-answer": Page(
        "manager_a", lambda w: reverse("monitoring:survey-answer", args=[w.monitoring.tokens[0]])
    ),
}

# Routes whose work does not depend on how many applications, budgets or clusters there are.


def statement(name: str, which: str) -> Callable[[World], str]:
    """A page of one of the world's statements (``w.statements.<which>``)."""
    return lambda w: reverse(name, args=[getattr(w.statements, which).pk])


STATEMENT_PAGES = {
    "statements:list": Page("officer", lambda w: reverse("statements:list")),
    "statements:create": Page("manager_a", app("statements:create")),
    "statements:detail": Page("officer", statement("statements:detail", "final")),
    "statements:edit": Page("manager_a", statement("statements:edit", "draft")),
    "statements:workbook": Page("officer", statement("statements:workbook", "final")),
    "statements:settle": Page("officer", statement("statements:settle", "final"), 405),
    "statements:decide": Page("officer", statement("statements:decide", "final"), 405),
    "statements:actuals-template": Page(
        "manager_a", statement("statements:actuals-template", "draft")
    ),
    "statements:import": Page("manager_a", statement("statements:import", "draft")),
    "statements:import-confirm": Page(
        "manager_a", statement("statements:import-confirm", "draft"), 405
    ),
    "statements:attach": Page("manager_a", statement("statements:attach", "draft"), 405),
    "statements:document": Page(
        "officer",
        lambda w: reverse(
            "statements:document", args=[w.statements.draft.pk, w.statements.document.pk]
        ),
    ),
    "statements:transition": Page(
        "manager_a",
        lambda w: reverse("statements:transition", args=[w.statements.draft.pk, "submit"]),
        405,
    ),
}
PAGES.update(STATEMENT_PAGES)

EXCUSED = {
    "login": "the login form",
    "logout": "signs the user out",
    "password_change": "the user's own password form",
    "password_change_done": "a confirmation text",
    "set_language": "stores a language in the session",
    "health": "the health probes (tests/ops/test_health.py)",
    "accounts:lockout-unlock": "a POST that unlocks one username",
    "accounts:two-factor-setup": "the user's own devices",
    "accounts:two-factor-verify": "the user's own devices",
    "accounts:password-reset": "a form",
    "accounts:password-reset-sent": "a text",
    "accounts:password-reset-confirm": "one user by token",
    "accounts:password-reset-complete": "a text",
}


def portal_names() -> list[str]:
    def walk(patterns: list, namespace: str) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith(("admin/", "api/")):
                    continue
                inner = pattern.namespace or ""
                names += walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}{pattern.name}")
        return names

    return walk(get_resolver().url_patterns, "")


def user(w: World, persona: str) -> Any:
    if persona == "jury_member":
        return w.jury_member
    username = {"officer": "olga-officer", "manager_a": "martha-manager-a", "auditor": None}
    return User.objects.get(username=username[persona]) if persona in username else None


def fetched(client: Client, url: str) -> int:
    """GET ``url`` to the last byte (a download streams its file), closed; its status."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    # Closing sends request_finished, which would close the test's database connection (the
    # test client keeps it open the same way).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response.status_code


def queries_of(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = fetched(client, url)
    return status, len(queries)


def measure(w: World, officer: Any, manager: Any) -> dict[str, tuple[int, int]]:
    clients = {}

    def client_of(persona: str) -> Client:
        if persona not in clients:
            client = Client(headers={"accept-language": "en"})
            someone = {"officer": officer, "manager_a": manager}.get(persona) or user(w, persona)
            client.force_login(someone)
            client.get(reverse("home"))  # warm the session and the per-process caches
            clients[persona] = client
        return clients[persona]

    found = {}
    for name, page in PAGES.items():
        url = page.url(w)
        fetched(client_of(page.persona), url)  # warm what a route's first request caches
        found[name] = queries_of(client_of(page.persona), url)
    for route, row in MATRIX.items():
        if "GET" not in row.methods:
            continue
        statuses = row.methods["GET"][1]
        for persona in ("officer", "manager_a"):
            if statuses[PERSONAS.index(persona)] == 200:
                url = row.url(w)
                fetched(client_of(persona), url)
                found[f"{route} ({persona})"] = queries_of(client_of(persona), url)
    return found


def test_every_route_is_measured_or_excused():
    portal = set(portal_names())
    assert "reports:round" in portal  # the walk reads the resolver
    assert sorted(portal - set(PAGES) - set(EXCUSED)) == []
    assert sorted(set(PAGES) - portal) == []  # no row for a route that is gone
    assert sorted(set(api_routes()) - set(MATRIX)) == []  # the API's rows come from its matrix


def test_every_page_and_api_route_answers_in_the_same_queries_at_two_sizes(
    world, officer, manager_a
):
    seed_scale(applications=SMALL, into=[world.round], lines=20)
    small = measure(world, officer, manager_a)
    seed_scale(applications=LARGE - SMALL, into=[world.round], lines=20)
    large = measure(world, officer, manager_a)

    wrong_status = {
        name: status
        for name, (status, _count) in small.items()
        if name in PAGES and status != PAGES[name].status
    }
    assert wrong_status == {}, wrong_status
    grew = {
        name: f"{small[name][1]} → {large[name][1]} queries"
        for name in small
        if small[name] != large[name]
    }
    assert grew == {}, grew
    measured_api = [name for name in small if name.startswith("api/v1/")]
    assert len(measured_api) > 40
