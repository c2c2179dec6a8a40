"""Messages and documents through the services: attachments checked before anything is stored,
nothing left behind on refusal, outline documents only on drafts, the signal for notifications."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings

from applications.services import application_transition
from correspondence.filetypes import UploadRefused
from correspondence.models import Document, DocumentKind, Message
from correspondence.services import (
    MAY_NOT_WRITE,
    NOT_REMOVABLE,
    OUTLINE_CLOSED,
    document_attach,
    document_remove,
    message_post,
)
from correspondence.signals import message_posted

from .support import EXE, PDF, docx, odt, stored_files, upload, xlsx

pytestmark = pytest.mark.django_db


def test_message_post_keeps_the_message_and_its_checked_attachments(application_a, manager_a):
    message = message_post(
        application=application_a,
        body="  Our strategy, as discussed.  ",
        files=[upload("strategy.docx", docx()), upload("budget.xlsx", xlsx())],
        by=manager_a,
    )
    assert message.body == "Our strategy, as discussed."
    documents = list(message.documents.order_by("original_name"))
    assert [(d.original_name, d.file_type, d.kind) for d in documents] == [
        ("budget.xlsx", "xlsx", DocumentKind.ATTACHMENT),
        ("strategy.docx", "docx", DocumentKind.ATTACHMENT),
    ]
    assert len(stored_files()) == 2
    assert all(len(d.sha256) == 64 and d.size > 0 for d in documents)


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [("setup.pdf", EXE, 415), ("empty.odt", b"", 400), ("big.pdf", PDF + b" " * 2000, 413)],
)
@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_message_post_refusal_stores_nothing(application_a, manager_a, name, content, status):
    with pytest.raises(UploadRefused) as refused:
        message_post(
            application=application_a,
            body="Two files",
            files=[upload("fine.pdf", PDF), upload(name, content)],
            by=manager_a,
        )
    assert refused.value.status == status
    assert Message.objects.count() == 0
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_message_post_files_of_a_failed_write_are_deleted(application_a, manager_a):
    def fail(**kwargs):
        raise RuntimeError("the notification could not be written")

    message_posted.connect(fail, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            message_post(
                application=application_a, body="x", files=[upload("a.pdf", PDF)], by=manager_a
            )
    finally:
        message_posted.disconnect(dispatch_uid="test-fail")
    assert (Message.objects.count(), Document.objects.count(), stored_files()) == (0, 0, [])


def test_message_post_signals_inside_the_transaction(application_a, officer):
    seen = []

    def listen(message, **kwargs):
        seen.append((message.pk, transaction.get_connection().in_atomic_block))

    message_posted.connect(listen, dispatch_uid="test-listen")
    try:
        message = message_post(application=application_a, body="Please revise.", by=officer)
    finally:
        message_posted.disconnect(dispatch_uid="test-listen")
    assert seen == [(message.pk, True)]


def test_message_post_refuses_auditors_and_empty_messages(application_a, auditor, manager_a):
    with pytest.raises(PermissionDenied, match=MAY_NOT_WRITE):
        message_post(application=application_a, body="Hello", by=auditor)
    with pytest.raises(ValidationError):
        message_post(application=application_a, body="   ", by=manager_a)
    assert Message.objects.count() == 0


def test_message_post_refuses_another_cluster(application_a, manager_b):
    with pytest.raises(PermissionDenied):
        message_post(application=application_a, body="Hello", by=manager_b)


def test_document_attach_on_a_draft_only(application_a, manager_a):
    document = document_attach(
        application=application_a, file=upload("strategy.odt", odt()), by=manager_a
    )
    assert (document.kind, document.file_type, document.message) == ("outline", "odt", None)
    submitted = application_transition(application=application_a, name="submit", by=manager_a)
    with pytest.raises(PermissionDenied, match=OUTLINE_CLOSED):
        document_attach(application=submitted, file=upload("late.pdf", PDF), by=manager_a)
    assert list(submitted.documents.filter(kind="outline")) == [document]


def test_document_attach_refuses_auditors(application_a, auditor):
    with pytest.raises(PermissionDenied):
        document_attach(application=application_a, file=upload("a.pdf", PDF), by=auditor)
    assert stored_files() == []


def test_document_remove_deletes_row_and_file_on_commit(
    application_a, manager_a, django_capture_on_commit_callbacks
):
    document = document_attach(
        application=application_a, file=upload("strategy.pdf", PDF), by=manager_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, by=manager_a)
    assert (Document.objects.count(), stored_files()) == (0, [])


def test_document_remove_keeps_attachments_and_receipts(application_a, manager_a):
    message = message_post(
        application=application_a, body="x", files=[upload("a.pdf", PDF)], by=manager_a
    )
    with pytest.raises(PermissionDenied, match=NOT_REMOVABLE):
        document_remove(document=message.documents.get(), by=manager_a)
    submitted = application_transition(application=application_a, name="submit", by=manager_a)
    with pytest.raises(PermissionDenied):
        document_remove(document=submitted.documents.get(kind="receipt"), by=manager_a)
    assert Document.objects.count() == 2
