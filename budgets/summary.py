"""The budget summary: every figure of an application's budget, computed once.

``build_summary`` is pure: it reads the objects it is given (with their relations loaded) and
touches no database. ``budgets.selectors`` fetches those objects in a fixed number of queries.
Pages, API and workbooks read the summary; none of them sums on its own.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from kernel.dates import add_years, day, month
from programmes.models import Organisation, Programme

from .arithmetic import Figures, share_figures, sum_figures
from .models import BudgetLine, BudgetPosition, GranteeTerms, Phase, ProjectPartner, RDProject
from .protocols import BudgetedApplication
from .violations import Rule, Unit, Violation


@dataclass(frozen=True)
class Caps:
    """The programme's rules, as the summary applies them."""

    concept_annual_cap_amount: Decimal
    concept_max_years: int
    max_rd_projects: int
    implementation_cap_amount: Decimal
    implementation_max_years: int
    cluster_cap_amount: Decimal
    max_funding_rate: Decimal
    projektpauschale_rate: Decimal

    @classmethod
    def of(cls, programme: Programme) -> "Caps":
        return cls(
            concept_annual_cap_amount=programme.concept_annual_cap_amount,
            concept_max_years=programme.concept_max_years,
            max_rd_projects=programme.max_rd_projects,
            implementation_cap_amount=programme.implementation_cap_amount,
            implementation_max_years=programme.implementation_max_years,
            cluster_cap_amount=programme.cluster_cap_amount,
            max_funding_rate=programme.max_funding_rate,
            projektpauschale_rate=programme.projektpauschale_rate,
        )


@dataclass(frozen=True)
class Periods:
    """When the application's two phases run."""

    concept_start_on: date
    concept_end_on: date
    implementation_start_on: date
    implementation_end_on: date

    @classmethod
    def of(cls, application: BudgetedApplication) -> "Periods":
        return cls(
            concept_start_on=application.concept_start_on,
            concept_end_on=application.concept_end_on,
            implementation_start_on=application.implementation_start_on,
            implementation_end_on=application.implementation_end_on,
        )


@dataclass(frozen=True)
class Capped:
    figures: Figures
    cap_amount: Decimal | None = None

    @property
    def headroom_amount(self) -> Decimal | None:
        """What is left under the cap (negative when over it)."""
        if self.cap_amount is None:
            return None
        return self.cap_amount - self.figures.funding_amount


@dataclass(frozen=True)
class PositionRow:
    """One budget position of one grantee. The grant is rounded once per grantee and year; each
    position's figures are its share of them (``arithmetic.share_figures``), so the positions
    of a year add up to the grantee's figures to the cent."""

    position: BudgetPosition
    by_year: Mapping[int, Figures]
    total: Figures


@dataclass(frozen=True)
class GranteeBlock:
    organisation: Organisation
    basis: str
    funding_rate: Decimal
    has_projektpauschale: bool
    positions: Sequence[PositionRow]
    by_year: Mapping[int, Figures]
    total: Figures
    rate_reason: str = ""  # why the rate is above the programme's default, where it is


@dataclass(frozen=True)
class ProjectBlock:
    project: RDProject
    partners: Sequence[Organisation]
    lead_partner: Organisation | None
    grantees: Sequence[GranteeBlock]
    by_year: Mapping[int, Figures]
    total: Figures


@dataclass(frozen=True)
class PhaseSummary:
    phase: Phase
    start_on: date
    end_on: date
    years: Sequence[int]
    grantees: Sequence[GranteeBlock]
    projects: Sequence[ProjectBlock]
    by_year: Mapping[int, Capped]
    total: Capped

    @property
    def is_empty(self) -> bool:
        return self.total.figures.eligible_amount == 0


@dataclass(frozen=True)
class BudgetSummary:
    application_id: int
    caps: Caps
    concept: PhaseSummary
    implementation: PhaseSummary
    total: Capped
    violations: Sequence[Violation] = field(default_factory=tuple)

    def phase(self, phase: str) -> PhaseSummary:
        return self.concept if phase == Phase.CONCEPT else self.implementation


