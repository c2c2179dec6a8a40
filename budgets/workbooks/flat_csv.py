"""The flat export as CSV for scripts, streamed as it is read: the same lines and columns as the
.xlsx (``FLAT_COLUMNS``), the first byte at once, whatever the size.

Amounts are plain decimals with a point (``1234.56``), the funding rate in per cent as stored,
times ISO 8601 in the local zone. Text that a spreadsheet would run as a formula starts with an
apostrophe, as in the workbook's text cells."""

import csv
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..exports import LineFilter, iter_budget_line_rows
from ..models import BudgetLine
from .cells import looks_like_formula
from .layout import FLAT_COLUMNS, phase_labels

# Rows per chunk handed to the server: small enough to start at once, large enough to be cheap.
ROWS_PER_CHUNK = 500


class _Echo:
    """csv.writer's file: hands back each written line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")
    if isinstance(value, Decimal | int):
        return str(value)
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def budget_lines_csv(
    lines: QuerySet[BudgetLine], filters: LineFilter, state_labels: Mapping[str, str]
) -> Iterator[str]:
    """The header, then the lines in chunks of ``ROWS_PER_CHUNK`` (what the user may read is
    ``lines``: ``applications.access.budget_lines_visible_to``)."""
    writer = csv.writer(_Echo())
    phases = phase_labels()
    state_at = [column.key for column in FLAT_COLUMNS].index("state")
    phase_at = [column.key for column in FLAT_COLUMNS].index("phase")
    # The byte order mark makes Excel read the file as UTF-8.
    yield "\ufeff" + str(writer.writerow([column.label for column in FLAT_COLUMNS]))
    chunk: list[str] = []
    for row in iter_budget_line_rows(lines, filters):
        values: list[Any] = list(row)
        values[state_at] = state_labels.get(values[state_at], values[state_at])
        values[phase_at] = phases.get(values[phase_at], values[phase_at])
        chunk.append(str(writer.writerow([_text(value) for value in values])))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
