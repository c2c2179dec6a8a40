"""Workbook downloads, as the pages send them."""

from collections.abc import Callable
from io import BytesIO
from typing import BinaryIO

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# For extend_schema(responses=...): a workbook on success; errors keep their JSON shape.
XLSX_RESPONSE = {(200, XLSX): OpenApiTypes.BINARY}


def xlsx_download(write: Callable[[BinaryIO], object], filename: str) -> HttpResponse:
    """The workbook ``write`` puts into a stream (compressed, so a fraction of its rows' size)."""
    stream = BytesIO()
    write(stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