def _default_terms(organisation: Organisation) -> GranteeTerms:
    # Lines are only written with terms in place; this keeps a hand-made row from crashing.
    return GranteeTerms(organisation=organisation, basis="AZK", funding_rate=Decimal(0))


def _grantee_block(
    organisation: Organisation,
    lines: Sequence[BudgetLine],
    terms: GranteeTerms,
    caps: Caps,
) -> GranteeBlock:
    eligible_by_year: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    positions: dict[int, BudgetPosition] = {}
    for line in lines:
        positions[line.position_id] = line.position
        eligible_by_year[line.year][line.position_id] += line.eligible_amount

    grantee_years: dict[int, Figures] = {}
    by_position: dict[int, dict[int, Figures]] = defaultdict(dict)
    for year, by_position_id in sorted(eligible_by_year.items()):
        shares = share_figures(
            by_position_id,
            funding_rate=terms.funding_rate,
            has_projektpauschale=terms.has_projektpauschale,
            projektpauschale_rate=caps.projektpauschale_rate,
        )
        grantee_years[year] = sum_figures(shares.values())
        for position_id, figures in shares.items():
            by_position[position_id][year] = figures

    rows = [
        PositionRow(positions[position_id], row_years, sum_figures(row_years.values()))
        for position_id, row_years in by_position.items()
    ]
    rows.sort(key=lambda row: row.position.code)
    return GranteeBlock(
        organisation=organisation,
        basis=terms.basis,
        funding_rate=terms.funding_rate,
        has_projektpauschale=terms.has_projektpauschale,
        positions=rows,
        by_year=grantee_years,
        total=sum_figures(grantee_years.values()),
        rate_reason=terms.rate_reason,
    )


def _grantee_blocks(
    lines: Iterable[BudgetLine], terms: Mapping[int, GranteeTerms], caps: Caps
) -> list[GranteeBlock]:
    by_grantee: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        by_grantee[line.grantee_id].append(line)
    blocks = [
        _grantee_block(
            group[0].grantee, group, terms.get(grantee_id) or _default_terms(group[0].grantee), caps
        )
        for grantee_id, group in by_grantee.items()
    ]
    blocks.sort(key=lambda block: block.organisation.name)
    return blocks


def _years_of(blocks: Iterable[GranteeBlock | ProjectBlock]) -> dict[int, Figures]:
    by_year: dict[int, Figures] = defaultdict(Figures)
    for block in blocks:
        for year, figures in block.by_year.items():
            by_year[year] += figures
    return dict(sorted(by_year.items()))


def _phase_years(start_on: date, end_on: date, used: Iterable[int]) -> list[int]:
    return sorted(set(range(start_on.year, end_on.year + 1)) | set(used))


def _concept_summary(
    periods: Periods, lines: Sequence[BudgetLine], terms: Mapping[int, GranteeTerms], caps: Caps
) -> PhaseSummary:
    """The concept phase: its grantees' figures, capped per year and over its maximum years."""
    grantees = _grantee_blocks((line for line in lines if line.phase == Phase.CONCEPT), terms, caps)
    by_year = _years_of(grantees)
    return PhaseSummary(
        phase=Phase.CONCEPT,
        start_on=periods.concept_start_on,
        end_on=periods.concept_end_on,
        years=_phase_years(periods.concept_start_on, periods.concept_end_on, by_year),
        grantees=grantees,
        projects=(),
        by_year={
            year: Capped(figures, caps.concept_annual_cap_amount)
            for year, figures in by_year.items()
        },
        total=Capped(
            sum_figures(by_year.values()),
            caps.concept_annual_cap_amount * caps.concept_max_years,
        ),
    )


