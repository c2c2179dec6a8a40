"""Attachments of a statement: kept in the private storage, judged by their content, written
only while the cluster management has the statement, sent only as a download, and absent for
another cluster."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel import clock
from statements.models import StatementDocument

from ..api.conftest import client_for
from .conftest import Running, at, concept_statement, move

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def statement(running: Running, manager_a):
    with clock.frozen_at(at(2028, 2, 10)):
        return concept_statement(running, manager_a)


def test_attach_list_and_download(statement, manager_a, officer, manager_b):
    url = f"/api/v1/statements/{statement.pk}/documents/"
    added = client_for(manager_a).post(
        url, {"file": SimpleUploadedFile("receipts.pdf", PDF)}, format="multipart"
    )
    assert added.status_code == 201, added.json()
    assert (added.json()["original_name"], added.json()["file_type"]) == ("receipts.pdf", "pdf")
    listed = client_for(officer).get(url).json()
    assert [d["id"] for d in listed] == [added.json()["id"]]
    download = client_for(officer).get(f"{url}{added.json()['id']}/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(manager_b).get(f"{url}{added.json()['id']}/").status_code == 404


def test_a_file_that_is_no_document_is_refused(statement, manager_a):
    url = f"/api/v1/statements/{statement.pk}/documents/"
    refused = client_for(manager_a).post(
        url,
        {"file": SimpleUploadedFile("receipts.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )
    assert refused.status_code == 415
    assert not StatementDocument.objects.exists()


def test_no_attachments_once_submitted(statement, manager_a):
    move(statement, "submit", manager_a)
    refused = client_for(manager_a).post(
        f"/api/v1/statements/{statement.pk}/documents/",
        {"file": SimpleUploadedFile("late.pdf", PDF)},
        format="multipart",
    )
    assert refused.status_code == 403
    assert not StatementDocument.objects.exists()
