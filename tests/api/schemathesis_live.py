"""schemathesis against the live API on 127.0.0.1: no 5xx, and every answer matches the schema.

Not part of the default run (the file name does not match ``test_*.py``); run it with

    .venv/bin/python -m pytest tests/api/schemathesis_live.py -p no:cacheprovider -q

pytest-django's ``live_server`` serves the app on 127.0.0.1 with the test database. Every
operation of the schema becomes one test; each generated case is sent once per identity
(officer, cluster manager A, auditor, and the jury member assigned to A's outline in review),
each logged in with a token of its own. Path ids are
generated, and half of them are swapped for ids of cluster A's real objects, so requests reach
the objects and not only 404s. The seed is fixed and the examples per operation few, so a run
is repeatable and takes a few minutes at most. The number of cases and requests is printed at
the end.
"""

from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from django.contrib.auth.models import User
from hypothesis import HealthCheck, Phase, seed, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..change_requests.support import draft_change_request
from ..factories import position
from .conftest import World

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 20240601
MAX_EXAMPLES = 8
IDENTITIES = {
    "officer": ("olga-officer", "pw-olga-officer"),
    "manager_a": ("martha-manager-a", "pw-martha-manager-a"),
    "auditor": ("anton-auditor", "pw-anton-auditor"),
    # The World's jury member: the assignee of its review, so fuzzed drafts reach the service.
    "jury_member": ("jonas-juror", "pw-jonas-juror"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

LOGOUT = "/api/v1/auth/logout/"
RUN: Counter[str] = Counter()
KNOWN_IDS: dict[tuple[str, str], list[int]] = {}


def known_ids(w: World) -> dict[tuple[str, str], list[int]]:
    """Real ids per (path, parameter), for the generated ids to be swapped with."""
    applications = [w.draft.pk, w.concept.pk]
    drawdowns = [w.drawdowns.draft.pk, w.drawdowns.released.pk, w.drawdowns.paid.pk]
    runs = [w.drawdowns.run.pk, w.drawdowns.paid_run.pk]
    change_requests = [draft_change_request(w.concept).pk]
    statements = [w.statements.draft.pk, w.statements.final.pk]
    project = "/api/v1/applications/{application_pk}/projects/{project_pk}/"
    return {
        ("*", "application_pk"): applications,
        ("*", "project_pk"): [w.project.pk],
        ("/api/v1/applications/{id}/", "id"): applications,
        ("/api/v1/budget-lines/{id}/", "id"): [w.draft_line.pk, w.implementation_line.pk],
        ("/api/v1/rounds/{id}/", "id"): [w.round.pk],
        ("/api/v1/rounds/{id}/overview/", "id"): [w.round.pk],
        ("/api/v1/rounds/{id}/overview/applications/", "id"): [w.round.pk],
        ("/api/v1/programmes/{id}/", "id"): [w.round.programme_id],
        ("/api/v1/clusters/{id}/", "id"): [w.cluster.pk],
        ("/api/v1/organisations/{id}/", "id"): [w.company.pk, w.newcomer.pk],
        ("/api/v1/budget-positions/{id}/", "id"): [position("AZA", "0812").pk],
        ("/api/v1/applications/{application_pk}/partner-regions/{id}/", "id"): [w.region.pk],
        ("/api/v1/applications/{application_pk}/grantee-terms/{id}/", "id"): [w.terms.pk],
        (project + "partners/{id}/", "id"): [w.abroad_partner.pk],
        ("*", "round_pk"): [w.round.pk, w.review_round.pk],
        ("/api/v1/rounds/{round_pk}/review-criteria/{id}/", "id"): [
            w.criterion.pk,
            w.review_criterion.pk,
        ],
        ("/api/v1/rounds/{id}/ranking/", "id"): [w.review_round.pk, w.round.pk],
        ("/api/v1/review-assignments/{id}/", "id"): [w.assignment.pk],
        ("/api/v1/review-assignments/{id}/review/", "id"): [w.assignment.pk],
        ("/api/v1/review-assignments/{id}/review/submit/", "id"): [w.assignment.pk],
        ("/api/v1/conflicts-of-interest/{id}/", "id"): [w.conflict.pk],
        ("/api/v1/reviews/{id}/", "id"): [w.review.pk],
        **{
            (f"/api/v1/drawdowns/{{id}}/{rest}", "id"): drawdowns
            for rest in ("", "transitions/", "transitions/{name}/", "history/", "spent/")
        },
        ("*", "cluster_pk"): [w.cluster.pk],
        **{
            (f"/api/v1/activities/{{id}}/{rest}", "id"): [w.monitoring.activity.pk]
            for rest in ("", "contacts/", "outcomes/")
        },
        **{
            (f"/api/v1/programmes/{{id}}/{rest}", "id"): [w.round.programme_id]
            for rest in ("indicators/", "indicators.xlsx")
        },
        **{
            (f"/api/v1/change-requests/{{id}}/{rest}", "id"): change_requests
            for rest in ("", "transitions/{name}/")
        },
        ("/api/v1/applications/{application_pk}/plan-versions/{number}/", "number"): [1],
        **{
            (f"/api/v1/payment-runs/{{id}}/{rest}", "id"): runs
            for rest in ("", "pay/", "workbook.xlsx")
        },
        **{
            (f"/api/v1/statements/{{id}}/{rest}", "id"): statements
            for rest in (
                "",
                "lines/",
                "figures/",
                "actuals.xlsx",
                "actuals/import/",
                "actuals/import/confirm/",
                "documents/",
                "documents/{document_pk}/",
                "workbook.xlsx",
                "transitions/",
                "transitions/{name}/",
                "history/",
                "settlement/",
            )
        },
        ("/api/v1/statements/{id}/documents/{document_pk}/", "document_pk"): [
            w.statements.document.pk
        ],
        **{
            (f"/api/v1/settlements/{{id}}/{rest}", "id"): [w.statements.settlement.pk]
            for rest in ("", "transitions/{name}/")
        },
    }


def swap_in_known_ids(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
    """Even generated ids become a real id (chosen by the value, so the seed decides)."""
    if not path_parameters:
        return path_parameters
    path = context.operation.path if context.operation else ""
    swapped = dict(path_parameters)
    for name, value in path_parameters.items():
        ids = KNOWN_IDS.get((path, name)) or KNOWN_IDS.get(("*", name))
        if ids and isinstance(value, int) and value % 2 == 0:
            swapped[name] = ids[(value // 2) % len(ids)]
    return swapped


@pytest.fixture
def api_schema(live_server, world):
    KNOWN_IDS.clear()
    KNOWN_IDS.update(known_ids(world))
    loaded = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    loaded.hook("map_path_parameters")(swap_in_known_ids)
    return loaded


def login(base_url: str, role: str) -> dict[str, str]:
    """The header of a fresh token for the identity ``role``."""
    username, password = IDENTITIES[role]
    response = requests.post(
        f"{base_url}/api/v1/auth/login/",
        json={"username": username, "password": password},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Token {response.json()['token']}"}


@pytest.fixture
def identities(live_server, world, officer, manager_a, auditor) -> dict[str, dict[str, str]]:
    return {role: login(live_server.url, role) for role in IDENTITIES}


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request):
    """schemathesis 4.32 reads ``node._nodeid``, which pytest 9 no longer sets."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(RUN.items()) if code.isdigit())
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nschemathesis: {RUN['cases']} cases, {RUN['requests']} requests "
            f"(seed {SEED}, at most {MAX_EXAMPLES} examples per operation); statuses {statuses}"
        )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@seed(SEED)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api(case, identities):
    RUN["cases"] += 1
    for role, headers in identities.items():
        if case.operation.path == LOGOUT:
            # Logging out revokes the token: use one of its own, not the identity's (made
            # directly, as the fuzzed failed logins may have throttled the login by now).
            _, token = AuthToken.objects.create(user=User.objects.get(username=IDENTITIES[role][0]))
            headers = {"Authorization": f"Token {token}"}
        response = case.call(headers=headers, timeout=30)
        RUN["requests"] += 1
        RUN[str(response.status_code)] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)
