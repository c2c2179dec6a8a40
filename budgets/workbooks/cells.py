"""How every workbook writes its cells, so that no builder can get it wrong on its own.

- Money is a number (Decimal) with a EUR number format, never text; dates and times are dates
  with a date format, never text.
- Every string is written as text: a user's ``=HYPERLINK(...)`` stays the text it is. Strings
  that a spreadsheet program would read as a formula when edited (leading ``=``, ``+``, ``-``,
  ``@``, tab or carriage return) also get the quote prefix, so they stay text after an edit.
- Formulas are written only through :func:`put_formula`, from strings the builders compose.
- Sheets look finished: bold headers and totals, frozen header rows, widths that fit, landscape
  print set-up fitted to the page width with the header rows repeated; list sheets have a filter
  on their header row.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

EUR_FORMAT = '#,##0.00 "€";[Red]-#,##0.00 "€"'
PERCENT_FORMAT = "0.00%"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
INTEGER_FORMAT = "0"

# Excel's row limit per sheet, the header row included.
EXCEL_MAX_ROWS = 1_048_576

# A text starting with one of these is read as a formula by spreadsheet programs on input.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="9C5700")  # a warning: dark amber
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")

MIN_WIDTH = 8.0
MAX_WIDTH = 60.0
MONEY_WIDTH = 16.0


def clean_text(value: str) -> str:
    """The text with characters XML cannot carry (control characters other than tab, line feed
    and carriage return) replaced by U+FFFD, so nothing a user typed can break the file."""
    return str(ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value))


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def as_text(cell: Cell, value: str) -> None:
    """Give ``cell`` the text ``value`` as a string cell, whatever it starts with."""
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would have made a leading "=" a formula
    if looks_like_formula(text):
        cell.quotePrefix = True


def put_text(
    ws: Worksheet, row: int, column: int, value: str | None, *, bold: bool = False
) -> Cell:
    cell = ws.cell(row=row, column=column)
    if value is not None:
        as_text(cell, str(value))
    if bold:
        cell.font = BOLD
    return cell


def put_number(
    ws: Worksheet,
    row: int,
    column: int,
    value: Decimal | int | None,
    *,
    number_format: str = EUR_FORMAT,
    bold: bool = False,
) -> Cell:
    """A number cell (money by default). ``None`` leaves the cell empty but formatted."""
    if isinstance(value, bool) or not (value is None or isinstance(value, Decimal | int)):
        raise TypeError(f"not a number: {value!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def put_formula(
    ws: Worksheet,
    row: int,
    column: int,
    formula: str,
    *,
    number_format: str = EUR_FORMAT,
    bold: bool = False,
) -> Cell:
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = formula
    cell.data_type = "f"
    cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def put_datetime(ws: Worksheet, row: int, column: int, value: datetime | None) -> Cell:
    cell = ws.cell(row=row, column=column)
    cell.value = excel_datetime(value)
    cell.number_format = DATETIME_FORMAT
    return cell


def put_date(
    ws: Worksheet, row: int, column: int, value: date | None, *, number_format: str = DATE_FORMAT
) -> Cell:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.number_format = number_format
    return cell


def excel_datetime(value: datetime | None) -> datetime | None:
    """Local wall-clock time without a zone: Excel has no time zones."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value


def ref(column: int, row: int, *, absolute: bool = False) -> str:
    letter = get_column_letter(column)
    return f"${letter}${row}" if absolute else f"{letter}{row}"


def sheet_ref(ws: Worksheet, column: int, row: int) -> str:
    """A reference to a cell of another sheet, e.g. ``'Concept phase'!F12``."""
    return f"{quote_sheetname(ws.title)}!{ref(column, row)}"


def sum_of(cells: Sequence[str]) -> str:
    """``=SUM(...)`` over the cells, or ``=0`` when there are none."""
    if not cells:
        return "=0"
    return f"=SUM({','.join(cells)})"


def header_row(ws: Worksheet, row: int, headings: Iterable[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = put_text(ws, row, column, heading, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def autofilter(ws: Any, *, columns: int, last_row: int) -> None:
    """A filter on the header row over the list below it (rows 2 to ``last_row``), so a list
    sheet can be filtered and sorted by any column."""
    ws.auto_filter.ref = f"A1:{ref(max(columns, 1), max(last_row, 1))}"


def fill_row(ws: Worksheet, row: int, first: int, last: int, fill: PatternFill) -> None:
    for column in range(first, last + 1):
        ws.cell(row=row, column=column).fill = fill


def _display_width(cell: Cell) -> float:
    if cell.value is None:
        return 0.0
    if cell.data_type == "f" or isinstance(cell.value, Decimal | float):
        return MONEY_WIDTH
    if isinstance(cell.value, datetime):
        return 17.0
    longest = max((len(part) for part in str(cell.value).splitlines()), default=0)
    return longest * 1.1 + 2


def fit_columns(ws: Worksheet, *, skip_rows: Iterable[int] = ()) -> None:
    """Widths that fit the content, between ``MIN_WIDTH`` and ``MAX_WIDTH`` characters.
    ``skip_rows`` (e.g. a title row) do not widen their columns."""
    skipped = set(skip_rows)
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in skipped:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0.0), _display_width(cell))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(
            max(width, MIN_WIDTH), MAX_WIDTH
        )


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def print_setup(ws: Any, *, header_rows: int, freeze: str | None) -> None:
    """Landscape A4, fitted to the page width, header rows repeated on every page, and the
    header (and key columns) frozen on screen."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    if freeze:
        ws.freeze_panes = freeze


def new_workbook() -> Workbook:
    """A workbook that spreadsheet programs recalculate fully when they open it (openpyxl
    stores formulas without cached results)."""
    workbook = Workbook()
    workbook.calculation.fullCalcOnLoad = True
    return workbook


SHEET_TITLE_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet title: at most 31 characters, none of ``[]:*?/\\``."""
    base = str(text).translate(SHEET_TITLE_FORBIDDEN).strip("' ")[:31] or "Sheet"
    existing = {title.lower() for title in taken}
    title, number = base, 2
    while title.lower() in existing:
        suffix = f" {number}"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    return title
