"""Every route × every method × every persona, against cluster A's objects.

The routes come from the URL resolver: a new route without a row here fails
``test_matrix_has_a_row_for_every_route``. A method a row does not list must answer 405 (401 for
the anonymous, except on the public routes). Each request runs in a savepoint that is rolled
back, so every cell starts from the same world.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from budgets.imports import budget_import_preview
from notifications.models import Notification
from statements.imports import actuals_template

from ..change_requests.support import draft_change_request, money_moved_to_next_year
from ..disbursements.support import concept_drawdown_body
from ..exports.support import finished_export
from ..factories import position
from ..imports.support import template_bytes
from .conftest import PERSONAS, World
from .routes import api_routes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Expected status per persona, in the order of PERSONAS: anonymous, officer, manager A,
# manager B, auditor, reviewer (not assigned to A's applications).
Statuses = tuple[int, int, int, int, int, int]
EVERYONE_READS: Statuses = (401, 200, 200, 200, 200, 200)
A_READS: Statuses = (401, 200, 200, 404, 200, 404)
PUBLIC: Statuses = (200, 200, 200, 200, 200, 200)
NOWHERE: Statuses = (404, 404, 404, 404, 404, 404)
# Another jury member's assignment or review: officers and auditors read it; cluster
# managements and the ``reviewer`` persona do not see it.
JURY_READS: Statuses = (401, 200, 404, 404, 200, 404)
# Writing another jury member's review: officers may read it but not write it (403 from the
# service); the ``reviewer`` persona does not see it (404); the rest may not write here (403).
JURY_WRITES_ANOTHERS: Statuses = (401, 403, 403, 403, 403, 404)


# Payment runs: officers and auditors read them (payment officers too, who are no persona);
# cluster managements and jury members are refused the list and do not see a run.
RUNS_READ: Statuses = (401, 200, 403, 403, 200, 403)
RUN_READ: Statuses = (401, 200, 404, 404, 200, 404)


def a_writes(ok: int) -> Statuses:
    """Cluster A's object: officers and A's management write, B does not see it, auditors and
    reviewers may not write at all."""
    return (401, ok, ok, 404, 403, 403)


def officers_write(ok: int) -> Statuses:
    return (401, ok, 403, 403, 403, 403)


Body = Callable[[World], dict[str, Any]] | None


@dataclass(frozen=True)
class Row:
    url: Callable[[World], str]
    methods: dict[str, tuple[Body, Statuses]]
    public: bool = False  # no login needed, so an unlisted method is 405 for the anonymous too
    content_type: str = "application/json"  # of every answer but 204
    error_content_type: str | None = None  # of answers >= 400, where it differs (downloads)
    multipart: bool = False  # bodies are sent as multipart/form-data (file uploads)

    def expected(self, method: str) -> tuple[Body, Statuses]:
        if method in self.methods:
            return self.methods[method]
        return None, (405 if self.public else 401, 405, 405, 405, 405, 405)


def new_member(w: World) -> dict[str, Any]:
    return {"name": "Neue Mitglied GmbH", "legal_form": "company", "size_class": "small"}


def new_activity(w: World) -> dict[str, Any]:
    return {
        "kind": "matchmaking",
        "title": "Matchmaking in Lyon",
        "held_on": "2025-02-03",
        "country": "FR",
        "region": "Auvergne-Rhône-Alpes",
        "format": "in_person",
        "participants": [member.pk for member in w.monitoring.members[:2]],
        "contacts": [{"partner_name": "Minalogic", "country": "FR", "is_known_partner": True}],
        "outcomes": [{"kind": "joint_proposal", "concluded_on": "2025-04-01"}],
    }


def get(statuses: Statuses) -> dict[str, tuple[Body, Statuses]]:
    return {"GET": (None, statuses)}


def management_line(w: World) -> dict[str, Any]:
    return {
        "application": w.draft.pk,
        "phase": "concept",
        "grantee": w.cluster.management_organisation_id,
        "year": w.draft.concept_start_on.year + 1,
        "position": position("AZA", "0812").pk,
        "eligible_amount": "1000.00",
    }


def whole_line(w: World) -> dict[str, Any]:
    """Every writable field of the draft's line, as PUT needs them."""
    return {
        "phase": "concept",
        "rd_project": None,
        "grantee": w.draft_line.grantee_id,
        "year": w.draft_line.year,
        "position": w.draft_line.position_id,
        "eligible_amount": "90000.00",
        "justification": "Two researchers for a year.",
    }


def new_round(w: World) -> dict[str, Any]:
    return {
        "programme": w.round.programme_id,
        "number": 9,
        "call_published_on": "2030-01-15",
        "outline_deadline_at": "2030-03-31T12:00:00+02:00",
        "funding_starts_on": "2031-01-01",
        "selection_quota": 10,
        "envelope_amount": "40000000.00",
    }


