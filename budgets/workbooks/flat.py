"""The flat budget-line export for auditors' pivot tables: one row per budget line with every
key spelled out and its grant, Projektpauschale and funding (its share of its grantee's figures
for the year, which add up to the budget summary's to the cent), streamed in openpyxl's
write-only mode.

Rows go from the database cursor straight into the sheet's XML (nothing is held per row), and a
new sheet starts whenever one reaches Excel's 1,048,576 rows (header included). Styled cells
(money, rate, date) are made once per sheet and given each row's value: the writer serialises a
row as soon as it is appended.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter

from kernel import clock
from programmes.models import Cluster, Programme, Round

from ..exports import LineFilter, iter_budget_line_rows
from ..models import BudgetLine
from .built import display_name
from .cells import (
    BOLD,
    DATETIME_FORMAT,
    EUR_FORMAT,
    EXCEL_MAX_ROWS,
    HEADER_FILL,
    PERCENT_FORMAT,
    as_text,
    excel_datetime,
    looks_like_formula,
    print_setup,
    set_widths,
    sheet_title,
)
from .filenames import budget_lines_filename
from .layout import (
    ABOUT_SHEET,
    DATA_SHEET,
    FLAT_COLUMNS,
    LINE_COLUMNS,
    Column,
    phase_labels,
)

# A background export writes its progress per 2,000 lines: an UPDATE costs far less than the
# lines (bench/export_import.py measures it).
PROGRESS_EVERY = 2_000
HUNDRED = Decimal(100)
UPDATED_AT = [column.key for column in LINE_COLUMNS].index("updated_at")

FIGURES_PER_LINE = gettext_noop(
    "The grant is rounded once per grantee and year. Each line holds its share of that "
    "grantee's grant, Projektpauschale and funding for the year, in proportion to its eligible "
    "amount, so the lines of a grantee and year add up to the system's figures to the cent."
)


@dataclass(frozen=True)
class FlatExportInfo:
    """What the "about" sheet says: when, by whom, and which filters."""

    generated_at: datetime
    generated_by: str
    filters: Sequence[tuple[str, str]] = ()
    # Application state code -> its label in the export's language. The workflow's states are
    # the workflow's (above this app): its callers name them.
    state_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FlatExportResult:
    line_count: int
    sheet_titles: tuple[str, ...]
    changed_at: datetime | None


class LineSheet:
    """One data sheet of the flat layout being written, with its reusable styled cells. The
    export writes every column (``FLAT_COLUMNS``), the template the line columns only."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        state_labels: Mapping[str, str],
        columns: Sequence[Column] = FLAT_COLUMNS,
    ) -> None:
        self.ws = workbook.create_sheet(title)
        self.columns = columns
        print_setup(self.ws, header_rows=1, freeze="A2")
        set_widths(self.ws, [column.width for column in columns])
        self.money = self._styled(EUR_FORMAT)
        self.figures = [self._styled(EUR_FORMAT) for _column in columns[len(LINE_COLUMNS) :]]
        self.rate = self._styled(PERCENT_FORMAT)
        self.changed = self._styled(DATETIME_FORMAT)
        self.states = state_labels
        self.phases = phase_labels()
        self.zone = timezone.get_current_timezone()
        self.fractions: dict[Decimal, Decimal] = {}
        self.ws.append([self.heading(column) for column in columns])
        self.rows = 1

    def heading(self, column: Column) -> Cell:
        cell = WriteOnlyCell(self.ws)
        as_text(cell, column.label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        return cell

    def _styled(self, number_format: str) -> Cell:
        cell = WriteOnlyCell(self.ws)
        cell.number_format = number_format
        return cell

    def text(self, value: str | None) -> str | Cell | None:
        """Plain strings go as they are (openpyxl writes them as inline text); anything that
        could read as a formula, or holds characters XML cannot carry, becomes an explicit
        text cell."""
        if not value:
            return None
        if value.isprintable() and not looks_like_formula(value):
            return value
        cell = WriteOnlyCell(self.ws)
        as_text(cell, value)
        return cell

    def append(self, row: Sequence[Any]) -> None:
        """Write one line, given in ``budgets.exports.ROW_FIELDS`` order, followed by its
        ``FIGURE_FIELDS`` when the sheet has those columns."""
        self.ws.append(self.cells(row))
        self.rows += 1

    def cells(self, row: Sequence[Any]) -> list[Any]:
        """One line's values and styled cells, in the sheet's column order."""
        line, figures = row[: len(LINE_COLUMNS)], row[len(LINE_COLUMNS) :]
        (
            programme,
            round_number,
            cluster,
            application_id,
            application_title,
            state,
            phase,
            project,
            grantee,
            country,
            basis,
            code,
            position_name,
            year,
            eligible_amount,
            funding_rate,
            has_projektpauschale,
            justification,
            updated_at,
        ) = line
        self.money.value = eligible_amount
        rate_cell = None
        if funding_rate is not None:
            fraction = self.fractions.get(funding_rate)
            if fraction is None:
                fraction = self.fractions[funding_rate] = funding_rate / HUNDRED
            self.rate.value = fraction
            rate_cell = self.rate
        changed_cell = None
        if updated_at is not None:
            self.changed.value = updated_at.astimezone(self.zone).replace(tzinfo=None)
            changed_cell = self.changed
        return [
            self.text(programme),
            round_number,
            self.text(cluster),
            application_id,
            self.text(application_title),
            self.states.get(state, state),
            self.phases.get(phase, phase),
            self.text(project),
            self.text(grantee),
            self.text(country),
            basis,
            self.text(code),
            self.text(position_name),
            year,
            self.money,
            rate_cell,
            has_projektpauschale,
            self.text(justification),
            changed_cell,
            *self._figure_cells(figures),
        ]

    def _figure_cells(self, figures: Sequence[Decimal]) -> list[Cell]:
        for cell, value in zip(self.figures, figures, strict=True):
            cell.value = value
        return self.figures

    def close(self) -> None:
        last_column = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last_column}{max(self.rows, 1)}"


