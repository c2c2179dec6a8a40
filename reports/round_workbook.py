"""The round workbook for the funding body: one row per application with its concept funding per
year and implementation funding per R&D project, totals, caps and headroom; the round's
commitments against its envelope; and the audit trail of every state change and of every change
of the grantee terms, R&D projects, partners and organisations taking part.

Its figures come from ``applications.selectors.round_overview`` (the budget summaries of the
round's applications). This module sits above both the budget engine and the workflow, so it
may read both; nothing in the engine imports it.

The sheets are written by the functions in ``ROUND_SHEETS``, in order; a later sheet (the scores
and ranking, once reviews exist) is one more function there.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from applications.access import applications_visible_to
from applications.models import Application, ApplicationTransition
from applications.selectors import RoundLine, RoundOverview, round_overview
from applications.states import state_labels
from budgets.arithmetic import Figures, sum_figures
from budgets.audit import RecordedChange, recorded_changes
from budgets.exports import budget_changed_at
from budgets.workbooks.built import (
    BuiltWorkbook,
    Provenance,
    display_name,
    provenance_of,
    section_title,
    write_cover,
)
from budgets.workbooks.cells import (
    TOTAL_FILL,
    WRAP,
    autofilter,
    fill_row,
    fit_columns,
    header_row,
    new_workbook,
    print_setup,
    put_datetime,
    put_formula,
    put_number,
    put_text,
    ref,
    sheet_title,
)
from budgets.workbooks.drawdowns import DrawdownRow, drawdown_rows, drawdown_sheet
from budgets.workbooks.filenames import round_filename
from competition.access import can_read_ranking
from competition.models import Recommendation
from competition.selectors import RoundRanking, build_round_ranking
from disbursements.models import DrawdownRequest
from kernel import clock
from programmes.models import Round


@dataclass(frozen=True)
class RoundWorkbookData:
    overview: RoundOverview
    transitions: Sequence[ApplicationTransition]
    provenance: Provenance
    ranking: RoundRanking | None = None
    changes: Sequence[RecordedChange] = ()
    drawdowns: Sequence[DrawdownRow] = ()
    # Filled by the sheets as they are written, for the sheets after them (the cover reads
    # where the applications sheet put its totals).
    anchors: dict[str, Any] = field(default_factory=dict)


def transition_labels() -> dict[str, str]:
    """Transition names → their labels in the active language."""
    state_field: Any = Application._meta.get_field("state")
    return {
        transition.name: str(transition.custom.get("label", transition.name))
        for transition in state_field.get_all_transitions(Application)
    }


@dataclass(frozen=True)
class _Columns:
    """Where each figure of an application row is."""

    years: Sequence[int]
    projects: int

    flag = 6  # counts against the envelope
    first_year = 7

    @property
    def concept_total(self) -> int:
        return self.first_year + len(self.years)

    @property
    def concept_cap(self) -> int:
        return self.concept_total + 1

    @property
    def concept_headroom(self) -> int:
        return self.concept_total + 2

    def project_title(self, index: int) -> int:
        return self.concept_headroom + 1 + 2 * index

    def project_funding(self, index: int) -> int:
        return self.project_title(index) + 1

    @property
    def implementation_total(self) -> int:
        return self.project_title(self.projects)

    @property
    def implementation_cap(self) -> int:
        return self.implementation_total + 1

    @property
    def implementation_headroom(self) -> int:
        return self.implementation_total + 2

    @property
    def total(self) -> int:
        return self.implementation_total + 3

    @property
    def cluster_cap(self) -> int:
        return self.total + 1

    @property
    def headroom(self) -> int:
        return self.total + 2

    @property
    def committed(self) -> int:
        return self.total + 3

    @property
    def planned(self) -> int:
        return self.total + 4


def _applications_sheet(built: BuiltWorkbook, data: RoundWorkbookData) -> None:
    overview = data.overview
    ws = built.workbook.create_sheet(sheet_title(_("Applications")))
    lines = list(overview.lines)
    years = sorted({year for line in lines for year in line.summary.concept.years})
    max_projects = max(
        [overview.round.programme.max_rd_projects]
        + [len(line.summary.implementation.projects) for line in lines]
    )
    columns = _Columns(years, max_projects)
    headings = [
        _("Application no."),
        _("Cluster"),
        _("Sector"),
        _("Application title"),
        _("State"),
        _("Counts against the envelope"),
        *(_("Concept phase %(year)s") % {"year": year} for year in years),
        _("Concept phase total"),
        _("Concept phase cap"),
        _("Concept phase headroom"),
    ]
    for index in range(max_projects):
        headings += [
            _("R&D project %(number)s") % {"number": index + 1},
            _("R&D project %(number)s funding") % {"number": index + 1},
        ]
    headings += [
        _("Implementation phase total"),
        _("Implementation phase cap"),
        _("Implementation phase headroom"),
        _("Total funding"),
        _("Cap per cluster"),
        _("Headroom under the cap per cluster"),
        _("Committed funding (concept once selected, implementation once approved)"),
        _("Planned funding (implementation not yet approved)"),
    ]
    header_row(ws, 1, headings)
    states = state_labels()
    first = 2
    for row, line in enumerate(lines, start=first):
        _application_row(built, ws, row, line, columns, states)
    last = first + len(lines) - 1
    totals_row = last + 1
    put_text(ws, totals_row, 2, _("Round total"), bold=True)
    fill_row(ws, totals_row, 1, columns.planned, TOTAL_FILL)
    for column, expected in _column_totals(lines, columns).items():
        formula = f"=SUM({ref(column, first)}:{ref(column, last)})" if lines else "=0"
        cell = put_formula(ws, totals_row, column, formula, bold=True)
        built.expect(cell, expected)
    fit_columns(ws)
    for column in (4, *(columns.project_title(i) for i in range(max_projects))):
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 30
    # The filter covers the applications, not the totals row under them.
    autofilter(ws, columns=columns.planned, last_row=last)
    print_setup(ws, header_rows=1, freeze="C2")
    data.anchors.update(
        sheet=ws,
        first=first,
        last=last,
        flag=columns.flag,
        committed=columns.committed,
        planned=columns.planned,
        count=len(lines),
    )


def _application_row(
    built: BuiltWorkbook,
    ws: Worksheet,
    row: int,
    line: RoundLine,
    columns: _Columns,
    states: dict[str, str],
) -> None:
    application = line.application
    summary = line.summary
    put_number(ws, row, 1, application.pk, number_format="0")
    put_text(ws, row, 2, application.cluster.name)
    put_text(ws, row, 3, application.cluster.sector)
    put_text(ws, row, 4, application.title).alignment = WRAP
    put_text(ws, row, 5, states.get(application.state, application.state))
    ws.cell(row=row, column=columns.flag).value = line.is_committed

    def formula(column: int, text: str, expected: Decimal | None, *, bold: bool = False) -> None:
        cell = put_formula(ws, row, column, text, bold=bold)
        built.expect(cell, expected if expected is not None else Decimal(0))

    concept = summary.concept
    for index, year in enumerate(columns.years):
        capped = concept.by_year.get(year)
        amount = capped.figures.funding_amount if capped is not None else None
        put_number(ws, row, columns.first_year + index, amount)
    year_cells = f"{ref(columns.first_year, row)}:{ref(columns.concept_total - 1, row)}"
    formula(
        columns.concept_total,
        f"=SUM({year_cells})" if columns.years else "=0",
        concept.total.figures.funding_amount,
    )
    put_number(ws, row, columns.concept_cap, concept.total.cap_amount)
    formula(
        columns.concept_headroom,
        f"={ref(columns.concept_cap, row)}-{ref(columns.concept_total, row)}",
        concept.total.headroom_amount,
    )

    implementation = summary.implementation
    for index, block in enumerate(implementation.projects):
        put_text(ws, row, columns.project_title(index), block.project.title).alignment = WRAP
        put_number(ws, row, columns.project_funding(index), block.total.funding_amount)
    funding_cells = [ref(columns.project_funding(i), row) for i in range(columns.projects)]
    formula(
        columns.implementation_total,
        f"=SUM({','.join(funding_cells)})" if funding_cells else "=0",
        implementation.total.figures.funding_amount,
    )
    put_number(ws, row, columns.implementation_cap, implementation.total.cap_amount)
    formula(
        columns.implementation_headroom,
        f"={ref(columns.implementation_cap, row)}-{ref(columns.implementation_total, row)}",
        implementation.total.headroom_amount,
    )
    formula(
        columns.total,
        f"={ref(columns.concept_total, row)}+{ref(columns.implementation_total, row)}",
        summary.total.figures.funding_amount,
        bold=True,
    )
    put_number(ws, row, columns.cluster_cap, summary.total.cap_amount)
    formula(
        columns.headroom,
        f"={ref(columns.cluster_cap, row)}-{ref(columns.total, row)}",
        summary.total.headroom_amount,
    )
    put_number(ws, row, columns.committed, line.committed.funding_amount)
    put_number(ws, row, columns.planned, line.planned.funding_amount)


def _column_totals(lines: Sequence[RoundLine], columns: _Columns) -> dict[int, Decimal]:
    """What each summed column of the totals row must come to, from the summaries."""

    def funding(figures: Sequence[Figures]) -> Decimal:
        return sum_figures(figures).funding_amount

    expected: dict[int, Decimal] = {}
    for index, year in enumerate(columns.years):
        expected[columns.first_year + index] = funding(
            [
                line.summary.concept.by_year[year].figures
                for line in lines
                if year in line.summary.concept.by_year
            ]
        )
    expected[columns.concept_total] = funding(
        [line.summary.concept.total.figures for line in lines]
    )
    for index in range(columns.projects):
        expected[columns.project_funding(index)] = funding(
            [
                line.summary.implementation.projects[index].total
                for line in lines
                if index < len(line.summary.implementation.projects)
            ]
        )
    expected[columns.implementation_total] = funding(
        [line.summary.implementation.total.figures for line in lines]
    )
    expected[columns.total] = funding([line.summary.total.figures for line in lines])
    expected[columns.committed] = funding([line.committed for line in lines])
    expected[columns.planned] = funding([line.planned for line in lines])
    return expected


def _cover_sheet(built: BuiltWorkbook, data: RoundWorkbookData) -> None:
    """The round, who made the workbook when, and its commitments against the envelope."""
    overview = data.overview
    round_ = overview.round
    cover = built.workbook.worksheets[0]
    cover.title = sheet_title(_("Cover"), [ws.title for ws in built.workbook.worksheets[1:]])
    provenance = data.provenance
    row = write_cover(
        cover,
        _("Round %(number)s of %(programme)s")
        % {"number": round_.number, "programme": round_.programme.name},
        [
            (_("Programme"), round_.programme.name),
            (_("Round"), round_.number),
            (_("Call published on"), round_.call_published_on),
            (_("Funding starts on"), round_.funding_starts_on),
            (_("Applications"), len(overview.lines)),
            (_("Generated at"), provenance.generated_at),
            (_("Generated by"), provenance.generated_by),
            (_("Data last changed"), provenance.data_changed_at),
        ],
    )
    anchors = data.anchors
    if "sheet" not in anchors:  # no applications sheet to refer to
        print_setup(cover, header_rows=0, freeze=None)
        return
    section_title(cover, row, _("Commitments against the envelope"))
    row += 1
    sheet = anchors["sheet"]
    flags = _range(sheet, anchors["flag"], anchors["first"], anchors["last"])
    committed_cells = _range(sheet, anchors["committed"], anchors["first"], anchors["last"])
    planned_cells = _range(sheet, anchors["planned"], anchors["first"], anchors["last"])
    envelope_row = row
    put_text(cover, row, 1, _("Envelope"), bold=True)
    put_number(cover, row, 2, round_.envelope_amount)
    row += 1
    committed_row = row
    put_text(
        cover,
        row,
        1,
        _("Committed (concept once selected, implementation once approved)"),
        bold=True,
    )
    committed = f"=SUM({committed_cells})" if anchors["count"] else "=0"
    built.expect(put_formula(cover, row, 2, committed), overview.committed.funding_amount)
    row += 1
    put_text(cover, row, 1, _("Planned (implementation not yet approved)"), bold=True)
    planned = f"=SUM({planned_cells})" if anchors["count"] else "=0"
    built.expect(put_formula(cover, row, 2, planned), overview.planned.funding_amount)
    row += 1
    put_text(cover, row, 1, _("Headroom under the envelope"), bold=True)
    headroom = put_formula(cover, row, 2, f"={ref(2, envelope_row)}-{ref(2, committed_row)}")
    built.expect(headroom, overview.envelope_headroom_amount)
    row += 1
    put_text(cover, row, 1, _("Selected applications"), bold=True)
    selected = f"=COUNTIF({flags},TRUE)" if anchors["count"] else "=0"
    built.expect(put_formula(cover, row, 2, selected, number_format="0"), overview.selected_count)
    row += 1
    put_text(cover, row, 1, _("Clusters to select"), bold=True)
    put_number(cover, row, 2, round_.selection_quota, number_format="0")
    print_setup(cover, header_rows=0, freeze=None)


def _range(ws: Worksheet, column: int, first: int, last: int) -> str:
    start = ref(column, first, absolute=True)
    end = ref(column, last, absolute=True)
    return f"{quote_sheetname(ws.title)}!{start}:{end}"


def _audit_trail_sheet(built: BuiltWorkbook, data: RoundWorkbookData) -> None:
    """Every state change of the round's applications (who, when, from, to and why), and in
    time order with them every change of their grantee terms, R&D projects, partners and
    organisations (who, when, which record, old → new)."""
    ws = built.workbook.create_sheet(sheet_title(_("Audit trail")))
    header_row(
        ws,
        1,
        [
            _("Application no."),
            _("Cluster"),
            _("At"),
            _("By"),
            _("Transition"),
            _("From"),
            _("To"),
            _("Comment"),
            _("Record"),
            _("Action"),
            _("What changed"),
        ],
    )
    states = state_labels()
    labels = transition_labels()
    clusters = {line.application.pk: line.application.cluster.name for line in data.overview.lines}
    events: list[tuple[datetime, int, ApplicationTransition | RecordedChange]] = [
        *((change.at, 0, change) for change in data.transitions),
        *((change.at, 1, change) for change in data.changes),
    ]
    events.sort(key=lambda event: event[:2])  # stable: each kind keeps its own order
    for row, (_at, _kind, event) in enumerate(events, start=2):
        put_number(ws, row, 1, event.application_id, number_format="0")
        put_text(ws, row, 2, clusters.get(event.application_id))
        put_datetime(ws, row, 3, event.at)
        put_text(ws, row, 4, display_name(event.by))
        if isinstance(event, ApplicationTransition):
            put_text(ws, row, 5, labels.get(event.transition, event.transition))
            put_text(ws, row, 6, states.get(event.source_state, event.source_state))
            put_text(ws, row, 7, states.get(event.target_state, event.target_state))
            put_text(ws, row, 8, event.comment).alignment = WRAP
        else:
            put_text(ws, row, 9, event.subject)
            put_text(ws, row, 10, str(event.action.label))
            put_text(ws, row, 11, event.summary).alignment = WRAP
    fit_columns(ws)
    autofilter(ws, columns=11, last_row=len(events) + 1)
    print_setup(ws, header_rows=1, freeze="A2")


def _ranking_sheet(built: BuiltWorkbook, data: RoundWorkbookData) -> None:
    """The jury's evaluation: per application the weighted mean score, the reviews submitted of
    those assigned, the recommendations and the rank (ties share a rank); unranked last."""
    ranking = data.ranking
    if ranking is None or not ranking.lines:
        return
    ws = built.workbook.create_sheet(sheet_title(_("Scores and ranking")))
    recommendations = list(Recommendation)
    header_row(
        ws,
        1,
        [
            _("Rank"),
            _("Tied"),
            _("Cluster"),
            _("Application"),
            _("State"),
            _("Weighted mean score"),
            _("Reviews submitted"),
            _("Reviews assigned"),
            *[str(choice.label) for choice in recommendations],
            *[criterion.name for criterion in ranking.criteria],
        ],
    )
    states = state_labels()
    for row, line in enumerate(ranking.lines, start=2):
        if line.rank is not None:
            put_number(ws, row, 1, line.rank, number_format="0")
        put_text(ws, row, 2, _("yes") if line.is_tied else "")
        put_text(ws, row, 3, line.application.cluster.name)
        put_text(ws, row, 4, line.application.title)
        put_text(ws, row, 5, states.get(line.application.state, line.application.state))
        if line.weighted_mean_display is not None:
            put_number(ws, row, 6, line.weighted_mean_display, number_format="0.00")
        put_number(ws, row, 7, line.submitted_count, number_format="0")
        put_number(ws, row, 8, line.assigned_count, number_format="0")
        column = 9
        for choice in recommendations:
            put_number(ws, row, column, line.recommendations.get(choice, 0), number_format="0")
            column += 1
        for criterion in ranking.criteria:
            mean = line.criterion_means.get(criterion.pk)
            if mean is not None:
                put_number(ws, row, column, mean, number_format="0.00")
            column += 1
    fit_columns(ws)
    autofilter(ws, columns=ws.max_column, last_row=len(ranking.lines) + 1)
    print_setup(ws, header_rows=1, freeze="A2")


SheetWriter = Callable[[BuiltWorkbook, RoundWorkbookData], None]


# In order; the cover comes last because it reads where the applications sheet put its totals
# (it is moved to the front).
def _drawdowns_sheet(built: BuiltWorkbook, data: RoundWorkbookData) -> None:
    drawdown_sheet(built, data.drawdowns, built.workbook.sheetnames)


ROUND_SHEETS: list[SheetWriter] = [
    _applications_sheet,
    _audit_trail_sheet,
    _ranking_sheet,
    _drawdowns_sheet,
]


def build_round_workbook(
    data: RoundWorkbookData, sheets: Sequence[SheetWriter] = ()
) -> BuiltWorkbook:
    """The round's workbook (pure: reads only ``data``). ``sheets`` replaces ``ROUND_SHEETS``."""
    built = BuiltWorkbook(new_workbook())
    for write in sheets or ROUND_SHEETS:
        write(built, data)
    _cover_sheet(built, data)
    return built