def _project_blocks(
    projects: Sequence[RDProject],
    partners: Mapping[int, Sequence[ProjectPartner]],
    lines: Sequence[BudgetLine],
    terms: Mapping[int, GranteeTerms],
    caps: Caps,
) -> list[ProjectBlock]:
    """Each R&D project with its partners (the lead first) and its grantees' figures."""
    lines_by_project: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        if line.phase == Phase.IMPLEMENTATION and line.rd_project_id is not None:
            lines_by_project[line.rd_project_id].append(line)
    blocks = []
    for project in projects:
        project_partners = partners.get(project.pk, ())
        grantees = _grantee_blocks(lines_by_project.get(project.pk, ()), terms, caps)
        by_year = _years_of(grantees)
        blocks.append(
            ProjectBlock(
                project=project,
                partners=[partner.organisation for partner in project_partners],
                lead_partner=next((p.organisation for p in project_partners if p.is_lead), None),
                grantees=grantees,
                by_year=by_year,
                total=sum_figures(by_year.values()),
            )
        )
    return blocks


def _implementation_summary(
    periods: Periods, projects: Sequence[ProjectBlock], caps: Caps
) -> PhaseSummary:
    """The implementation phase: its projects' figures under one cap for the whole phase."""
    by_year = _years_of(projects)
    return PhaseSummary(
        phase=Phase.IMPLEMENTATION,
        start_on=periods.implementation_start_on,
        end_on=periods.implementation_end_on,
        years=_phase_years(periods.implementation_start_on, periods.implementation_end_on, by_year),
        grantees=(),
        projects=projects,
        by_year={year: Capped(figures) for year, figures in by_year.items()},
        total=Capped(sum_figures(by_year.values()), caps.implementation_cap_amount),
    )


def build_summary(
    *,
    application_id: int,
    periods: Periods,
    management_organisation: Organisation,
    caps: Caps,
    lines: Sequence[BudgetLine],
    terms: Mapping[int, GranteeTerms],
    projects: Sequence[RDProject],
    partners: Mapping[int, Sequence[ProjectPartner]],
) -> BudgetSummary:
    """All figures of one application's budget, and every rule its budget breaks."""
    concept = _concept_summary(periods, lines, terms, caps)
    implementation = _implementation_summary(
        periods, _project_blocks(projects, partners, lines, terms, caps), caps
    )
    summary = BudgetSummary(
        application_id=application_id,
        caps=caps,
        concept=concept,
        implementation=implementation,
        total=Capped(concept.total.figures + implementation.total.figures, caps.cluster_cap_amount),
    )
    violations = check_rules(
        summary=summary,
        lines=lines,
        terms=terms,
        management_organisation=management_organisation,
    )
    return replace(summary, violations=violations)


def check_rules(
    *,
    summary: BudgetSummary,
    lines: Sequence[BudgetLine],
    terms: Mapping[int, GranteeTerms],
    management_organisation: Organisation,
) -> list[Violation]:
    """Every budget rule the summary breaks. Each accepted write leaves this list empty."""
    caps = summary.caps
    found: list[Violation] = []
    found += _concept_violations(summary.concept, caps, management_organisation)
    found += _implementation_violations(summary.implementation, caps)
    found += _line_violations(lines, terms)
    found += _terms_violations(terms.values(), caps)
    if summary.total.figures.funding_amount > caps.cluster_cap_amount:
        found.append(
            Violation(
                Rule.CLUSTER_CAP,
                "application",
                limit=caps.cluster_cap_amount,
                actual=summary.total.figures.funding_amount,
                unit=Unit.EUR,
            )
        )
    return found


def project_scope(project: RDProject) -> str:
    """Where a project's violation is; a project being added has no id yet, so it is "new"."""
    return f"project:{'new' if project.pk is None else project.pk}"


def _format_years(years: Iterable[int]) -> str:
    return ", ".join(str(year) for year in years)


def _year_outside(phase: PhaseSummary, year: int) -> Violation | None:
    if phase.start_on.year <= year <= phase.end_on.year:
        return None
    return Violation(
        Rule.YEAR_OUTSIDE_PHASE,
        str(year),
        params={
            "phase": phase.phase.label,
            "start": day(phase.start_on),
            "end": day(phase.end_on),
        },
    )


