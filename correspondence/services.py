"""Writes to an application's thread and documents. Each is one atomic action; a file is checked
(size, then type from its content) before anything is stored, and the files of a write that
fails are deleted again, so a refusal leaves neither a row nor a file behind."""

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application, ApplicationTransition

from . import access
from .filetypes import CheckedFile, FileType, check_file, check_size, plain_name
from .models import Document, DocumentKind, Message
from .receipt import receipt_filename, receipt_pdf
from .signals import message_posted
from .storage import delete_stored, store

MAY_NOT_WRITE = gettext_noop(
    "Only the ministry officers and the cluster's own management write messages here."
)
EMPTY_MESSAGE = gettext_noop("A message needs a text or an attachment.")
OUTLINE_CLOSED = gettext_noop(
    "Documents are attached to the outline only while it is a draft, by its cluster "
    "management or an officer."
)
NOT_REMOVABLE = gettext_noop(
    "Only documents of the outline can be removed, while the outline is a draft."
)


def max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_BYTES)


def checked_upload(upload: "UploadedFile[Any]") -> CheckedFile:
    """The upload, refused before reading if it is empty or too big, then by its content."""
    name = plain_name(upload.name or "")
    check_size(name, upload.size or 0, max_bytes=max_bytes())
    # Read one byte more than allowed: a file that grew past its declared size is refused too.
    return check_file(name, upload.read(max_bytes() + 1), max_bytes=max_bytes())


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            delete_stored(name)
        raise


def _document(
    checked: CheckedFile,
    *,
    application: Application,
    kind: str,
    by: Any,
    stored: list[str],
    message: Message | None = None,
    submission: ApplicationTransition | None = None,
) -> Document:
    stored_name = store(checked.content, checked.file_type.value)
    stored.append(stored_name)
    document = Document(
        application=application,
        message=message,
        submission=submission,
        kind=kind,
        uploaded_by=by,
        original_name=checked.name[:255],
        size=len(checked.content),
        file_type=checked.file_type,
        sha256=hashlib.sha256(checked.content).hexdigest(),
        stored_name=stored_name,
    )
    document.full_clean()
    document.save()
    return document


def message_post(
    *, application: Application, body: str, by: Any, files: Sequence["UploadedFile[Any]"] = ()
) -> Message:
    """Write a message on the application's thread, with attachments (each checked first).
    Sends ``message_posted`` inside the transaction, for the notifications."""
    if not access.can_write_message(by, application):
        raise PermissionDenied(_(MAY_NOT_WRITE))
    body = body.strip()
    if not body and not files:
        raise ValidationError(_(EMPTY_MESSAGE), code="empty_message")
    checked = [checked_upload(upload) for upload in files]
    with _files_removed_on_failure() as stored, transaction.atomic():
        message = Message(application=application, author=by, body=body)
        message.full_clean(exclude=["body"] if not body else None)
        message.save()
        for item in checked:
            _document(
                item,
                application=application,
                kind=DocumentKind.ATTACHMENT,
                by=by,
                stored=stored,
                message=message,
            )
        message_posted.send(sender=Message, message=message)
    return message


def _locked(application: Application) -> Application:
    locked: Application = Application.objects.select_for_update().get(pk=application.pk)
    return locked


def document_attach(*, application: Application, file: "UploadedFile[Any]", by: Any) -> Document:
    """Attach a document to the outline (the internationalisation strategy, say) while it is a
    draft; under the application's lock, so that it cannot slip in after the submission."""
    if not access.can_attach_to_outline(by, application):
        raise PermissionDenied(_(OUTLINE_CLOSED))
    checked = checked_upload(file)
    with _files_removed_on_failure() as stored, transaction.atomic():
        locked = _locked(application)
        if not access.can_attach_to_outline(by, locked):
            raise PermissionDenied(_(OUTLINE_CLOSED))
        return _document(
            checked, application=locked, kind=DocumentKind.OUTLINE, by=by, stored=stored
        )


def document_remove(*, document: Document, by: Any) -> None:
    """Remove a document of the outline while it is a draft; the file goes once that is
    committed (a rolled-back removal keeps it)."""
    with transaction.atomic():
        document.application = _locked(document.application)
        if not access.can_remove_document(by, document):
            raise PermissionDenied(_(NOT_REMOVABLE))
        stored_name = document.stored_name
        document.delete()
        transaction.on_commit(lambda: delete_stored(stored_name))


def receipt_create(*, submission: ApplicationTransition) -> Document:
    """Make the receipt of a submission (a PDF of the outline as submitted, in the active
    language: the submitter's) and keep it with the application. Called inside the
    submission's transaction, so a submission that is rolled back keeps no receipt."""
    application = (
        Application.objects.select_related("round__programme", "cluster")
        .prefetch_related("partner_regions")
        .get(pk=submission.application_id)
    )
    outline_documents = list(
        application.documents.filter(kind=DocumentKind.OUTLINE).values_list(
            "original_name", flat=True
        )
    )
    content = receipt_pdf(application, submission, outline_documents)
    checked = CheckedFile(
        name=receipt_filename(application), content=content, file_type=FileType.PDF
    )
    with _files_removed_on_failure() as stored, transaction.atomic():
        return _document(
            checked,
            application=submission.application,
            kind=DocumentKind.RECEIPT,
            by=submission.by,
            stored=stored,
            submission=submission,
        )