def round_workbook(round_: Round, *, by: Any, sheets: Sequence[SheetWriter] = ()) -> BuiltWorkbook:
    """The workbook of ``round_`` with the applications ``by`` may read (``None``: an operator,
    who reads all). ``sheets`` replaces ``ROUND_SHEETS``."""
    applications = Application.objects.all() if by is None else applications_visible_to(by)
    overview = round_overview(round_, applications)
    members = [line.application for line in overview.lines]
    transitions = list(
        ApplicationTransition.objects.filter(application__in=[a.pk for a in members])
        .select_related("by")
        .order_by("at", "pk")
    )
    changes = recorded_changes([a.pk for a in members])
    drawn = DrawdownRequest.objects.filter(
        application__in=[a.pk for a in members]
    ).drawn_by_application()
    data = RoundWorkbookData(
        overview=overview,
        transitions=transitions,
        changes=[change for application in members for change in changes[application.pk]],
        drawdowns=[
            row
            for line in overview.lines
            for row in drawdown_rows(
                line.application.cluster.name, line.summary, drawn.get(line.application.pk, {})
            )
        ],
        provenance=provenance_of(by, budget_changed_at(members)),
        # The ranking shows every cluster's scores: only for those who read all (and operators).
        ranking=build_round_ranking(round_) if by is None or can_read_ranking(by) else None,
    )
    return build_round_workbook(data, sheets)


def round_workbook_filename(round_: Round, *, on: date | None = None) -> str:
    """``InterSpiN_R1_round_2026-11-21.xlsx``."""
    return round_filename(
        programme=round_.programme.short_name,
        round_number=round_.number,
        on=on or timezone.localdate(clock.now()),
    )
