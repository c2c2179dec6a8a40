"""Checks an uploaded file before anything parses it, then opens it safely.

An .xlsx file is a zip archive of XML parts. Before openpyxl sees it we check, from the zip's
directory alone: the size of the upload, that it is a zip with a workbook in it, that it has no
macros (``vbaProject.bin``, a macro-enabled content type), and what it would unpack to (the
declared sizes in total and the compression ratio of each part: a zip bomb). Then we scan every
XML part, within those checked sizes, for entity or document type declarations (an XML bomb;
openpyxl also parses through defusedxml, which refuses them). Only then does openpyxl open it,
read-only and without formulas' sources (their cached values are read).
"""

import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any, BinaryIO

from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from .problems import (
    DAMAGED,
    MACRO_ENABLED,
    NOT_XLSX,
    TOO_LARGE,
    XML_BOMB,
    ZIP_BOMB,
    Code,
    ImportRefused,
    Problem,
    problem,
)

logger = logging.getLogger(__name__)
MACRO_CONTENT_TYPE = b"macroEnabled"
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What an upload may be. The byte and row limits come from the settings
    ``BUDGET_IMPORT_MAX_BYTES`` (10 MB) and ``BUDGET_IMPORT_MAX_ROWS`` (20,000)."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 200
    ratio_checked_from: int = 1024 * 1024  # small parts may compress well without harm
    max_members: int = 1000

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=getattr(settings, "BUDGET_IMPORT_MAX_BYTES", 10 * 1024 * 1024),
            max_rows=getattr(settings, "BUDGET_IMPORT_MAX_ROWS", 20_000),
        )


Upload = bytes | BinaryIO | Any  # bytes, an open binary file, or Django's UploadedFile


def read_upload(file: Upload, limits: Limits) -> bytes:
    """The uploaded bytes, refused unread when the upload says it is too large, and refused
    after reading at most one byte more than the limit otherwise."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        declared = getattr(file, "size", None)
        if declared is not None and declared > limits.max_bytes:
            raise ImportRefused([_too_large(declared, limits)])
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise ImportRefused([_too_large(len(data), limits)])
    return data


def _too_large(size: int, limits: Limits) -> Problem:
    return problem(
        Code.TOO_LARGE,
        TOO_LARGE,
        {"size": filesizeformat(size), "limit": filesizeformat(limits.max_bytes)},
    )


def check_package(data: bytes, limits: Limits, *, filename: str | None = None) -> None:
    """Refuse anything that is not a plain .xlsx workbook of sane unpacked size."""
    if filename and not filename.lower().endswith(".xlsx"):
        if filename.lower().endswith((".xlsm", ".xltm", ".xlam")):
            raise ImportRefused([problem(Code.MACRO_ENABLED, MACRO_ENABLED)])
        raise ImportRefused([problem(Code.NOT_XLSX, NOT_XLSX)])
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportRefused([problem(Code.NOT_XLSX, NOT_XLSX)])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(members, limits, len(data))
            names = {member.filename.lower() for member in members}
            if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
                raise ImportRefused([problem(Code.NOT_XLSX, NOT_XLSX)])
            if any(name.endswith("vbaproject.bin") for name in names):
                raise ImportRefused([problem(Code.MACRO_ENABLED, MACRO_ENABLED)])
            content_types = archive.read(_member(members, "[content_types].xml"))
            if MACRO_CONTENT_TYPE.lower() in content_types.lower():
                raise ImportRefused([problem(Code.MACRO_ENABLED, MACRO_ENABLED)])
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _scan_xml(archive, member)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        EOFError,
    ) as error:
        raise damaged(error) from error


def _member(members: list[zipfile.ZipInfo], lower_name: str) -> zipfile.ZipInfo:
    return next(member for member in members if member.filename.lower() == lower_name)


def _check_members(members: list[zipfile.ZipInfo], limits: Limits, packed: int) -> None:
    """The declared sizes must be sane before anything is decompressed."""
    unpacked = sum(member.file_size for member in members)
    worst_ratio = max(
        (
            member.file_size / max(member.compress_size, 1)
            for member in members
            if member.file_size >= limits.ratio_checked_from
        ),
        default=0.0,
    )
    if (
        len(members) > limits.max_members
        or unpacked > limits.max_unpacked_bytes
        or worst_ratio > limits.max_ratio
    ):
        ratio = max(worst_ratio, unpacked / max(packed, 1))
        raise ImportRefused(
            [
                problem(
                    Code.ZIP_BOMB,
                    ZIP_BOMB,
                    {"size": filesizeformat(unpacked), "ratio": f"{ratio:,.0f}"},
                )
            ]
        )


def _scan_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse document type and entity declarations: an .xlsx never needs them, and they are
    how XML bombs (billion laughs, external entities) work. Reads at most the declared size
    (checked above); a part that unpacks to more than it declares is damaged."""
    read = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            read += len(chunk)
            if read > member.file_size:
                raise zipfile.BadZipFile(f"{member.filename} is larger than it declares")
            if DECLARATION.search(tail + chunk):
                raise ImportRefused([problem(Code.XML_BOMB, XML_BOMB)])
            tail = chunk[-16:]


def open_workbook(data: bytes) -> Workbook:
    """Open checked bytes read-only; cells give their values (a formula's cached result)."""
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except DefusedXmlException as error:
        raise ImportRefused([problem(Code.XML_BOMB, XML_BOMB)]) from error
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise damaged(error) from error


def damaged(error: BaseException) -> ImportRefused:
    """The plain refusal of a damaged file; what exactly is wrong goes to the log."""
    logger.info("Damaged workbook refused: %s: %s", type(error).__name__, error)
    return ImportRefused([problem(Code.DAMAGED, DAMAGED)])
