"""The budget workbook of one application, laid out like a federal finance plan.

A cover sheet (who, what, when, and the phases against their caps), then a sheet per phase: per
grantee a block of rows per budget position with a column per calendar year and a total; under
each block the eligible amount, the funding rate, the grant, the Projektpauschale and the
funding; per R&D project a subtotal; per phase the totals against the caps, and the headroom.

Every figure comes from the budget summary. Eligible amounts are written as numbers; everything
derived is an Excel formula: sums over the cells above, and the grant per grantee and year as
``=ROUND(eligible × rate, 2)``: the system rounds the grant once per grantee and year (see
``budgets.summary.PositionRow``), so the formula does the same and recalculates to the cent.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kernel import clock
from kernel.dates import format_day, format_month

from ..arithmetic import Figures
from ..exports import budget_changed_at
from ..models import Phase, PlanVersion
from ..plan import summarise
from ..protocols import BudgetedApplication
from ..selectors import budget_summary
from ..summary import (
    BudgetSummary,
    Capped,
    Caps,
    GranteeBlock,
    Periods,
    PhaseSummary,
    ProjectBlock,
)
from ..versions import version_periods, version_plan
from .built import BuiltWorkbook, Provenance, provenance_of, section_title, write_cover
from .cells import (
    HEADER_FILL,
    NOTE_FONT,
    PERCENT_FORMAT,
    TITLE_FONT,
    TOTAL_FILL,
    fill_row,
    fit_columns,
    header_row,
    new_workbook,
    print_setup,
    put_formula,
    put_number,
    put_text,
    ref,
    sheet_ref,
    sheet_title,
    sum_of,
)
from .drawdowns import DrawnDown, DrawnKey, drawdown_rows, drawdown_sheet
from .filenames import application_filename

HUNDRED = Decimal(100)
FIRST_YEAR_COLUMN = 3  # A: position code, B: position name
HEADER_ROWS = 2  # the sheet's title, then the column headings


@dataclass(frozen=True)
class ApplicationWorkbookData:
    """Everything the workbook shows; ``application`` has its round, programme and cluster
    loaded."""

    application: BudgetedApplication
    summary: BudgetSummary
    provenance: Provenance
    drawn: Mapping[DrawnKey, Decimal] = field(default_factory=dict)
    # A stored version of the plan (``budgets.versions``): its number and its phases' dates.
    version: int | None = None
    periods: Periods | None = None


@dataclass(frozen=True)
class FigureRows:
    """Where a block's figure rows are: eligible amount, grant, Projektpauschale, funding."""

    eligible: int
    grant: int
    projektpauschale: int
    funding: int


def _figures_of(by_year: Any, year: int) -> Figures:
    found = by_year.get(year)
    if found is None:
        return Figures()
    return found.figures if isinstance(found, Capped) else found


