"""The messages-and-documents page and its forms for every persona: officers and the own
cluster's management write, auditors read (403 on every write), another cluster gets 404 on
everything (page, forms, downloads), anonymous visitors go to the login page. Refused uploads
answer 4xx with the rule on the page and store nothing."""

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services import application_transition
from competition.services import reviewer_assign
from correspondence.filetypes import TOO_BIG, WRONG_TYPE
from correspondence.models import Document, Message
from correspondence.services import document_attach, message_post
from programmes.access import Role

from ..api.conftest import in_review
from ..factories import ApplicationFactory, user_with_role
from ..web.conftest import browser
from .support import EXE, PDF, stored_files, upload, xlsx

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")
READS = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 200}
WRITES = {"officer": 302, "manager_a": 302, "manager_b": 404, "auditor": 403}


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


@pytest.fixture
def outline_document(application_a, manager_a) -> Document:
    return document_attach(
        application=application_a, file=upload("strategy.pdf", PDF), by=manager_a
    )


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_thread_page_answers_each_persona(request, persona, application_a, outline_document):
    response = browser(user_of(request, persona)).get(
        reverse("correspondence:thread", args=[application_a.pk])
    )
    if persona == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == READS[persona]
    if response.status_code == 200:
        assert "strategy.pdf" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_download_answers_each_persona(request, persona, application_a, outline_document):
    url = reverse("correspondence:document-download", args=[application_a.pk, outline_document.pk])
    response = browser(user_of(request, persona)).get(url)
    if persona == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == READS[persona]
    if response.status_code == 200:
        assert response.content == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", PERSONAS)
def test_message_post_answers_each_persona(request, persona, application_a):
    response = browser(user_of(request, persona)).post(
        reverse("correspondence:message-post", args=[application_a.pk]),
        {"body": "Please add the budget.", "files": [upload("budget.xlsx", xlsx())]},
    )
    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == WRITES[persona]
    written = WRITES.get(persona) == 302
    assert Message.objects.count() == (1 if written else 0)
    assert Document.objects.count() == (1 if written else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_attach_answers_each_persona(request, persona, application_a):
    response = browser(user_of(request, persona)).post(
        reverse("correspondence:document-attach", args=[application_a.pk]),
        {"file": upload("strategy.pdf", PDF)},
    )
    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == WRITES[persona]
    assert Document.objects.count() == (1 if WRITES.get(persona) == 302 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_remove_answers_each_persona(request, persona, application_a, outline_document):
    response = browser(user_of(request, persona)).post(
        reverse("correspondence:document-remove", args=[application_a.pk, outline_document.pk])
    )
    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == WRITES[persona]
    assert Document.objects.count() == (0 if WRITES.get(persona) == 302 else 1)


def test_another_clusters_attachment_is_absent_even_under_the_own_application(
    manager_b, application_a, manager_a, open_round, cluster_b
):
    """A document id of cluster A under cluster B's own application: 404, not the file."""
    own = ApplicationFactory(round=open_round, cluster=cluster_b)
    message = message_post(
        application=application_a, body="x", files=[upload("a.pdf", PDF)], by=manager_a
    )
    url = reverse("correspondence:document-download", args=[own.pk, message.documents.get().pk])
    assert browser(manager_b).get(url).status_code == 404


def test_exe_renamed_pdf_is_refused_on_the_page_and_nothing_is_stored(manager_a, application_a):
    response = browser(manager_a).post(
        reverse("correspondence:document-attach", args=[application_a.pk]),
        {"file": upload("strategy.pdf", EXE)},
    )
    assert response.status_code == 415
    assert WRONG_TYPE % {"name": "strategy.pdf"} in response.content.decode()
    assert (Document.objects.count(), stored_files()) == (0, [])


@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_too_big_attachment_is_refused_with_the_numbers(manager_a, application_a):
    response = browser(manager_a).post(
        reverse("correspondence:message-post", args=[application_a.pk]),
        {"body": "Here it is.", "files": [upload("big.pdf", PDF + b" " * 2048)]},
    )
    assert response.status_code == 413
    detail = TOO_BIG % {"name": "big.pdf", "size": "2.1 KB", "limit": "1 KB"}
    assert detail in response.text
    assert (Message.objects.count(), Document.objects.count(), stored_files()) == (0, 0, [])


def test_thread_page_shows_messages_and_the_receipt_link(manager_a, application_a, officer):
    message_post(application=application_a, body="Welcome to the round.", by=officer)
    application_transition(application=application_a, name="submit", by=manager_a)
    response = browser(manager_a).get(reverse("correspondence:thread", args=[application_a.pk]))
    receipt = application_a.documents.get(kind="receipt")
    assert "Welcome to the round." in response.text
    assert (
        reverse("correspondence:document-download", args=[application_a.pk, receipt.pk])
        in response.text
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_thread_page_costs_the_same_queries_for_few_and_many(officer, manager_a, application_a):
    client = browser(officer)
    url = reverse("correspondence:thread", args=[application_a.pk])
    client.get(url)  # sessions and roles are read on the first request
    message_post(application=application_a, body="1", files=[upload("1.pdf", PDF)], by=manager_a)
    few = count_queries(client, url)
    for number in range(2, 7):
        message_post(
            application=application_a,
            body=str(number),
            files=[upload(f"{number}.pdf", PDF), upload(f"{number}.xlsx", xlsx())],
            by=officer if number % 2 else manager_a,
        )
    document_attach(application=application_a, file=upload("plan.pdf", PDF), by=manager_a)
    assert count_queries(client, url) == few


def test_jury_members_do_not_see_the_thread(open_round, cluster_a, manager_a, officer):
    """Even a jury member assigned to the application: the thread is not theirs (404)."""
    reviewed = in_review(open_round, cluster_a, manager=manager_a, officer=officer)
    juror = user_with_role("jana-juror", Role.REVIEWER)
    reviewer_assign(application=reviewed, reviewer=juror, by=officer)
    client = browser(juror)
    assert client.get(reverse("applications:detail", args=[reviewed.pk])).status_code == 200
    assert client.get(reverse("correspondence:thread", args=[reviewed.pk])).status_code == 404
