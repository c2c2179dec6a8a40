"""A built workbook together with what each of its formulas must come to.

Builders record, for every formula cell they write, the figure the budget summary has for it.
The LibreOffice test recalculates the saved file and compares each formula's result with that
figure to the cent, so a formula that disagrees with the system cannot go unnoticed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kernel import clock

from .cells import BOLD, TITLE_FONT, WRAP, put_date, put_datetime, put_number, put_text


@dataclass
class BuiltWorkbook:
    workbook: Workbook
    # (sheet title, cell coordinate) → the summary's figure for that formula.
    expected: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def expect(self, cell: Cell, value: Decimal | int) -> None:
        self.expected[(cell.parent.title, cell.coordinate)] = Decimal(value)

    def save(self, stream: BinaryIO | str) -> None:
        self.workbook.save(stream)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.save(buffer)
        return buffer.getvalue()


@dataclass(frozen=True)
class Provenance:
    """Where a workbook comes from: when and by whom it was made, and when the data it shows
    last changed."""

    generated_at: datetime
    generated_by: str
    data_changed_at: datetime | None


def display_name(user: Any) -> str:
    """Who generated a workbook: the user's full name or user name; an operator's command
    line when there is no user."""
    if user is None:
        return _("operator (command line)")
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username() or _("anonymous"))


def provenance_of(by: Any, data_changed_at: datetime | None) -> Provenance:
    return Provenance(
        generated_at=clock.now(), generated_by=display_name(by), data_changed_at=data_changed_at
    )


CoverValue = str | int | Decimal | date | datetime | None


def write_cover(ws: Worksheet, title: str, rows: list[tuple[str, CoverValue]]) -> int:
    """A title, then one labelled value per row; returns the first free row."""
    put_text(ws, 1, 1, title).font = TITLE_FONT
    row = 3
    for label, value in rows:
        put_text(ws, row, 1, label, bold=True)
        if isinstance(value, datetime):
            put_datetime(ws, row, 2, value)
        elif isinstance(value, date):
            put_date(ws, row, 2, value)
        elif isinstance(value, Decimal):
            put_number(ws, row, 2, value)
        elif isinstance(value, int):
            put_number(ws, row, 2, value, number_format="0")
        else:
            put_text(ws, row, 2, value).alignment = WRAP
        row += 1
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 22
    return row + 1


def section_title(ws: Worksheet, row: int, text: str) -> None:
    put_text(ws, row, 1, text).font = BOLD
