"""Messages and documents over the API: refusals answer 4xx with the rule and store nothing,
another cluster's thread, documents and downloads are 404, lists cost the same number of queries
for few and many rows, and the receipt is listed and downloadable after the submission."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from applications.services import application_transition
from correspondence.filetypes import NAME_MISMATCH, TOO_BIG, WRONG_TYPE
from correspondence.models import Document, Message
from correspondence.services import document_attach, message_post

from ..api.conftest import client_for
from .support import EXE, PDF, docx, odt, stored_files, upload, xlsx

pytestmark = pytest.mark.django_db


def messages_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/messages/"


def documents_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/documents/"


def test_api_message_with_attachments_is_written_and_listed(manager_a, application_a):
    client = client_for(manager_a)
    response = client.post(
        messages_url(application_a),
        {"body": "Both files.", "files": [upload("a.docx", docx()), upload("b.odt", odt())]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["body"] == "Both files."
    assert sorted(d["file_type"] for d in body["documents"]) == ["docx", "odt"]
    listed = client.get(messages_url(application_a)).json()["results"]
    assert [m["id"] for m in listed] == [body["id"]]


def test_api_message_as_json_without_files(officer, application_a):
    response = client_for(officer).post(
        messages_url(application_a), {"body": "Please revise the budget."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["author"] == "olga-officer"


@pytest.mark.parametrize(
    ("name", "content", "status", "detail"),
    [
        ("strategy.pdf", EXE, 415, WRONG_TYPE % {"name": "strategy.pdf"}),
        (
            "budget.pdf",
            xlsx(),
            415,
            NAME_MISMATCH % {"name": "budget.pdf", "named": "pdf", "actual": "XLSX"},
        ),
        (
            "big.pdf",
            b"%PDF-" + b" " * (20 * 1024 + 507),  # 20.5 KB
            413,
            TOO_BIG % {"name": "big.pdf", "size": "20.5 KB", "limit": "16 KB"},
        ),
    ],
)
@override_settings(DOCUMENT_MAX_BYTES=16 * 1024)
def test_api_refused_upload_names_the_rule_and_stores_nothing(
    manager_a, application_a, name, content, status, detail
):
    client = client_for(manager_a)
    response = client.post(
        documents_url(application_a), {"file": upload(name, content)}, format="multipart"
    )
    assert response.status_code == status
    assert response.json()["detail"] == detail
    response = client.post(
        messages_url(application_a),
        {"body": "x", "files": [upload("fine.pdf", PDF), upload(name, content)]},
        format="multipart",
    )
    assert (response.status_code, response.json()["detail"]) == (status, detail)
    assert (Message.objects.count(), Document.objects.count(), stored_files()) == (0, 0, [])


def test_api_empty_file_is_refused(manager_a, application_a):
    response = client_for(manager_a).post(
        documents_url(application_a), {"file": upload("empty.pdf", b"")}, format="multipart"
    )
    # DRF's FileField refuses an empty upload already (400), before the service.
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_api_another_cluster_gets_404_on_thread_documents_and_downloads(
    manager_a, manager_b, application_a
):
    document = document_attach(
        application=application_a, file=upload("strategy.pdf", PDF), by=manager_a
    )
    message_post(application=application_a, body="Internal.", by=manager_a)
    client = client_for(manager_b)
    base = documents_url(application_a)
    for url in (
        messages_url(application_a),
        base,
        f"{base}{document.pk}/",
        f"{base}{document.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(messages_url(application_a), {"body": "Hi"}).status_code == 404
    assert client.delete(f"{base}{document.pk}/").status_code == 404
    assert Message.objects.count() == 1
    assert Document.objects.count() == 1


def test_api_auditor_reads_but_may_not_write(auditor, manager_a, application_a):
    document = document_attach(
        application=application_a, file=upload("strategy.pdf", PDF), by=manager_a
    )
    client = client_for(auditor)
    download = client.get(f"{documents_url(application_a)}{document.pk}/download/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client.post(messages_url(application_a), {"body": "Hi"}).status_code == 403
    response = client.post(
        documents_url(application_a), {"file": upload("x.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 403
    assert client.delete(f"{documents_url(application_a)}{document.pk}/").status_code == 403
    assert Document.objects.count() == 1


def test_api_lists_the_receipt_after_submission(manager_a, application_a):
    application_transition(application=application_a, name="submit", by=manager_a)
    listed = client_for(manager_a).get(documents_url(application_a)).json()["results"]
    assert [(d["kind"], d["file_type"]) for d in listed] == [("receipt", "pdf")]
    download = client_for(manager_a).get(listed[0]["download"])
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_api_lists_cost_the_same_queries_for_few_and_many(officer, manager_a, application_a):
    client = client_for(officer)
    client.get(messages_url(application_a))  # the officer's roles are read once per user
    message_post(application=application_a, body="1", files=[upload("1.pdf", PDF)], by=manager_a)
    few = (
        _count_queries(client, messages_url(application_a)),
        _count_queries(client, documents_url(application_a)),
    )
    for number in range(2, 7):
        message_post(
            application=application_a,
            body=str(number),
            files=[upload(f"{number}.pdf", PDF), upload(f"{number}.xlsx", xlsx())],
            by=officer if number % 2 else manager_a,
        )
    many = (
        _count_queries(client, messages_url(application_a)),
        _count_queries(client, documents_url(application_a)),
    )
    assert few == many
    assert Document.objects.count() == 11


def test_api_download_keeps_a_german_file_name(manager_a, application_a):
    document = document_attach(
        application=application_a, file=upload("Strategie-Übersicht.pdf", PDF), by=manager_a
    )
    download = client_for(manager_a).get(f"{documents_url(application_a)}{document.pk}/download/")
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''Strategie-%C3%9Cbersicht.pdf"
    )
