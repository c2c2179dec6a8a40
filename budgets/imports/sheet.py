"""Reads the table of an uploaded workbook: its header row mapped to column keys (headings in
either language), then its rows by key with their row numbers, skipping blank rows and
refusing more rows than the limit."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from defusedxml.common import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from .problems import (
    DAMAGED,
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    NO_DATA_SHEET,
    NO_ROWS,
    ROW_UNREADABLE,
    TOO_MANY_ROWS,
    XML_BOMB,
    Code,
    ImportRefused,
    Problem,
    problem,
    say,
)

logger = logging.getLogger(__name__)
MAX_COLUMNS = 60


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: Mapping[str, int]  # key → column number (1-based)
    headings: Mapping[str, str]  # key → the heading as the file has it
    rows: Sequence[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def letter(self, key: str) -> str | None:
        column = self.columns.get(key)
        return get_column_letter(column) if column else None

    def locate(self, key: str | None, row: int | None, code: Code, message: str) -> Problem:
        """A problem in cell (``row``, column ``key``) of this table; already translated."""
        column = self.letter(key) if key else None
        return Problem(
            code=str(code),
            message=message,
            sheet=self.sheet,
            row=row,
            column=column,
            heading=self.headings.get(key) if key else None,
        )

    def unreadable(self, row: int | None, error: Any) -> Problem:
        """A row that failed in a way no cell rule names: said plainly, the cause logged."""
        logger.warning("Import row %s of %s failed: %r", row, self.sheet, error)
        return self.locate(None, row, Code.ROW_UNREADABLE, say(ROW_UNREADABLE))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(
    workbook: Workbook,
    *,
    sheet_names: Iterable[str],
    heading_keys: Mapping[str, str],
    required: Sequence[str],
    expected_headings: Mapping[str, str],
    content_keys: Sequence[str],
    max_rows: int,
) -> Table:
    """The rows of the sheet named like one of ``sheet_names`` (any case), else the first.
    ``heading_keys`` maps casefolded headings to keys; ``required`` keys must be there
    (``expected_headings`` names them in problems). A row whose ``content_keys`` are all
    empty is skipped as blank."""
    if not workbook.worksheets:
        raise ImportRefused([problem(Code.NO_DATA_SHEET, NO_DATA_SHEET)])
    wanted = {name.casefold() for name in sheet_names}
    ws = next(
        (sheet for sheet in workbook.worksheets if sheet.title.casefold() in wanted),
        workbook.worksheets[0],
    )
    try:
        return _read(
            ws,
            heading_keys=heading_keys,
            required=required,
            expected_headings=expected_headings,
            content_keys=content_keys,
            max_rows=max_rows,
        )
    except DefusedXmlException as error:
        raise ImportRefused([problem(Code.XML_BOMB, XML_BOMB)]) from error
    except ImportRefused:
        raise
    except Exception as error:  # the sheet is parsed while read: a damaged one fails here
        logger.info("Damaged sheet refused: %s: %s", type(error).__name__, error)
        raise ImportRefused([problem(Code.DAMAGED, DAMAGED)]) from error


def _read(
    ws: Any,
    *,
    heading_keys: Mapping[str, str],
    required: Sequence[str],
    expected_headings: Mapping[str, str],
    content_keys: Sequence[str],
    max_rows: int,
) -> Table:
    title = ws.title
    rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    header = next(rows, ())
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    problems: list[Problem] = []
    for number, value in enumerate(header, start=1):
        if _is_blank(value):
            continue
        key = heading_keys.get(str(value).strip().casefold())
        if key is None:
            continue
        if key in columns:
            problems.append(
                Problem(
                    code=str(Code.DUPLICATE_COLUMN),
                    message=say(DUPLICATE_COLUMN, {"heading": str(value)}),
                    sheet=title,
                    row=1,
                    column=get_column_letter(number),
                    heading=str(value),
                )
            )
            continue
        columns[key] = number
        headings[key] = str(value).strip()
    for key in required:
        if key not in columns:
            problems.append(
                Problem(
                    code=str(Code.MISSING_COLUMN),
                    message=say(MISSING_COLUMN, {"heading": expected_headings[key]}),
                    sheet=title,
                    row=1,
                    heading=expected_headings[key],
                )
            )
    if problems:
        raise ImportRefused(problems)

    table = Table(title, columns, headings, [])
    found: list[tuple[int, dict[str, Any]]] = []
    # Blank rows are skipped, but not without end (a sheet formatted down to row 1,048,576).
    scan_limit = max_rows + max(10_000, max_rows)
    too_many = say(TOO_MANY_ROWS, {"limit": f"{max_rows:,}"})
    for number, values in enumerate(rows, start=2):
        if number > scan_limit:
            raise ImportRefused([table.locate(None, number, Code.TOO_MANY_ROWS, too_many)])
        row = {
            key: values[column - 1] if column - 1 < len(values) else None
            for key, column in columns.items()
        }
        if all(_is_blank(row.get(key)) for key in content_keys):
            continue
        if len(found) >= max_rows:
            raise ImportRefused([table.locate(None, number, Code.TOO_MANY_ROWS, too_many)])
        found.append((number, row))
    if not found:
        raise ImportRefused([table.locate(None, None, Code.NO_ROWS, say(NO_ROWS))])
    return Table(title, columns, headings, found)