def _phase_length(phase: PhaseSummary, max_years: int) -> Violation | None:
    """A phase of at most N years ends before the same day N years after it starts."""
    start = phase.start_on
    if phase.end_on < add_years(start, max_years):
        return None
    return Violation(
        Rule.PHASE_TOO_LONG,
        str(phase.phase),
        limit=max_years,
        unit=Unit.YEARS,
        params={
            "phase": phase.phase.label,
            "start": day(start),
            "end": day(phase.end_on),
        },
    )


def _concept_violations(
    concept: PhaseSummary, caps: Caps, management_organisation: Organisation
) -> list[Violation]:
    found: list[Violation] = []
    # A year whose lines are all 0.00 asks for no money, so it is no concept year.
    budget_years = sorted(
        year for year, capped in concept.by_year.items() if capped.figures.eligible_amount > 0
    )
    if len(budget_years) > caps.concept_max_years:
        found.append(
            Violation(
                Rule.CONCEPT_MAX_YEARS,
                "concept",
                limit=caps.concept_max_years,
                actual=len(budget_years),
                unit=Unit.YEARS,
                params={"years": _format_years(budget_years)},
            )
        )
    if budget_years and budget_years[-1] - budget_years[0] + 1 != len(budget_years):
        found.append(
            Violation(
                Rule.CONCEPT_YEARS_CONSECUTIVE,
                "concept",
                params={"years": _format_years(budget_years)},
            )
        )
    for year, capped in concept.by_year.items():
        if outside := _year_outside(concept, year):
            found.append(outside)
        if capped.figures.funding_amount > caps.concept_annual_cap_amount:
            found.append(
                Violation(
                    Rule.CONCEPT_ANNUAL_CAP,
                    str(year),
                    limit=caps.concept_annual_cap_amount,
                    actual=capped.figures.funding_amount,
                    unit=Unit.EUR,
                )
            )
    for block in concept.grantees:
        if block.organisation.pk != management_organisation.pk:
            found.append(
                Violation(
                    Rule.CONCEPT_GRANTEE,
                    f"organisation:{block.organisation.pk}",
                    params={
                        "expected": management_organisation.name,
                        "grantee": block.organisation.name,
                    },
                )
            )
    if too_long := _phase_length(concept, caps.concept_max_years):
        found.append(too_long)
    return found


def _implementation_violations(implementation: PhaseSummary, caps: Caps) -> list[Violation]:
    found: list[Violation] = []
    if len(implementation.projects) > caps.max_rd_projects:
        found.append(
            Violation(
                Rule.IMPLEMENTATION_MAX_PROJECTS,
                "implementation",
                limit=caps.max_rd_projects,
                actual=len(implementation.projects),
                unit=Unit.COUNT,
            )
        )
    if implementation.total.figures.funding_amount > caps.implementation_cap_amount:
        found.append(
            Violation(
                Rule.IMPLEMENTATION_CAP,
                "implementation",
                limit=caps.implementation_cap_amount,
                actual=implementation.total.figures.funding_amount,
                unit=Unit.EUR,
            )
        )
    if too_long := _phase_length(implementation, caps.implementation_max_years):
        found.append(too_long)
    for year in implementation.by_year:
        if outside := _year_outside(implementation, year):
            found.append(outside)
    for block in implementation.projects:
        project = block.project
        if project.start_month < implementation.start_on.replace(day=1) or (
            project.end_month > implementation.end_on
        ):
            found.append(
                Violation(
                    Rule.PROJECT_OUTSIDE_PHASE,
                    project_scope(project),
                    params={
                        "project": project.title,
                        "start": month(project.start_month),
                        "end": month(project.end_month),
                        "phase_start": day(implementation.start_on),
                        "phase_end": day(implementation.end_on),
                    },
                )
            )
        partner_ids = {organisation.pk for organisation in block.partners}
        for grantee in block.grantees:
            if grantee.organisation.pk not in partner_ids:
                found.append(
                    Violation(
                        Rule.GRANTEE_NOT_PROJECT_PARTNER,
                        project_scope(project),
                        params={"grantee": grantee.organisation.name, "project": project.title},
                    )
                )
        for year in block.by_year:
            if not project.start_month.year <= year <= project.end_month.year:
                found.append(
                    Violation(
                        Rule.YEAR_OUTSIDE_PROJECT,
                        project_scope(project),
                        params={
                            "year": year,
                            "project": project.title,
                            "start": month(project.start_month),
                            "end": month(project.end_month),
                        },
                    )
                )
    return found