class PhaseSheet:
    """Writes one phase's sheet and records what each formula must come to."""

    def __init__(
        self, built: BuiltWorkbook, ws: Worksheet, phase: PhaseSummary, *, caps: Caps
    ) -> None:
        self.built = built
        self.ws = ws
        self.phase = phase
        self.caps = caps
        self.years = list(phase.years)
        self.total_column = FIRST_YEAR_COLUMN + len(self.years)
        self.row = HEADER_ROWS + 1

    @property
    def year_columns(self) -> list[tuple[int, int]]:
        return [(FIRST_YEAR_COLUMN + index, year) for index, year in enumerate(self.years)]

    def write_header(self) -> None:
        title = _("%(phase)s, %(start)s to %(end)s") % {
            "phase": capfirst(self.phase.phase.label),
            "start": format_day(self.phase.start_on),
            "end": format_day(self.phase.end_on),
        }
        put_text(self.ws, 1, 1, title).font = TITLE_FONT
        headings = [_("Code"), _("Budget position")]
        headings += [str(year) for year in self.years] + [_("Total")]
        header_row(self.ws, 2, headings)

    def label(self, text: str, *, bold: bool = False, column: int = 2) -> None:
        put_text(self.ws, self.row, column, text, bold=bold)

    def formula(self, column: int, formula: str, expected: Decimal, *, bold: bool = False) -> None:
        cell = put_formula(self.ws, self.row, column, formula, bold=bold)
        self.built.expect(cell, expected)

    def grantee_block(self, block: GranteeBlock) -> FigureRows:
        ws = self.ws
        organisation = block.organisation
        heading = _("%(grantee)s (%(country)s), %(basis)s") % {
            "grantee": organisation.name,
            "country": organisation.country.code,
            "basis": block.basis,
        }
        put_text(ws, self.row, 1, heading, bold=True)
        fill_row(ws, self.row, 1, self.total_column, HEADER_FILL)
        self.row += 1
        if block.rate_reason:
            # Typed by a user: a text cell, never a formula (put_text).
            note = _("Funding rate above the programme's default. Reason: %(reason)s") % {
                "reason": block.rate_reason
            }
            put_text(ws, self.row, 1, note).font = NOTE_FONT
            self.row += 1
        first = self.row
        for position_row in block.positions:
            put_text(ws, self.row, 1, position_row.position.code)
            put_text(ws, self.row, 2, position_row.position.name)
            for column, year in self.year_columns:
                figures = position_row.by_year.get(year)
                put_number(ws, self.row, column, figures.eligible_amount if figures else None)
            self.formula(
                self.total_column,
                f"=SUM({ref(FIRST_YEAR_COLUMN, self.row)}:{ref(self.total_column - 1, self.row)})",
                position_row.total.eligible_amount,
            )
            self.row += 1
        last = self.row - 1

        eligible = self.row
        self.label(_("Eligible amount"), bold=True)
        for column, maybe_year in [*self.year_columns, (self.total_column, None)]:
            figures = block.total if maybe_year is None else _figures_of(block.by_year, maybe_year)
            self.formula(
                column,
                f"=SUM({ref(column, first)}:{ref(column, last)})",
                figures.eligible_amount,
                bold=True,
            )
        self.row += 1

        rate = self.row
        self.label(_("Funding rate"))
        for column, _year in self.year_columns:
            put_number(
                ws, self.row, column, block.funding_rate / HUNDRED, number_format=PERCENT_FORMAT
            )
        self.row += 1

        grant = self.row
        self.label(_("Grant (rounded per year)"))
        for column, year in self.year_columns:
            self.formula(
                column,
                f"=ROUND({ref(column, eligible)}*{ref(column, rate)},2)",
                _figures_of(block.by_year, year).grant_amount,
            )
        self.row_total(block.total.grant_amount)
        self.row += 1

        pauschale_rate = self.row
        self.label(_("Projektpauschale rate"))
        share = (
            self.caps.projektpauschale_rate / HUNDRED if block.has_projektpauschale else Decimal(0)
        )
        for column, _year in self.year_columns:
            put_number(ws, self.row, column, share, number_format=PERCENT_FORMAT)
        self.row += 1

        pauschale = self.row
        self.label(_("Projektpauschale"))
        for column, year in self.year_columns:
            self.formula(
                column,
                f"=ROUND({ref(column, grant)}*{ref(column, pauschale_rate)},2)",
                _figures_of(block.by_year, year).projektpauschale_amount,
            )
        self.row_total(block.total.projektpauschale_amount)
        self.row += 1

        funding = self.row
        self.label(_("Funding (grant + Projektpauschale)"), bold=True)
        for column, year in self.year_columns:
            self.formula(
                column,
                f"={ref(column, grant)}+{ref(column, pauschale)}",
                _figures_of(block.by_year, year).funding_amount,
                bold=True,
            )
        self.row_total(block.total.funding_amount, bold=True)
        self.row += 2
        return FigureRows(eligible, grant, pauschale, funding)

    def row_total(self, expected: Decimal, *, bold: bool = False) -> None:
        """The total column of the current row: the sum of its year columns."""
        self.formula(
            self.total_column,
            f"=SUM({ref(FIRST_YEAR_COLUMN, self.row)}:{ref(self.total_column - 1, self.row)})",
            expected,
            bold=bold,
        )

    def sum_rows(
        self,
        heading: str,
        parts: Sequence[FigureRows],
        by_year: Any,
        total: Figures,
    ) -> FigureRows:
        """Rows that add up the figure rows of ``parts`` column by column."""
        self.label(heading, bold=True, column=1)
        fill_row(self.ws, self.row, 1, self.total_column, TOTAL_FILL)
        self.row += 1
        found: dict[str, int] = {}
        for name, label in (
            ("eligible", _("Eligible amount")),
            ("grant", _("Grant")),
            ("projektpauschale", _("Projektpauschale")),
            ("funding", _("Funding (grant + Projektpauschale)")),
        ):
            found[name] = self.row
            self.label(label, bold=True)
            for column, year in [*self.year_columns, (self.total_column, None)]:
                figures = total if year is None else _figures_of(by_year, year)
                expected = (
                    figures.funding_amount
                    if name == "funding"
                    else getattr(figures, f"{name}_amount")
                )
                cells = [ref(column, getattr(part, name)) for part in parts]
                self.formula(column, sum_of(cells), expected, bold=True)
            self.row += 1
        return FigureRows(**found)

    def caps_rows(self, totals: FigureRows, *, annual_cap: Decimal | None) -> None:
        """The cap per year (where the phase has one) and for the phase, and the headroom."""
        cap_row = self.row
        self.label(_("Cap"), bold=True)
        if annual_cap is not None:
            for column, _year in self.year_columns:
                put_number(self.ws, self.row, column, annual_cap)
        put_number(self.ws, self.row, self.total_column, self.phase.total.cap_amount)
        self.row += 1
        self.label(_("Headroom under the cap"), bold=True)
        if annual_cap is not None:
            for column, year in self.year_columns:
                capped = self.phase.by_year.get(year) or Capped(Figures(), annual_cap)
                self.formula(
                    column,
                    f"={ref(column, cap_row)}-{ref(column, totals.funding)}",
                    capped.headroom_amount or Decimal(0),
                    bold=True,
                )
        total_headroom = self.phase.total.headroom_amount
        if total_headroom is not None:
            self.formula(
                self.total_column,
                f"={ref(self.total_column, cap_row)}-{ref(self.total_column, totals.funding)}",
                total_headroom,
                bold=True,
            )
        self.row += 1

    def project_block(self, block: ProjectBlock) -> FigureRows:
        project = block.project
        put_text(self.ws, self.row, 1, _("R&D project: %(title)s") % {"title": project.title})
        self.ws.cell(row=self.row, column=1).font = TITLE_FONT
        self.row += 1
        partners = ", ".join(
            f"{partner.name} ({partner.country.code})" for partner in block.partners
        )
        lead = block.lead_partner.name if block.lead_partner else "–"
        put_text(
            self.ws,
            self.row,
            1,
            _("%(start)s to %(end)s; lead partner: %(lead)s; partners: %(partners)s")
            % {
                "start": format_month(project.start_month),
                "end": format_month(project.end_month),
                "lead": lead,
                "partners": partners,
            },
        )
        self.row += 2
        grantees = [self.grantee_block(grantee) for grantee in block.grantees]
        subtotal = self.sum_rows(
            _("Subtotal %(title)s") % {"title": project.title}, grantees, block.by_year, block.total
        )
        self.row += 2
        return subtotal

    def finish(self) -> None:
        fit_columns(self.ws, skip_rows=[1])
        print_setup(self.ws, header_rows=HEADER_ROWS, freeze=f"C{HEADER_ROWS + 1}")


