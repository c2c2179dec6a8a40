"""The budget template a cluster management fills in and uploads: the flat layout with the
application's lines (and its keys pre-filled in empty rows), drop-down lists where they help,
and sheets listing the valid positions, the grantees and the R&D projects.

The template is the file the importer reads: same sheet, same line columns as the export
(``layout.LINE_COLUMNS``; the export's figure columns would go stale as amounts are typed).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from kernel import clock
from programmes.models import Organisation

from ..exports import NAME_ORDER, budget_changed_at, budget_line_rows
from ..models import BudgetLine, BudgetPosition, GranteeTerms, RDProject
from ..protocols import BudgetedApplication
from .built import Provenance, provenance_of
from .cells import (
    BOLD,
    DATE_FORMAT,
    EXCEL_MAX_ROWS,
    HEADER_FILL,
    MONTH_FORMAT,
    as_text,
    autofilter,
    excel_datetime,
    print_setup,
    set_widths,
)
from .filenames import application_filename
from .flat import LineSheet, about_sheet
from .layout import (
    COLUMN_INDEX,
    DATA_SHEET,
    GRANTEES_SHEET,
    LINE_COLUMNS,
    LINE_KEYS,
    POSITIONS_SHEET,
    PROJECTS_SHEET,
    READ_ONLY_KEYS,
    Column,
    phase_labels,
)

BLANK_ROWS = 200
UNLOCKED = Protection(locked=False)
READ_ONLY_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_COLUMNS = frozenset(COLUMN_INDEX[key] for key in LINE_KEYS)
READ_ONLY_NOTE = gettext_noop(
    "Shown for reading only and not imported. The sheet is protected (without a password): "
    "only the white columns can be changed. A changed value in a grey column is reported as a "
    "problem when the file is imported."
)
HOW_TO_FILL_IN = gettext_noop(
    "One row per budget line. The file replaces the application's budget: rows you delete "
    "are deleted, rows you add are created. Amounts in EUR with at most two decimals. Only the "
    "white columns can be changed; the grey ones (application, funding rate, Projektpauschale, "
    "last change and the like) are shown for reading only, and a changed value there is "
    "reported as a problem. To delete a line, clear its white cells."
)


class TemplateSheet(LineSheet):
    """The data sheet of the template: protected, with only the cells a user fills in
    (``layout.LINE_KEYS``) unlocked in every row written; the read-only columns have grey
    headings with a note."""

    def __init__(self, workbook: Workbook, title: str, state_labels: Mapping[str, str]) -> None:
        super().__init__(workbook, title, state_labels, LINE_COLUMNS)
        protection = self.ws.protection
        protection.sheet = True
        # What stays allowed on the protected sheet: resizing, filtering, adding rows.
        protection.formatColumns = protection.formatRows = False
        protection.autoFilter = protection.insertRows = protection.deleteRows = False

    def heading(self, column: Column) -> Cell:
        cell = super().heading(column)
        if column.key in READ_ONLY_KEYS:
            cell.fill = READ_ONLY_FILL
            cell.comment = Comment(_(READ_ONLY_NOTE), "InterSpiN", width=300, height=110)
        return cell

    def cells(self, row: Sequence[Any]) -> list[Any]:
        return [
            self._unlocked(value) if index in INPUT_COLUMNS else value
            for index, value in enumerate(super().cells(row))
        ]

    def _unlocked(self, value: Any) -> Cell:
        cell = WriteOnlyCell(self.ws)
        if isinstance(value, Cell):  # a styled cell (money, text): its value, type and format
            cell._value = value._value
            cell.data_type = value.data_type
            cell.number_format = value.number_format
            cell.quotePrefix = value.quotePrefix
        else:
            cell.value = value
        cell.protection = UNLOCKED
        return cell


@dataclass(frozen=True)
class GranteeRow:
    organisation: Organisation
    terms: GranteeTerms | None


@dataclass(frozen=True)
class TemplateData:
    application: BudgetedApplication
    lines: Sequence[Sequence[Any]]  # in ``budgets.exports.ROW_FIELDS`` order
    positions: Sequence[BudgetPosition]
    grantees: Sequence[GranteeRow]
    projects: Sequence[RDProject]
    provenance: Provenance
    blank_rows: int = BLANK_ROWS


def _blank_row(application: BudgetedApplication) -> list[Any]:
    """An unused line with the application's keys filled in."""
    row: list[Any] = [None] * len(LINE_COLUMNS)
    row[COLUMN_INDEX["programme"]] = application.round.programme.short_name
    row[COLUMN_INDEX["round"]] = application.round.number
    row[COLUMN_INDEX["cluster"]] = application.cluster.name
    row[COLUMN_INDEX["application"]] = application.pk
    row[COLUMN_INDEX["application_title"]] = application.title
    row[COLUMN_INDEX["state"]] = application.state
    return row


def _validation(sheet: LineSheet, key: str, last_row: int, **options: Any) -> DataValidation:
    letter = get_column_letter(COLUMN_INDEX[key] + 1)
    validation = DataValidation(allow_blank=True, showErrorMessage=True, **options)
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.ws.data_validations.append(validation)
    return validation


def _list_range(title: str, column: int, count: int) -> str:
    letter = get_column_letter(column)
    return f"{quote_sheetname(title)}!${letter}$2:${letter}${max(count + 1, 2)}"