def _line_violations(
    lines: Iterable[BudgetLine], terms: Mapping[int, GranteeTerms]
) -> list[Violation]:
    found: dict[tuple[str, str], Violation] = {}
    for line in lines:
        grantee = line.grantee
        if not grantee.is_german:
            key = (Rule.PARTNER_ABROAD_FUNDED, f"organisation:{grantee.pk}")
            found.setdefault(
                key,
                Violation(
                    Rule.PARTNER_ABROAD_FUNDED,
                    key[1],
                    params={"grantee": grantee.name, "country": grantee.country.code},
                ),
            )
        grantee_terms = terms.get(line.grantee_id)
        if grantee_terms is not None and line.position.basis != grantee_terms.basis:
            key = (Rule.POSITION_BASIS, f"organisation:{grantee.pk}:{line.position.code}")
            found.setdefault(
                key,
                Violation(
                    Rule.POSITION_BASIS,
                    key[1],
                    params={
                        "code": line.position.code,
                        "position_basis": line.position.basis,
                        "grantee": grantee.name,
                        "basis": grantee_terms.basis,
                    },
                ),
            )
    return list(found.values())


def _terms_violations(terms: Iterable[GranteeTerms], caps: Caps) -> list[Violation]:
    found: list[Violation] = []
    for grantee_terms in terms:
        organisation = grantee_terms.organisation
        scope = f"organisation:{organisation.pk}"
        if not organisation.is_german and grantee_terms.funding_rate > 0:
            found.append(
                Violation(
                    Rule.PARTNER_ABROAD_FUNDED,
                    scope,
                    params={"grantee": organisation.name, "country": organisation.country.code},
                )
            )
        elif grantee_terms.funding_rate > caps.max_funding_rate:
            found.append(
                Violation(
                    Rule.FUNDING_RATE_ABOVE_MAXIMUM,
                    scope,
                    limit=caps.max_funding_rate,
                    actual=grantee_terms.funding_rate,
                    unit=Unit.PERCENT,
                    params={"grantee": organisation.name},
                )
            )
        if grantee_terms.has_projektpauschale and (
            grantee_terms.basis != "AZA" or organisation.legal_form != "university"
        ):
            found.append(
                Violation(
                    Rule.PROJEKTPAUSCHALE_NOT_APPLICABLE,
                    scope,
                    params={"grantee": organisation.name},
                )
            )
    return found


def plan_gaps(summary: BudgetSummary, phase: str) -> list[Violation]:
    """What a phase's plan still lacks before it can be proposed or started (not cap breaches)."""
    gaps: list[Violation] = []
    phase_summary = summary.phase(phase)
    if phase == Phase.IMPLEMENTATION:
        if not phase_summary.projects:
            gaps.append(Violation(Rule.NO_RD_PROJECTS, "implementation"))
        for block in phase_summary.projects:
            funded = {g.organisation.pk for g in block.grantees if g.total.funding_amount > 0}
            scope = project_scope(block.project)
            params = {"project": block.project.title}
            if not any(o.is_german and o.pk in funded for o in block.partners):
                gaps.append(
                    Violation(Rule.PROJECT_WITHOUT_FUNDED_GERMAN_PARTNER, scope, params=params)
                )
            if not any(not o.is_german for o in block.partners):
                gaps.append(Violation(Rule.PROJECT_WITHOUT_PARTNER_ABROAD, scope, params=params))
    if phase_summary.is_empty:
        gaps.append(Violation(Rule.BUDGET_EMPTY, phase, params={"phase": Phase(phase).label}))
    return gaps