def _phase_sheet(
    built: BuiltWorkbook, phase: PhaseSummary, summary: BudgetSummary
) -> tuple[Worksheet, int, FigureRows]:
    """Write a phase's sheet; returns the sheet, its total column and its total rows."""
    titles = [ws.title for ws in built.workbook.worksheets]
    ws = built.workbook.create_sheet(sheet_title(str(capfirst(phase.phase.label)), titles))
    sheet = PhaseSheet(built, ws, phase, caps=summary.caps)
    sheet.write_header()
    if phase.phase == Phase.CONCEPT:
        parts = [sheet.grantee_block(block) for block in phase.grantees]
        annual_cap: Decimal | None = summary.caps.concept_annual_cap_amount
    else:
        parts = [sheet.project_block(block) for block in phase.projects]
        annual_cap = None
    heading = _("Total %(phase)s") % {"phase": phase.phase.label}
    totals = sheet.sum_rows(heading, parts, phase.by_year, phase.total.figures)
    sheet.caps_rows(totals, annual_cap=annual_cap)
    sheet.finish()
    return ws, sheet.total_column, totals


def build_application_workbook(data: ApplicationWorkbookData) -> BuiltWorkbook:
    """The workbook of one application's budget (pure: reads only ``data``)."""
    built = BuiltWorkbook(new_workbook())
    cover = built.workbook.active
    cover.title = sheet_title(_("Cover"))
    application = data.application
    summary = data.summary
    provenance = data.provenance
    periods = data.periods or Periods.of(application)
    version = [] if data.version is None else [(_("Plan version"), data.version)]
    row = write_cover(
        cover,
        _("Budget of the application"),
        [
            (_("Programme"), application.round.programme.name),
            (_("Round"), application.round.number),
            (_("Cluster"), application.cluster.name),
            (_("Application no."), application.pk),
            (_("Application title"), application.title),
            (_("State"), application.get_state_display()),
            *version,
            (_("Concept phase starts on"), periods.concept_start_on),
            (_("Concept phase ends on"), periods.concept_end_on),
            (_("Implementation phase starts on"), periods.implementation_start_on),
            (_("Implementation phase ends on"), periods.implementation_end_on),
            (_("Generated at"), provenance.generated_at),
            (_("Generated by"), provenance.generated_by),
            (_("Data last changed"), provenance.data_changed_at),
        ],
    )
    phase_totals = [
        (phase, *_phase_sheet(built, phase, summary))
        for phase in (summary.concept, summary.implementation)
    ]
    _overview(built, cover, row, phase_totals, summary)
    rows = drawdown_rows(str(application.pk), summary, data.drawn)
    drawdown_sheet(built, rows, built.workbook.sheetnames)
    return built