def draft_template(w: World) -> bytes:
    return template_bytes(w.draft, w.jury_member)


def upload(w: World) -> dict[str, Any]:
    """The draft's template, unchanged, as downloaded."""
    return {"file": SimpleUploadedFile("budget.xlsx", draft_template(w))}


def confirmation(w: World) -> dict[str, Any]:
    """The draft's template with the token of manager A's preview: only they may confirm it."""
    data = draft_template(w)
    manager = User.objects.get(username="martha-manager-a")
    preview = budget_import_preview(application=w.draft, file=data, by=manager)
    return {"file": SimpleUploadedFile("budget.xlsx", data), "token": preview.token}


def export_of_a(w: World, rest: str = "") -> str:
    """Manager A's finished flat export (h-tasks): A, officers and auditors read it."""
    job = finished_export(User.objects.get(username="martha-manager-a"))
    return f"/api/v1/exports/{job.pk}/{rest}"


def deadline_of_a(w: World) -> int:
    """The first deadline the concept phase of A's second application made due."""
    return w.concept.deadlines.order_by("pk").values_list("pk", flat=True)[0]


def notification_of_a() -> int:
    """A notification of manager A's (the officer's steps on A's applications wrote some)."""
    mine = Notification.objects.filter(recipient__username="martha-manager-a").order_by("pk")
    return mine.values_list("pk", flat=True)[0]


def change_request_url(w: World, rest: str = "") -> str:
    """Manager A's draft change request of the application in its concept phase."""
    return f"/api/v1/change-requests/{draft_change_request(w.concept).pk}/{rest}"


def drawdown_url(w: World, which: str, rest: str = "") -> str:
    return f"/api/v1/drawdowns/{getattr(w.drawdowns, which).pk}/{rest}"


def statement_url(w: World, which: str, rest: str = "") -> str:
    return f"/api/v1/statements/{getattr(w.statements, which).pk}/{rest}"


def statement_lines(w: World) -> dict[str, Any]:
    line = {"position": position("AZA", "0812").pk, "year": w.statements.draft.year}
    return {"lines": [{**line, "actual_amount": "10.00"}]}


def actuals_upload(w: World) -> dict[str, Any]:
    """The draft statement's actuals template, as downloaded."""
    template = actuals_template(w.statements.draft)
    return {"file": SimpleUploadedFile("actuals.xlsx", template)}


def under(w: World, application: str, rest: str = "") -> str:
    return f"/api/v1/applications/{getattr(w, application).pk}/{rest}"