def write_budget_lines(
    rows: Iterable[Sequence[Any]],
    stream: BinaryIO | str,
    *,
    info: FlatExportInfo,
    max_rows: int = EXCEL_MAX_ROWS,
    on_progress: Callable[[int], None] | None = None,
) -> FlatExportResult:
    """Write ``rows`` (tuples in ``budgets.exports.ROW_FIELDS`` order, then ``FIGURE_FIELDS``:
    ``budgets.exports.iter_budget_line_rows``) to ``stream`` as an
    .xlsx file; ``max_rows`` is rows per sheet including the header (Excel's limit by
    default). Reports the count to ``on_progress`` every ``PROGRESS_EVERY`` lines."""
    if max_rows < 2:
        raise ValueError("A sheet needs room for the header and at least one line.")
    workbook = Workbook(write_only=True)
    titles: list[str] = []

    def new_sheet() -> LineSheet:
        titles.append(sheet_title(str(DATA_SHEET), titles))
        return LineSheet(workbook, titles[-1], info.state_labels)

    sheet = new_sheet()
    count = 0
    changed_at: datetime | None = None
    for row in rows:
        if sheet.rows >= max_rows:
            sheet.close()
            sheet = new_sheet()
        sheet.append(row)
        updated_at = row[UPDATED_AT]
        if changed_at is None or updated_at > changed_at:
            changed_at = updated_at
        count += 1
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    sheet.close()
    about_sheet(
        workbook,
        titles,
        [
            (_("Generated at"), excel_datetime(info.generated_at)),
            (_("Generated by"), info.generated_by),
            *info.filters,
            (_("Budget lines"), count),
            (_("Sheets"), ", ".join(titles)),
            (_("Last change of an exported line"), excel_datetime(changed_at)),
            (_("Grant, Projektpauschale and funding per line"), _(FIGURES_PER_LINE)),
        ],
    )
    workbook.save(stream)
    return FlatExportResult(count, tuple(titles), changed_at)


def about_sheet(workbook: Workbook, taken: Sequence[str], rows: Sequence[tuple[str, Any]]) -> None:
    """A last sheet of labelled values: what the export holds and where it comes from."""
    ws = workbook.create_sheet(sheet_title(str(ABOUT_SHEET), taken))
    set_widths(ws, [34, 60])
    for label, value in rows:
        label_cell = WriteOnlyCell(ws)
        as_text(label_cell, str(label))
        label_cell.font = BOLD
        value_cell = WriteOnlyCell(ws)
        if isinstance(value, str):
            as_text(value_cell, value)
        else:
            value_cell.value = value
            if isinstance(value, datetime):
                value_cell.number_format = DATETIME_FORMAT
        ws.append([label_cell, value_cell])


def export_budget_lines(
    stream: BinaryIO | str,
    *,
    by: Any,
    lines: QuerySet[BudgetLine],
    state_labels: Mapping[str, str],
    programme: Programme | None = None,
    round: Round | None = None,
    cluster: Cluster | None = None,
    states: Sequence[str] = (),
    max_rows: int = EXCEL_MAX_ROWS,
    on_progress: Callable[[int], None] | None = None,
) -> FlatExportResult:
    """Stream ``lines`` (what ``by`` may read: ``applications.access.budget_lines_visible_to``;
    an operator passes all lines) within the filters into ``stream``."""
    filters = LineFilter(
        programme_id=programme.pk if programme is not None else None,
        round_id=round.pk if round is not None else None,
        cluster_id=cluster.pk if cluster is not None else None,
        states=tuple(states),
    )
    described: list[tuple[str, str]] = []
    if programme is not None:
        described.append((_("Programme"), str(programme.name)))
    if round is not None:
        described.append((_("Round"), f"{round.programme.short_name} R{round.number}"))
    if cluster is not None:
        described.append((_("Cluster"), str(cluster.name)))
    if states:
        described.append((_("States"), ", ".join(state_labels.get(s, s) for s in states)))
    info = FlatExportInfo(
        generated_at=clock.now(),
        generated_by=display_name(by),
        filters=described,
        state_labels=state_labels,
    )
    return write_budget_lines(
        iter_budget_line_rows(lines, filters),
        stream,
        info=info,
        max_rows=max_rows,
        on_progress=on_progress,
    )


def export_budget_lines_filename(
    *,
    programme: Programme | None = None,
    round: Round | None = None,
    cluster: Cluster | None = None,
    states: Sequence[str] = (),
    on: date | None = None,
) -> str:
    """``InterSpiN_R1_budget-lines_2026-11-21.xlsx``, naming each filter that is set."""
    if round is not None and programme is None:
        programme = round.programme
    return budget_lines_filename(
        on=on or timezone.localdate(clock.now()),
        programme=programme.short_name if programme is not None else None,
        round_number=round.number if round is not None else None,
        cluster=cluster.name if cluster is not None else None,
        state="-".join(states) if states else None,
    )
