"""A document as the pages and the API send it: always as a download (never shown inline, so a
PDF's scripts never run in our origin), with its checked type and no sniffing."""

from django.http import FileResponse

from .filetypes import MEDIA_TYPES, FileType
from .models import Document
from .storage import private_storage


def document_response(document: Document) -> FileResponse:
    response = FileResponse(
        private_storage().open(document.stored_name, "rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=MEDIA_TYPES[FileType(document.file_type)],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