def write_budget_template(data: TemplateData, stream: BinaryIO | str) -> None:
    """Write the template of ``data`` to ``stream`` as an .xlsx file (pure: reads only
    ``data``)."""
    workbook = Workbook(write_only=True)
    data_title = str(DATA_SHEET)
    states = {data.application.state: data.application.get_state_display()}
    sheet = TemplateSheet(workbook, data_title, states)
    blank = _blank_row(data.application)
    for row in [*data.lines, *([blank] * data.blank_rows)]:
        sheet.append(row)
    last_row = min(sheet.rows, EXCEL_MAX_ROWS)
    titles = [data_title, str(POSITIONS_SHEET), str(GRANTEES_SHEET), str(PROJECTS_SHEET)]
    phases = ",".join(phase_labels().values())
    _validation(sheet, "phase", last_row, type="list", formula1=f'"{phases}"')
    _validation(sheet, "basis", last_row, type="list", formula1='"AZA,AZK"')
    _validation(
        sheet,
        "position",
        last_row,
        type="list",
        formula1=_list_range(titles[1], 2, len(data.positions)),
    )
    _validation(
        sheet,
        "grantee",
        last_row,
        type="list",
        formula1=_list_range(titles[2], 1, len(data.grantees)),
        errorStyle="warning",
    )
    _validation(
        sheet,
        "rd_project",
        last_row,
        type="list",
        formula1=_list_range(titles[3], 1, len(data.projects)),
        errorStyle="warning",
    )
    _validation(
        sheet, "year", last_row, type="whole", operator="between", formula1="2000", formula2="2100"
    )
    _validation(
        sheet,
        "eligible_amount",
        last_row,
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    sheet.close()

    _list_sheet(
        workbook,
        titles[1],
        [_("Basis"), _("Position"), _("Position name (German)"), _("Position name (English)")],
        [[p.basis, p.code, p.name_de, p.name_en] for p in data.positions],
        [8, 10, 44, 44],
    )
    _list_sheet(
        workbook,
        titles[2],
        [
            _("Grantee"),
            _("Country"),
            _("Basis"),
            _("Funding rate (%)"),
            _("With Projektpauschale"),
        ],
        [
            [
                row.organisation.name,
                row.organisation.country.code,
                row.terms.basis if row.terms else None,
                row.terms.funding_rate if row.terms else None,
                row.terms.has_projektpauschale if row.terms else None,
            ]
            for row in data.grantees
        ],
        [40, 9, 8, 16, 16],
    )
    _list_sheet(
        workbook,
        titles[3],
        [_("R&D project"), _("Start month"), _("End month")],
        [[project.title, project.start_month, project.end_month] for project in data.projects],
        [40, 12, 12],
        date_format=MONTH_FORMAT,
    )
    about_sheet(
        workbook,
        titles,
        [
            (_("Generated at"), excel_datetime(data.provenance.generated_at)),
            (_("Generated by"), data.provenance.generated_by),
            (_("Data last changed"), excel_datetime(data.provenance.data_changed_at)),
            (_("How to fill it in"), _(HOW_TO_FILL_IN)),
        ],
    )
    workbook.save(stream)


def _list_sheet(
    workbook: Workbook,
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    date_format: str = DATE_FORMAT,
) -> None:
    """A reference sheet: a header and rows of plain values (text always as text, dates as
    dates in ``date_format``), with a filter on the header."""
    ws = workbook.create_sheet(title)
    ws.protection.sheet = True  # to read and to pick from, not to edit
    set_widths(ws, widths)
    print_setup(ws, header_rows=1, freeze="A2")
    header = []
    for heading in headings:
        cell = WriteOnlyCell(ws)
        as_text(cell, str(heading))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws)
            if isinstance(value, str):
                as_text(cell, value)
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = date_format
            cells.append(cell)
        ws.append(cells)
    autofilter(ws, columns=len(headings), last_row=len(rows) + 1)


def budget_template_data(application: BudgetedApplication, *, by: Any) -> TemplateData:
    """The application's lines, the positions, its grantees (the cluster management, its
    project partners, and anyone with terms) and its R&D projects, in a fixed number of
    queries."""
    lines = list(
        budget_line_rows(BudgetLine.objects.filter(application_id=application.pk), order=NAME_ORDER)
    )
    terms = {
        t.organisation_id: t
        for t in GranteeTerms.objects.filter(application_id=application.pk).select_related(
            "organisation"
        )
    }
    projects = list(
        RDProject.objects.filter(application_id=application.pk)
        .prefetch_related("partners__organisation")
        .order_by("start_month", "pk")
    )
    organisations: dict[int, Organisation] = {}
    management = application.cluster.management_organisation
    organisations[management.pk] = management
    for project in projects:
        for partner in project.partners.all():
            organisations[partner.organisation_id] = partner.organisation
    for grantee_terms in terms.values():
        organisations[grantee_terms.organisation_id] = grantee_terms.organisation
    grantees = [
        GranteeRow(organisation, terms.get(organisation.pk))
        for organisation in sorted(organisations.values(), key=lambda o: (o.name, o.country.code))
    ]
    return TemplateData(
        application=application,
        lines=lines,
        positions=list(BudgetPosition.objects.order_by("basis", "code")),
        grantees=grantees,
        projects=projects,
        provenance=provenance_of(by, budget_changed_at([application])),
    )


def budget_template_filename(application: BudgetedApplication, *, on: date | None = None) -> str:
    """``InterSpiN_R1_ARENA2036_budget-template_2026-11-21.xlsx``."""
    return application_filename(
        programme=application.round.programme.short_name,
        round_number=application.round.number,
        cluster=application.cluster.name,
        kind="budget-template",
        on=on or timezone.localdate(clock.now()),
    )