MATRIX: dict[str, Row] = {
    "api/v1/auth/login/": Row(
        lambda w: "/api/v1/auth/login/",
        {
            "POST": (
                lambda w: {"username": "martha-manager-a", "password": "pw-martha-manager-a"},
                PUBLIC,
            )
        },
        public=True,
    ),
    "api/v1/auth/logout/": Row(
        lambda w: "/api/v1/auth/logout/", {"POST": (None, (401, 204, 204, 204, 204, 204))}
    ),
    "api/v1/auth/me/": Row(lambda w: "/api/v1/auth/me/", get(EVERYONE_READS)),
    "api/v1/schema/": Row(
        lambda w: "/api/v1/schema/",
        get(PUBLIC),
        public=True,
        content_type="application/vnd.oai.openapi",
    ),
    "api/v1/docs/": Row(
        lambda w: "/api/v1/docs/", get(PUBLIC), public=True, content_type="text/html"
    ),
    "api/v1/programmes/": Row(lambda w: "/api/v1/programmes/", get(EVERYONE_READS)),
    "api/v1/programmes/<int:pk>/": Row(
        lambda w: f"/api/v1/programmes/{w.round.programme_id}/", get(EVERYONE_READS)
    ),
    "api/v1/rounds/": Row(
        lambda w: "/api/v1/rounds/",
        {"GET": (None, EVERYONE_READS), "POST": (new_round, officers_write(201))},
    ),
    "api/v1/rounds/<int:pk>/": Row(lambda w: f"/api/v1/rounds/{w.round.pk}/", get(EVERYONE_READS)),
    "api/v1/rounds/<int:pk>/overview/": Row(
        lambda w: f"/api/v1/rounds/{w.round.pk}/overview/", get((401, 200, 403, 403, 200, 403))
    ),
    "api/v1/rounds/<int:pk>/overview/applications/": Row(
        lambda w: f"/api/v1/rounds/{w.round.pk}/overview/applications/",
        get((401, 200, 403, 403, 200, 403)),
    ),
    "api/v1/rounds/<int:pk>/budget.xlsx": Row(
        lambda w: f"/api/v1/rounds/{w.round.pk}/budget.xlsx",
        get((401, 200, 403, 403, 200, 403)),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/applications/<int:application_pk>/budget.xlsx": Row(
        lambda w: under(w, "concept", "budget.xlsx"),
        get(A_READS),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/budget-lines/export.xlsx": Row(
        lambda w: "/api/v1/budget-lines/export.xlsx",
        get(EVERYONE_READS),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    # h-tasks: background exports (the user's own list, a job's status, its file).
    "api/v1/exports/": Row(lambda w: "/api/v1/exports/", get(EVERYONE_READS)),
    "api/v1/budget-lines/export.csv": Row(
        lambda w: "/api/v1/budget-lines/export.csv",
        get(EVERYONE_READS),
        content_type="text/csv",
        error_content_type="application/json",
    ),
    "api/v1/exports/<int:pk>/": Row(lambda w: export_of_a(w), get(A_READS)),
    "api/v1/exports/<int:pk>/download/": Row(
        lambda w: export_of_a(w, "download/"),
        get(A_READS),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/clusters/": Row(
        lambda w: "/api/v1/clusters/",
        {
            "GET": (None, EVERYONE_READS),
            "POST": (
                lambda w: {
                    "name": "Cluster C",
                    "sector": "Biotechnologie",
                    "location": "Jena",
                    "management_organisation": w.newcomer.pk,
                },
                officers_write(201),
            ),
        },
    ),
    "api/v1/clusters/<int:pk>/": Row(
        lambda w: f"/api/v1/clusters/{w.cluster.pk}/",
        {
            "GET": (None, EVERYONE_READS),
            "PATCH": (lambda w: {"location": "Jena"}, officers_write(200)),
        },
    ),
    "api/v1/organisations/": Row(
        lambda w: "/api/v1/organisations/",
        {
            "GET": (None, EVERYONE_READS),
            # Cluster managements propose, officers add confirmed organisations.
            "POST": (
                lambda w: {
                    "name": "Kyoto University",
                    "legal_form": "university",
                    "country": "JP",
                    "city": "Kyoto",
                },
                (401, 201, 201, 201, 403, 403),
            ),
        },
    ),
    "api/v1/organisations/<int:pk>/": Row(
        lambda w: f"/api/v1/organisations/{w.company.pk}/",
        {
            "GET": (None, EVERYONE_READS),
            "PATCH": (lambda w: {"city": "Dresden"}, officers_write(200)),
        },
    ),
    "api/v1/organisations/<int:pk>/confirm/": Row(
        lambda w: f"/api/v1/organisations/{w.proposal.pk}/confirm/",
        {"POST": (lambda w: {}, officers_write(200))},
    ),
    "api/v1/applications/": Row(
        lambda w: "/api/v1/applications/",
        {
            "GET": (None, EVERYONE_READS),
            "POST": (
                lambda w: {"round": w.spare_round.pk, "cluster": w.cluster.pk, "title": "Again"},
                (401, 201, 201, 403, 403, 403),
            ),
        },
    ),
    "api/v1/applications/<int:pk>/": Row(
        lambda w: under(w, "draft"),
        {"GET": (None, A_READS), "PATCH": (lambda w: {"title": "Sensors abroad"}, a_writes(200))},
    ),
    "api/v1/applications/<int:application_pk>/partner-regions/": Row(
        lambda w: under(w, "draft", "partner-regions/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {"country": "JP", "region": "Kansai", "partner_name": "Kansai Bio"},
                a_writes(201),
            ),
        },
    ),
    "api/v1/applications/<int:application_pk>/partner-regions/<int:pk>/": Row(
        lambda w: under(w, "draft", f"partner-regions/{w.region.pk}/"),
        {"GET": (None, A_READS), "DELETE": (None, a_writes(204))},
    ),
    "api/v1/applications/<int:application_pk>/projects/": Row(
        lambda w: under(w, "concept", "projects/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {
                    "title": "Sensor networks",
                    "start_month": w.project.start_month.isoformat(),
                    "end_month": w.project.end_month.isoformat(),
                },
                a_writes(201),
            ),
        },
    ),
    "api/v1/applications/<int:application_pk>/projects/<int:project_pk>/": Row(
        lambda w: under(w, "concept", f"projects/{w.project.pk}/"),
        {
            "GET": (None, A_READS),
            "PATCH": (lambda w: {"description": "Sensors printed on foil."}, a_writes(200)),
            "DELETE": (None, a_writes(204)),
        },
    ),
    "api/v1/applications/<int:application_pk>/projects/<int:project_pk>/partners/": Row(
        lambda w: under(w, "concept", f"projects/{w.project.pk}/partners/"),
        {
            "GET": (None, A_READS),
            "POST": (lambda w: {"organisation": w.newcomer.pk}, a_writes(201)),
        },
    ),
    "api/v1/applications/<int:application_pk>/projects/<int:project_pk>/partners/<int:pk>/": Row(
        lambda w: under(w, "concept", f"projects/{w.project.pk}/partners/{w.abroad_partner.pk}/"),
        {"GET": (None, A_READS), "DELETE": (None, a_writes(204))},
    ),
    "api/v1/applications/<int:application_pk>/grantee-terms/": Row(
        lambda w: under(w, "concept", "grantee-terms/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {
                    "organisation": w.newcomer.pk,
                    "basis": "AZA",
                    "funding_rate": "100.00",
                    "has_projektpauschale": True,
                },
                a_writes(201),
            ),
        },
    ),
    "api/v1/applications/<int:application_pk>/grantee-terms/<int:pk>/": Row(
        lambda w: under(w, "concept", f"grantee-terms/{w.terms.pk}/"),
        {
            "GET": (None, A_READS),
            "PATCH": (lambda w: {"funding_rate": "65.00"}, a_writes(200)),
        },
    ),
    "api/v1/applications/<int:application_pk>/transitions/": Row(
        lambda w: under(w, "draft", "transitions/"), get(A_READS)
    ),
    "api/v1/applications/<int:application_pk>/transitions/<str:name>/": Row(
        lambda w: under(w, "draft", "transitions/submit/"),
        # Only the cluster's own management submits; officers are refused by the workflow.
        {"POST": (lambda w: {}, (401, 403, 200, 404, 403, 403))},
    ),
    "api/v1/applications/<int:application_pk>/history/": Row(
        lambda w: under(w, "concept", "history/"), get(A_READS)
    ),
    "api/v1/applications/<int:application_pk>/history/changes/": Row(
        lambda w: under(w, "concept", "history/changes/"), get(A_READS)
    ),
    "api/v1/applications/<int:application_pk>/budget/": Row(
        lambda w: under(w, "concept", "budget/"), get(A_READS)
    ),
    "api/v1/applications/<int:application_pk>/budget/template.xlsx": Row(
        lambda w: under(w, "draft", "budget/template.xlsx"),
        get((401, 200, 200, 404, 403, 404)),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/applications/<int:application_pk>/budget/import/": Row(
        lambda w: under(w, "draft", "budget/import/"),
        {"POST": (upload, a_writes(200))},
        multipart=True,
    ),
    "api/v1/applications/<int:application_pk>/budget/import/confirm/": Row(
        lambda w: under(w, "draft", "budget/import/confirm/"),
        # The officer may import, but not with the token of manager A's preview (422).
        {"POST": (confirmation, (401, 422, 200, 404, 403, 403))},
        multipart=True,
    ),
    "api/v1/budget-positions/": Row(lambda w: "/api/v1/budget-positions/", get(EVERYONE_READS)),
    "api/v1/budget-positions/<int:pk>/": Row(
        lambda w: f"/api/v1/budget-positions/{position('AZK', '0837').pk}/", get(EVERYONE_READS)
    ),
    "api/v1/budget-lines/": Row(
        lambda w: "/api/v1/budget-lines/",
        {
            "GET": (None, EVERYONE_READS),
            # B cannot point a line at A's application: it does not exist for B (400).
            "POST": (management_line, (401, 201, 201, 400, 403, 403)),
        },
    ),
    "api/v1/budget-lines/<int:pk>/": Row(
        lambda w: f"/api/v1/budget-lines/{w.draft_line.pk}/",
        {
            "GET": (None, A_READS),
            "PUT": (whole_line, a_writes(200)),
            "PATCH": (lambda w: {"eligible_amount": "90000.00"}, a_writes(200)),
            "DELETE": (None, a_writes(204)),
        },
    ),
    # The competition: officers set criteria and assign; reviewers (and officers) declare
    # conflicts and write reviews, only the assigned reviewer their own (the services' rule).
    "api/v1/rounds/<int:round_pk>/review-criteria/": Row(
        lambda w: f"/api/v1/rounds/{w.round.pk}/review-criteria/",
        {
            "GET": (None, EVERYONE_READS),
            "POST": (lambda w: {"name": "Novelty", "weight": "0.50"}, officers_write(201)),
        },
    ),
    "api/v1/rounds/<int:round_pk>/review-criteria/<int:pk>/": Row(
        lambda w: f"/api/v1/rounds/{w.round.pk}/review-criteria/{w.criterion.pk}/",
        {
            "GET": (None, EVERYONE_READS),
            "PATCH": (lambda w: {"description": "Regions and partners."}, officers_write(200)),
            "DELETE": (None, officers_write(204)),
        },
    ),
    "api/v1/review-assignments/": Row(
        lambda w: "/api/v1/review-assignments/",
        {
            "GET": (None, EVERYONE_READS),
            "POST": (
                lambda w: {"application": w.in_review.pk, "reviewer": w.free_reviewer.pk},
                officers_write(201),
            ),
        },
    ),
    "api/v1/review-assignments/<int:pk>/": Row(
        lambda w: f"/api/v1/review-assignments/{w.assignment.pk}/",
        {"GET": (None, JURY_READS), "DELETE": (None, officers_write(204))},
    ),
    "api/v1/review-assignments/<int:pk>/review/": Row(
        lambda w: f"/api/v1/review-assignments/{w.assignment.pk}/review/",
        {
            "GET": (None, JURY_READS),
            # Only the assigned jury member writes it, and they are none of the personas.
            "PUT": (
                lambda w: {
                    "recommendation": "fund",
                    "scores": [{"criterion": w.review_criterion.pk, "score": 5}],
                },
                JURY_WRITES_ANOTHERS,
            ),
        },
    ),
    "api/v1/review-assignments/<int:pk>/review/submit/": Row(
        lambda w: f"/api/v1/review-assignments/{w.assignment.pk}/review/submit/",
        {"POST": (lambda w: {}, JURY_WRITES_ANOTHERS)},
    ),
    "api/v1/conflicts-of-interest/": Row(
        lambda w: "/api/v1/conflicts-of-interest/",
        {
            "GET": (None, EVERYONE_READS),
            # The declaration is the requester's own: the officer is no jury member (400).
            "POST": (
                lambda w: {"cluster": w.cluster.pk, "reason": "My spouse works there."},
                (401, 400, 403, 403, 403, 201),
            ),
        },
    ),
    "api/v1/conflicts-of-interest/<int:pk>/": Row(
        lambda w: f"/api/v1/conflicts-of-interest/{w.conflict.pk}/", get(JURY_READS)
    ),
    "api/v1/reviews/": Row(lambda w: "/api/v1/reviews/", get(EVERYONE_READS)),
    "api/v1/reviews/<int:pk>/": Row(lambda w: f"/api/v1/reviews/{w.review.pk}/", get(JURY_READS)),
    "api/v1/rounds/<int:pk>/ranking/": Row(
        lambda w: f"/api/v1/rounds/{w.review_round.pk}/ranking/",
        get((401, 200, 403, 403, 200, 403)),
    ),
    # The jury to assign from: officers only, read-only.
    "api/v1/jury-members/": Row(
        lambda w: "/api/v1/jury-members/", get((401, 200, 403, 403, 403, 403))
    ),
    # Messages and documents (issue 14): the thread between officers and the cluster's
    # management (auditors read, jury members and other clusters do not see it); documents of
    # the outline while it is a draft; downloads only through the access-checked endpoint.
    "api/v1/applications/<int:application_pk>/messages/": Row(
        lambda w: under(w, "draft", "messages/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {
                    "body": "The strategy, as discussed.",
                    "files": SimpleUploadedFile("strategy.pdf", b"%PDF-1.4\n%%EOF\n"),
                },
                a_writes(201),
            ),
        },
        multipart=True,
    ),
    "api/v1/applications/<int:application_pk>/documents/": Row(
        lambda w: under(w, "draft", "documents/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {"file": SimpleUploadedFile("regions.pdf", b"%PDF-1.4\n%%EOF\n")},
                a_writes(201),
            ),
        },
        multipart=True,
    ),
    "api/v1/applications/<int:application_pk>/documents/<int:pk>/": Row(
        lambda w: under(w, "draft", f"documents/{w.outline_document.pk}/"),
        {"GET": (None, A_READS), "DELETE": (None, a_writes(204))},
    ),
    "api/v1/applications/<int:application_pk>/documents/<int:pk>/download/": Row(
        lambda w: under(w, "draft", f"documents/{w.outline_document.pk}/download/"),
        get(A_READS),
        content_type="application/pdf",
        error_content_type="application/json",
    ),
    # Deadlines, the task list and the inbox (issue 14): an application's deadlines are read
    # like its cluster and set or moved by officers; notifications are their recipient's own.
    "api/v1/applications/<int:application_pk>/deadlines/": Row(
        lambda w: under(w, "concept", "deadlines/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {
                    "title": "Letters of intent of the partners abroad",
                    "due_on": "2099-06-30",
                    "reason": "Agreed in the meeting of the jury.",
                },
                officers_write(201),
            ),
        },
    ),
    "api/v1/applications/<int:application_pk>/deadlines/<int:pk>/": Row(
        lambda w: under(w, "concept", f"deadlines/{deadline_of_a(w)}/"),
        {
            "GET": (None, A_READS),
            "PATCH": (
                lambda w: {"due_on": "2099-06-30", "reason": "The partner's election."},
                officers_write(200),
            ),
        },
    ),
    "api/v1/tasks/": Row(lambda w: "/api/v1/tasks/", get(EVERYONE_READS)),
    "api/v1/notifications/": Row(lambda w: "/api/v1/notifications/", get(EVERYONE_READS)),
    "api/v1/notifications/unread-count/": Row(
        lambda w: "/api/v1/notifications/unread-count/", get(EVERYONE_READS)
    ),
    "api/v1/notifications/read/": Row(
        lambda w: "/api/v1/notifications/read/",
        {"POST": (lambda w: {}, (401, 200, 200, 200, 200, 200))},
    ),
    # Manager A's notification: only they may mark it; to everyone else it is absent.
    "api/v1/notifications/<int:pk>/read/": Row(
        lambda w: f"/api/v1/notifications/{notification_of_a()}/read/",
        {"POST": (lambda w: {}, (401, 404, 200, 404, 404, 404))},
    ),
    "api/v1/notification-preferences/": Row(
        lambda w: "/api/v1/notification-preferences/",
        {
            "GET": (None, EVERYONE_READS),
            "PUT": (
                lambda w: {"language": "en", "modes": {"message_posted": "digest"}},
                (401, 200, 200, 200, 200, 200),
            ),
        },
    ),
    # Drawdowns and payment runs (issue 15). Payment officers are no persona here: their
    # releases and payments are in tests/disbursements/test_api.py.
    "api/v1/drawdowns/": Row(lambda w: "/api/v1/drawdowns/", get(EVERYONE_READS)),
    "api/v1/drawdowns/<int:pk>/": Row(
        lambda w: drawdown_url(w, "draft"),
        {
            "GET": (None, A_READS),
            "PATCH": (lambda w: {"purpose": "Trade fair"}, (401, 403, 200, 404, 403, 403)),
        },
    ),
    "api/v1/drawdowns/<int:pk>/transitions/": Row(
        lambda w: drawdown_url(w, "draft", "transitions/"), get(A_READS)
    ),
    "api/v1/drawdowns/<int:pk>/transitions/<str:name>/": Row(
        lambda w: drawdown_url(w, "draft", "transitions/submit/"),
        {"POST": (lambda w: {}, (401, 403, 200, 404, 403, 403))},
    ),
    "api/v1/drawdowns/<int:pk>/history/": Row(
        lambda w: drawdown_url(w, "paid", "history/"), get(A_READS)
    ),
    "api/v1/drawdowns/<int:pk>/spent/": Row(
        lambda w: drawdown_url(w, "paid", "spent/"),
        {
            "POST": (
                lambda w: {"spent_reported_on": w.drawdowns.paid.paid_on.isoformat()},
                (401, 403, 200, 404, 403, 403),
            )
        },
    ),
    "api/v1/applications/<int:application_pk>/drawdowns/": Row(
        lambda w: under(w, "concept", "drawdowns/"),
        {
            "POST": (
                lambda w: concept_drawdown_body(w.concept),
                (401, 403, 201, 404, 403, 403),
            )
        },
    ),
    "api/v1/applications/<int:application_pk>/grantee-years/": Row(
        lambda w: under(w, "concept", "grantee-years/"), get(A_READS)
    ),
    "api/v1/payment-runs/": Row(
        lambda w: "/api/v1/payment-runs/",
        {
            "GET": (None, RUNS_READ),
            "POST": (
                lambda w: {"drawdowns": [w.drawdowns.released.pk]},
                (401, 403, 403, 403, 403, 403),
            ),
        },
    ),
    "api/v1/payment-runs/<int:pk>/": Row(
        lambda w: f"/api/v1/payment-runs/{w.drawdowns.run.pk}/", get(RUN_READ)
    ),
    "api/v1/payment-runs/<int:pk>/pay/": Row(
        lambda w: f"/api/v1/payment-runs/{w.drawdowns.run.pk}/pay/",
        {
            "POST": (
                lambda w: {"paid_on": "2030-01-10", "payment_reference": "KASSE-2"},
                (401, 403, 404, 404, 403, 403),
            )
        },
    ),
    "api/v1/payment-runs/<int:pk>/workbook.xlsx": Row(
        lambda w: f"/api/v1/payment-runs/{w.drawdowns.run.pk}/workbook.xlsx",
        get(RUN_READ),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    # Change requests and plan versions (issue 16).
    "api/v1/change-requests/": Row(lambda w: "/api/v1/change-requests/", get(EVERYONE_READS)),
    "api/v1/change-requests/<int:pk>/": Row(
        change_request_url,
        {
            "GET": (None, A_READS),
            "PATCH": (lambda w: {"reason": "Earlier trip"}, (401, 403, 200, 404, 403, 403)),
        },
    ),
    "api/v1/change-requests/<int:pk>/transitions/<str:name>/": Row(
        lambda w: change_request_url(w, "transitions/submit/"),
        {"POST": (lambda w: {}, (401, 403, 200, 404, 403, 403))},
    ),
    "api/v1/applications/<int:application_pk>/change-requests/": Row(
        lambda w: under(w, "concept", "change-requests/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {"lines": money_moved_to_next_year(w.concept)},
                (401, 403, 201, 404, 403, 403),
            ),
        },
    ),
    "api/v1/applications/<int:application_pk>/plan-versions/": Row(
        lambda w: under(w, "concept", "plan-versions/"), get(A_READS)
    ),
    "api/v1/applications/<int:application_pk>/plan-versions/<int:number>/": Row(
        lambda w: under(w, "concept", "plan-versions/1/"), get(A_READS)
    ),
    # The cluster as a whole (issue 17).
    "api/v1/clusters/<int:cluster_pk>/members/": Row(
        lambda w: f"/api/v1/clusters/{w.cluster.pk}/members/",
        {"GET": (None, A_READS), "POST": (new_member, a_writes(201))},
    ),
    "api/v1/clusters/<int:cluster_pk>/activities/": Row(
        lambda w: f"/api/v1/clusters/{w.cluster.pk}/activities/",
        {"GET": (None, A_READS), "POST": (new_activity, a_writes(201))},
    ),
    "api/v1/clusters/<int:cluster_pk>/surveys/": Row(
        lambda w: f"/api/v1/clusters/{w.cluster.pk}/surveys/",
        {"GET": (None, A_READS), "POST": (lambda w: {}, a_writes(201))},
    ),
    "api/v1/clusters/<int:cluster_pk>/indicators/": Row(
        lambda w: f"/api/v1/clusters/{w.cluster.pk}/indicators/", get(A_READS)
    ),
    "api/v1/activities/<int:pk>/": Row(
        lambda w: f"/api/v1/activities/{w.monitoring.activity.pk}/", get(A_READS)
    ),
    "api/v1/activities/<int:pk>/contacts/": Row(
        lambda w: f"/api/v1/activities/{w.monitoring.activity.pk}/contacts/",
        {
            "POST": (
                lambda w: {"partner_name": "Minalogic", "country": "FR", "is_known_partner": False},
                a_writes(201),
            )
        },
    ),
    "api/v1/activities/<int:pk>/outcomes/": Row(
        lambda w: f"/api/v1/activities/{w.monitoring.activity.pk}/outcomes/",
        {"POST": (lambda w: {"kind": "contract", "concluded_on": "2025-01-10"}, a_writes(201))},
    ),
    "api/v1/programmes/<int:pk>/indicators.xlsx": Row(
        lambda w: f"/api/v1/programmes/{w.round.programme_id}/indicators.xlsx",
        get(RUNS_READ),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/programmes/<int:pk>/indicators/": Row(
        lambda w: f"/api/v1/programmes/{w.round.programme_id}/indicators/", get(RUNS_READ)
    ),
    # Statements and settlements (issue 16): A's draft interim statement, its accepted final
    # statement and that one's settlement, prepared by the officer (so four eyes refuse them
    # the decision; a second officer's is in tests/statements/test_journey.py).
    "api/v1/statements/": Row(lambda w: "/api/v1/statements/", get(EVERYONE_READS)),
    "api/v1/statements/<int:pk>/": Row(
        lambda w: statement_url(w, "draft"),
        {
            "GET": (None, A_READS),
            "PATCH": (
                lambda w: {"narrative": "Three delegations."},
                (401, 403, 200, 404, 403, 403),
            ),
        },
    ),
    "api/v1/statements/<int:pk>/lines/": Row(
        lambda w: statement_url(w, "draft", "lines/"),
        {"GET": (None, A_READS), "PUT": (statement_lines, (401, 403, 200, 404, 403, 403))},
    ),
    "api/v1/statements/<int:pk>/actuals.xlsx": Row(
        lambda w: statement_url(w, "draft", "actuals.xlsx"),
        get(A_READS),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/statements/<int:pk>/actuals/import/": Row(
        lambda w: statement_url(w, "draft", "actuals/import/"),
        {"POST": (actuals_upload, (401, 403, 200, 404, 403, 403))},
        multipart=True,
    ),
    # No preview's token: A is told so (422).
    "api/v1/statements/<int:pk>/actuals/import/confirm/": Row(
        lambda w: statement_url(w, "draft", "actuals/import/confirm/"),
        {"POST": (lambda w: {**actuals_upload(w), "token": "x"}, (401, 403, 422, 404, 403, 403))},
        multipart=True,
    ),
    "api/v1/statements/<int:pk>/figures/": Row(
        lambda w: statement_url(w, "final", "figures/"), get(A_READS)
    ),
    "api/v1/statements/<int:pk>/workbook.xlsx": Row(
        lambda w: statement_url(w, "final", "workbook.xlsx"),
        get(A_READS),
        content_type=XLSX,
        error_content_type="application/json",
    ),
    "api/v1/statements/<int:pk>/transitions/": Row(
        lambda w: statement_url(w, "draft", "transitions/"), get(A_READS)
    ),
    "api/v1/statements/<int:pk>/transitions/<str:name>/": Row(
        lambda w: statement_url(w, "draft", "transitions/submit/"),
        {"POST": (lambda w: {}, (401, 403, 200, 404, 403, 403))},
    ),
    "api/v1/statements/<int:pk>/documents/": Row(
        lambda w: statement_url(w, "draft", "documents/"),
        {
            "GET": (None, A_READS),
            "POST": (
                lambda w: {"file": SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%%EOF\n")},
                (401, 403, 201, 404, 403, 403),
            ),
        },
        multipart=True,
    ),
    "api/v1/statements/<int:pk>/documents/<int:document_pk>/": Row(
        lambda w: statement_url(w, "draft", f"documents/{w.statements.document.pk}/"),
        get(A_READS),
        content_type="application/pdf",
        error_content_type="application/json",
    ),
    "api/v1/statements/<int:pk>/history/": Row(
        lambda w: statement_url(w, "final", "history/"), get(A_READS)
    ),
    # Settled already: the officer is told so (400); the others may not settle.
    "api/v1/statements/<int:pk>/settlement/": Row(
        lambda w: statement_url(w, "final", "settlement/"),
        {"POST": (lambda w: {}, (401, 400, 403, 404, 403, 403))},
    ),
    # The world's year has not ended yet: A is told so (400); officers do not write statements.
    "api/v1/applications/<int:application_pk>/statements/": Row(
        lambda w: under(w, "concept", "statements/"),
        {
            "POST": (
                lambda w: {
                    "kind": "interim",
                    "phase": "concept",
                    "grantee": w.cluster.management_organisation_id,
                    "year": w.concept.concept_start_on.year + 1,
                },
                (401, 403, 400, 404, 403, 403),
            )
        },
    ),
    "api/v1/settlements/": Row(lambda w: "/api/v1/settlements/", get(EVERYONE_READS)),
    "api/v1/settlements/<int:pk>/": Row(
        lambda w: f"/api/v1/settlements/{w.statements.settlement.pk}/", get(A_READS)
    ),
    "api/v1/settlements/<int:pk>/transitions/<str:name>/": Row(
        lambda w: f"/api/v1/settlements/{w.statements.settlement.pk}/transitions/decide/",
        {"POST": (lambda w: {}, (401, 403, 403, 404, 403, 403))},
    ),
    "api/v1/^": Row(
        lambda w: "/api/v1/no-such-thing/",
        {method: (None, NOWHERE) for method in METHODS},
        public=True,
    ),
}


def test_matrix_has_a_row_for_every_route():
    assert sorted(api_routes()) == sorted(MATRIX)


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(route, world, api_as):
    row = MATRIX[route]
    url = row.url(world)
    wrong = []
    for method in METHODS:
        body, statuses = row.expected(method)
        for persona, expected in zip(PERSONAS, statuses, strict=True):
            client = api_as(persona)
            with transaction.atomic():
                if body is None:
                    data, content_type = None, "application/json"
                elif row.multipart:
                    data, content_type = encode_multipart(BOUNDARY, body(world)), MULTIPART_CONTENT
                else:
                    data = client._encode_json(body(world), "application/json")
                    content_type = "application/json"
                response = client.generic(method, url, data=data, content_type=content_type)
                if response.streaming:  # read to the end: the test client then closes the file
                    b"".join(response.streaming_content)
                transaction.set_rollback(True)
            content_type = response.get("Content-Type", "")
            wanted = row.content_type
            if response.status_code >= 400 and row.error_content_type:
                wanted = row.error_content_type
            typed = response.status_code == 204 or content_type.startswith(wanted)
            if response.status_code != expected or not typed:
                wrong.append((method, persona, expected, response.status_code, content_type))
    assert wrong == []