def _overview(
    built: BuiltWorkbook,
    cover: Worksheet,
    row: int,
    phase_totals: Sequence[tuple[PhaseSummary, Worksheet, int, FigureRows]],
    summary: BudgetSummary,
) -> None:
    """The phases and both together against their caps, taken from the phase sheets."""
    section_title(cover, row, _("Overview"))
    row += 1
    header_row(
        cover,
        row,
        [
            _("Phase"),
            _("Eligible amount"),
            _("Grant"),
            _("Projektpauschale"),
            _("Funding (grant + Projektpauschale)"),
            _("Cap"),
            _("Headroom under the cap"),
        ],
    )
    row += 1
    first = row
    for phase, ws, total_column, totals in phase_totals:
        put_text(cover, row, 1, str(capfirst(phase.phase.label)))
        figures = phase.total.figures
        for column, source_row, expected in (
            (2, totals.eligible, figures.eligible_amount),
            (3, totals.grant, figures.grant_amount),
            (4, totals.projektpauschale, figures.projektpauschale_amount),
            (5, totals.funding, figures.funding_amount),
        ):
            cell = put_formula(cover, row, column, f"={sheet_ref(ws, total_column, source_row)}")
            built.expect(cell, expected)
        put_number(cover, row, 6, phase.total.cap_amount)
        cell = put_formula(cover, row, 7, f"={ref(6, row)}-{ref(5, row)}")
        built.expect(cell, phase.total.headroom_amount or Decimal(0))
        row += 1
    put_text(cover, row, 1, _("Both phases"), bold=True)
    figures = summary.total.figures
    for column, expected in (
        (2, figures.eligible_amount),
        (3, figures.grant_amount),
        (4, figures.projektpauschale_amount),
        (5, figures.funding_amount),
    ):
        cell = put_formula(
            cover, row, column, f"=SUM({ref(column, first)}:{ref(column, row - 1)})", bold=True
        )
        built.expect(cell, expected)
    put_number(cover, row, 6, summary.total.cap_amount, bold=True)
    cell = put_formula(cover, row, 7, f"={ref(6, row)}-{ref(5, row)}", bold=True)
    built.expect(cell, summary.total.headroom_amount or Decimal(0))
    fill_row(cover, row, 1, 7, TOTAL_FILL)
    row += 2
    if summary.violations:
        section_title(cover, row, _("Rules the budget breaks"))
        row += 1
        for violation in summary.violations:
            put_text(cover, row, 1, violation.message)
            row += 1
    for column in range(2, 8):
        cover.column_dimensions[get_column_letter(column)].width = 20
    print_setup(cover, header_rows=0, freeze=None)


def application_workbook(
    application: BudgetedApplication, *, by: Any, version: PlanVersion | None = None
) -> BuiltWorkbook:
    """The budget workbook of ``application`` as ``by`` downloads it now (``None``: an
    operator), of the current plan or of a stored ``version`` of it. The caller checks that
    ``by`` may read the application."""
    if version is None:
        summary = budget_summary(application)
    else:
        summary = summarise(version_plan(application, version))
    return build_application_workbook(
        ApplicationWorkbookData(
            application=application,
            summary=summary,
            provenance=provenance_of(by, budget_changed_at([application])),
            drawn=drawn_amounts(application),
            version=None if version is None else version.number,
            periods=None if version is None else version_periods(version),
        )
    )


def drawn_amounts(application: BudgetedApplication) -> Mapping[DrawnKey, Decimal]:
    """What the application's drawdown requests count per grantee and year, through the
    reverse relation (the drawdowns live above this layer)."""
    requests: DrawnDown = application.drawdown_requests  # type: ignore[attr-defined]
    return requests.drawn_by_grantee_year()


def application_workbook_filename(
    application: BudgetedApplication, *, on: date | None = None
) -> str:
    """``InterSpiN_R1_ARENA2036_budget_2026-11-21.xlsx``."""
    return application_filename(
        programme=application.round.programme.short_name,
        round_number=application.round.number,
        cluster=application.cluster.name,
        on=on or timezone.localdate(clock.now()),
    )
