"""The budget grid of the portal: which grantees, positions and years a phase (or an R&D project)
shows, and its figures taken from the budget summary, keyed by the ids of the page's cells.

Nothing here computes a figure: totals, funding and headroom are read from ``BudgetSummary``.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from kernel.money import format_eur
from programmes.models import FundingRateDefault, Organisation

from .arithmetic import Figures
from .models import BudgetLine, BudgetPosition, GranteeTerms, Phase, RDProject
from .plan import Plan, default_terms
from .protocols import BudgetedApplication
from .summary import BudgetSummary, GranteeBlock
from .violations import Rule, Violation

Key = tuple[int, int, int]  # grantee, position, year


@dataclass(frozen=True)
class GridGrantee:
    organisation: Organisation
    terms: GranteeTerms
    positions: Sequence[BudgetPosition]


@dataclass(frozen=True)
class GridSpec:
    """What one grid edits: a phase, or one R&D project of the implementation phase."""

    phase: str
    project: RDProject | None
    years: Sequence[int]
    grantees: Sequence[GridGrantee]
    existing: Mapping[Key, BudgetLine]
    partners_abroad: Sequence[Organisation] = field(default_factory=tuple)


def cell_name(grantee_id: int, position_id: int, year: int) -> str:
    return f"amount-{grantee_id}-{position_id}-{year}"


def terms_of(
    application: BudgetedApplication, organisations: Iterable[Organisation]
) -> dict[int, GranteeTerms]:
    """Each organisation's terms, or those its first budget line will give it (the programme's
    defaults, ``budgets.plan.default_terms``); writes nothing."""
    organisations = list(organisations)
    found = {
        terms.organisation_id: terms
        for terms in GranteeTerms.objects.filter(
            application_id=application.pk, organisation__in=organisations
        )
    }
    programme = application.round.programme
    defaults = {
        (default.legal_form, default.size_class): default
        for default in FundingRateDefault.objects.filter(programme=programme)
    }
    return {
        organisation.pk: found.get(organisation.pk)
        or default_terms(
            organisation,
            application_id=application.pk,
            default=defaults.get((organisation.legal_form, organisation.size_class)),
            max_funding_rate=programme.max_funding_rate,
        )
        for organisation in organisations
    }


def default_rates(
    application: Any, organisations: Iterable[Organisation]
) -> dict[int, Decimal | None]:
    """Each organisation's default funding rate in the application's programme for its legal
    form and size class (at most the programme's maximum), or None where there is none."""
    programme = application.round.programme
    defaults = {
        (default.legal_form, default.size_class): default.funding_rate
        for default in FundingRateDefault.objects.filter(programme=programme)
    }
    found = {}
    for organisation in organisations:
        rate = defaults.get((organisation.legal_form, organisation.size_class))
        found[organisation.pk] = None if rate is None else min(rate, programme.max_funding_rate)
    return found


def grid_spec(plan: Plan, phase: str, project: RDProject | None = None) -> GridSpec:
    """The concept phase's grid (its grantee is the cluster management organisation), or the
    grid of one R&D project (its German partners; partners abroad take part without a grant),
    read from the plan; only the positions are read from the database."""
    lines = sorted(
        (
            line
            for line in plan.lines
            if line.phase == phase
            and line.rd_project_id == (project.pk if project is not None else None)
        ),
        # A proposed plan (a change request's) has new lines without an id: after the stored.
        key=lambda line: (line.pk is None, line.pk or 0),
    )
    partners_abroad: list[Organisation] = []
    if project is None:
        grantees = [plan.management_organisation]
        first, last = plan.periods.concept_start_on.year, plan.periods.concept_end_on.year
    else:
        partners = plan.partners.get(project.pk, ())
        grantees = [p.organisation for p in partners if p.organisation.is_german]
        partners_abroad = [p.organisation for p in partners if not p.organisation.is_german]
        first, last = project.start_month.year, project.end_month.year
    for line in lines:  # lines of others (a rule is broken) are shown, so they can be cleared
        if line.grantee not in grantees:
            grantees.append(line.grantee)
    terms = {organisation.pk: plan.terms_of(organisation) for organisation in grantees}
    positions = list(BudgetPosition.objects.order_by("basis", "code"))
    used = {(line.grantee_id, line.position_id) for line in lines}
    return GridSpec(
        phase=phase,
        project=project,
        years=sorted(set(range(first, last + 1)) | {line.year for line in lines}),
        grantees=[
            GridGrantee(
                organisation=organisation,
                terms=terms[organisation.pk],
                positions=[
                    position
                    for position in positions
                    if position.basis == terms[organisation.pk].basis
                    or (organisation.pk, position.pk) in used
                ],
            )
            for organisation in grantees
        ],
        existing={(line.grantee_id, line.position_id, line.year): line for line in lines},
        partners_abroad=partners_abroad,
    )


def _blocks(spec: GridSpec, summary: BudgetSummary) -> dict[int, GranteeBlock]:
    if spec.project is None:
        blocks: Sequence[GranteeBlock] = summary.concept.grantees
    else:
        blocks = next(
            (
                p.grantees
                for p in summary.implementation.projects
                if p.project.pk == spec.project.pk
            ),
            (),
        )
    return {block.organisation.pk: block for block in blocks}


@dataclass(frozen=True)
class Figure:
    id: str
    amount: Decimal | None

    @property
    def text(self) -> str:
        return "–" if self.amount is None else format_eur(self.amount)

    @property
    def is_over(self) -> bool:
        return self.amount is not None and self.amount < 0


@dataclass(frozen=True)
class YearFigures:
    year: int
    eligible: Figure
    funding: Figure


@dataclass(frozen=True)
class GranteeFigures:
    row_totals: Mapping[int, Figure]  # by position
    years: Sequence[YearFigures]
    eligible: Figure
    funding: Figure


@dataclass(frozen=True)
class GridFigures:
    """Every figure of a grid, read from the summary; ``phase_years`` has the funding, cap and
    headroom per year where the phase has a cap per year (the concept phase)."""

    grantees: Mapping[int, GranteeFigures]
    phase_years: Sequence[tuple[int, Figure, Decimal | None, Figure]]
    total: Figure
    headrooms: Sequence[tuple[str, Figure]] = ()

    def all(self) -> list[Figure]:
        found = [self.total]
        for grantee in self.grantees.values():
            found += [*grantee.row_totals.values(), grantee.eligible, grantee.funding]
            for year in grantee.years:
                found += [year.eligible, year.funding]
        for _year, funding, _cap, headroom in self.phase_years:
            found += [funding, headroom]
        found += [figure for _label, figure in self.headrooms]
        return found


def _grantee_figures(
    spec: GridSpec, grantee: GridGrantee, block: GranteeBlock | None
) -> GranteeFigures:
    """A grantee's row totals per position, its eligible and funding per year, and its total."""
    pk = grantee.organisation.pk
    rows = {row.position.pk: row.total for row in block.positions} if block else {}
    by_year = block.by_year if block else {}
    grantee_total = block.total if block else Figures()
    return GranteeFigures(
        row_totals={
            position.pk: Figure(
                f"total-{pk}-{position.pk}", rows.get(position.pk, Figures()).eligible_amount
            )
            for position in grantee.positions
        },
        years=[
            YearFigures(
                year,
                Figure(f"eligible-{pk}-{year}", by_year.get(year, Figures()).eligible_amount),
                Figure(f"funding-{pk}-{year}", by_year.get(year, Figures()).funding_amount),
            )
            for year in spec.years
        ],
        eligible=Figure(f"eligible-{pk}", grantee_total.eligible_amount),
        funding=Figure(f"funding-{pk}", grantee_total.funding_amount),
    )


def _concept_years(
    spec: GridSpec, summary: BudgetSummary
) -> Sequence[tuple[int, Figure, Decimal | None, Figure]]:
    """The concept phase's funding, cap and headroom for each year of the grid."""
    cap = summary.caps.concept_annual_cap_amount
    years = []
    for year in spec.years:
        capped = summary.concept.by_year.get(year)
        funding = capped.figures.funding_amount if capped else Decimal("0.00")
        headroom = capped.headroom_amount if capped else cap
        years.append(
            (
                year,
                Figure(f"phase-funding-{year}", funding),
                cap,
                Figure(f"headroom-{year}", headroom),
            )
        )
    return years


def _grid_total(spec: GridSpec, summary: BudgetSummary) -> Figure:
    """The funding of what the grid shows: the concept phase, or one R&D project."""
    if spec.phase == Phase.CONCEPT:
        return Figure("grid-funding", summary.concept.total.figures.funding_amount)
    project_total = next(
        (
            p.total.funding_amount
            for p in summary.implementation.projects
            if spec.project is not None and p.project.pk == spec.project.pk
        ),
        Decimal("0.00"),
    )
    return Figure("grid-funding", project_total)


def _headrooms(spec: GridSpec, summary: BudgetSummary) -> list[tuple[str, Figure]]:
    """What is left under the caps above the grid: the cluster's, and the implementation's."""
    headrooms = [
        (
            gettext("Headroom to the cap per cluster (both phases)"),
            Figure("grid-headroom-cluster", summary.total.headroom_amount),
        )
    ]
    if spec.phase == Phase.IMPLEMENTATION:
        headrooms.insert(
            0,
            (
                gettext("Headroom to the implementation cap (all projects)"),
                Figure(
                    "grid-headroom-implementation", summary.implementation.total.headroom_amount
                ),
            ),
        )
    return headrooms


def grid_figures(spec: GridSpec, summary: BudgetSummary) -> GridFigures:
    """Every figure the grid shows, read from the summary."""
    blocks = _blocks(spec, summary)
    return GridFigures(
        grantees={
            grantee.organisation.pk: _grantee_figures(
                spec, grantee, blocks.get(grantee.organisation.pk)
            )
            for grantee in spec.grantees
        },
        phase_years=_concept_years(spec, summary) if spec.phase == Phase.CONCEPT else [],
        total=_grid_total(spec, summary),
        headrooms=_headrooms(spec, summary),
    )


# Where a rule's message is shown on the grid: under a year's column, at a grantee, or above.
YEAR_RULES = {Rule.CONCEPT_ANNUAL_CAP, Rule.YEAR_OUTSIDE_PHASE}


def error_target(violation: Violation, spec: GridSpec) -> str:
    """The id of the grid element a violation is shown at."""
    if (
        violation.rule in YEAR_RULES
        and violation.scope.isdigit()
        and int(violation.scope) in spec.years
    ):
        return f"errors-year-{violation.scope}"
    if violation.rule == Rule.YEAR_OUTSIDE_PROJECT:
        year = violation.params.get("year")
        if year in spec.years:
            return f"errors-year-{year}"
    if violation.scope.startswith("organisation:"):
        pk = violation.scope.split(":")[1]
        if any(str(g.organisation.pk) == pk for g in spec.grantees):
            return f"errors-grantee-{pk}"
    return "errors-grid"


def error_map(violations: Iterable[Violation], spec: GridSpec) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for violation in violations:
        found.setdefault(error_target(violation, spec), []).append(violation.message)
    return found


def invalid_cells(errors: Mapping[str, Sequence[str]], spec: GridSpec, form: Any) -> list[str]:
    """The cells to mark invalid: those with their own error, and the filled cells of a year,
    a grantee or the whole grid that breaks a rule."""
    names = [name for name in form.errors if name in form.fields]
    for grantee in spec.grantees:
        for position in grantee.positions:
            for year in spec.years:
                name = cell_name(grantee.organisation.pk, position.pk, year)
                marked = (
                    f"errors-year-{year}" in errors
                    or f"errors-grantee-{grantee.organisation.pk}" in errors
                    or "errors-grid" in errors
                )
                if marked and form[name].value() and name not in names:
                    names.append(name)
    return names


@dataclass(frozen=True)
class GridRow:
    position: BudgetPosition
    cells: Sequence[Any]  # bound fields, one per year
    total: Figure


@dataclass(frozen=True)
class GridBlock:
    grantee: GridGrantee
    rows: Sequence[GridRow]
    figures: GranteeFigures


def grid_blocks(spec: GridSpec, form: Any, figures: GridFigures) -> list[GridBlock]:
    """The grid's rows for the template: per grantee, per position, a field per year."""
    blocks = []
    for grantee in spec.grantees:
        pk = grantee.organisation.pk
        grantee_figures = figures.grantees[pk]
        rows = [
            GridRow(
                position=position,
                cells=[form[cell_name(pk, position.pk, year)] for year in spec.years],
                total=grantee_figures.row_totals[position.pk],
            )
            for position in grantee.positions
        ]
        blocks.append(GridBlock(grantee=grantee, rows=rows, figures=grantee_figures))
    return blocks


@dataclass(frozen=True)
class CapRow:
    """One cap of the programme: what the budget uses of it, and what is left."""

    label: str
    used: Figure
    cap: Decimal
    headroom: Figure


def cap_rows(summary: BudgetSummary) -> list[CapRow]:
    """Every money cap with its figures, read from the summary (for the caps panel)."""
    caps = summary.caps
    rows = []
    for year in summary.concept.years:
        capped = summary.concept.by_year.get(year)
        rows.append(
            CapRow(
                label=gettext("Concept phase %(year)s") % {"year": year},
                used=Figure(
                    f"used-concept-{year}",
                    capped.figures.funding_amount if capped else Decimal("0.00"),
                ),
                cap=caps.concept_annual_cap_amount,
                headroom=Figure(
                    f"headroom-concept-{year}",
                    capped.headroom_amount if capped else caps.concept_annual_cap_amount,
                ),
            )
        )
    for label, key, capped in (
        (gettext("Implementation phase"), "implementation", summary.implementation.total),
        (gettext("Both phases (per cluster)"), "cluster", summary.total),
    ):
        rows.append(
            CapRow(
                label=label,
                used=Figure(f"used-{key}", capped.figures.funding_amount),
                cap=capped.cap_amount or Decimal("0.00"),
                headroom=Figure(f"headroom-{key}", capped.headroom_amount),
            )
        )
    return rows
