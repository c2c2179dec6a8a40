"""A document as the pages and the API send it: always as a download (never shown inline, so a
PDF's scripts never run in our origin), with its checked type and no sniffing."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .filetypes import MEDIA_TYPES, FileType
from .models import Document
from .storage import private_storage


def document_response(document: Document) -> HttpResponse:
    # Read whole (at most DOCUMENT_MAX_BYTES): the file is closed before the answer leaves.
    with private_storage().open(document.stored_name, "rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=MEDIA_TYPES[FileType(document.file_type)])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
