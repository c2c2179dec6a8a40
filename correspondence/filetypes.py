"""What an uploaded file is, read from its content (never from its name), and whether we take it.

PDF by its ``%PDF-`` header; the zip-based formats by the zip's own declaration: ODT by its first
entry ``mimetype``, XLSX and DOCX by the main part named in ``[Content_Types].xml``. Anything else
(an .exe renamed .pdf, a macro workbook, a zip of something else) is not one of ours.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.db.models import TextChoices
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EMPTY = gettext_noop("The file “%(name)s” is empty.")
TOO_BIG = gettext_noop("“%(name)s”: %(size)s is over the %(limit)s limit.")
WRONG_TYPE = gettext_noop(
    "“%(name)s” is not a PDF, XLSX, DOCX or ODT file (judged by its content, not its name)."
)
NAME_MISMATCH = gettext_noop(
    "“%(name)s” is named as a .%(named)s file but its content is a %(actual)s file."
)

# A zip's declarations are small; a larger one is not a document of ours (or a zip bomb).
DECLARATION_MAX_BYTES = 1024 * 1024
MB = 1024 * 1024
KB = 1024


class FileType(TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
}
# The content type of the main part each OOXML format declares in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileType.XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        FileType.DOCX
    ),
}
CONTENT_TYPE_ATTRIBUTE = re.compile(rb'ContentType="([^"]+)"')


class UploadRefused(Exception):
    """A file we do not store; ``status`` is the HTTP status pages and the API answer with."""

    def __init__(self, code: str, detail: str, status: int) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status


def human_size(size: int) -> str:
    """``12,4 MB`` / ``12.4 MB`` in the active language; whole numbers without decimals."""
    unit, label = (MB, "MB") if size >= MB else (KB, "KB") if size >= KB else (1, "bytes")
    value = (Decimal(size) / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if value == value.to_integral_value() else 1
    return f"{formats.number_format(value, decimal_pos=places, use_l10n=True)} {label}"


def _zip_type(content: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return None
    by_name = {entry.filename: entry for entry in entries}
    if entries and entries[0].filename == "mimetype":
        if entries[0].file_size > DECLARATION_MAX_BYTES:
            return None
        declared = archive.read(entries[0]).strip()
        return FileType.ODT if declared == MEDIA_TYPES[FileType.ODT].encode() else None
    declaration = by_name.get("[Content_Types].xml")
    if declaration is None or declaration.file_size > DECLARATION_MAX_BYTES:
        return None
    try:
        declared_types = CONTENT_TYPE_ATTRIBUTE.findall(archive.read(declaration))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    for content_type in declared_types:
        found = OOXML_MAIN_PARTS.get(content_type.decode("ascii", "replace"))
        if found is not None:
            return found
    return None


def detect(content: bytes) -> FileType | None:
    """The type of ``content``, or None if it is none of ours."""
    if content.startswith(b"%PDF-"):
        return FileType.PDF
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    return None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    file_type: FileType


def plain_name(name: str) -> str:
    """The file's own name, without any folders a browser sent along."""
    return PurePath(name.replace("\\", "/")).name or "file"


def check_size(name: str, size: int, *, max_bytes: int) -> None:
    """Refuse an empty or too big file before its content is read."""
    if size == 0:
        raise UploadRefused("empty_file", _(EMPTY) % {"name": name}, 400)
    if size > max_bytes:
        detail = _(TOO_BIG) % {
            "name": name,
            "size": human_size(size),
            "limit": human_size(max_bytes),
        }
        raise UploadRefused("file_too_big", detail, 413)


def check_file(name: str, content: bytes, *, max_bytes: int) -> CheckedFile:
    """``content`` if we take it: not empty, at most ``max_bytes``, of one of our types, and
    named as what it is. Otherwise :class:`UploadRefused` says which rule, with the numbers."""
    name = plain_name(name)
    size = len(content)
    check_size(name, size, max_bytes=max_bytes)
    file_type = detect(content)
    if file_type is None:
        raise UploadRefused("wrong_file_type", _(WRONG_TYPE) % {"name": name}, 415)
    named = PurePath(name).suffix.lower().lstrip(".")
    if named != file_type.value:
        detail = _(NAME_MISMATCH) % {
            "name": name,
            "named": named or "?",
            "actual": file_type.label,
        }
        raise UploadRefused("file_name_mismatch", detail, 415)
    return CheckedFile(name=name, content=content, file_type=file_type)
