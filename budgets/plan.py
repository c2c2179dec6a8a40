"""A budget plan, and the one check of a change proposed to it: pure, no database.

``check_plan`` takes an application's plan as it is (``budgets.selectors.budget_plan`` loads it in
a fixed number of queries) and a proposal: lines to write and delete, grantee terms to set, R&D
projects and their partners to add, change or delete, the phases' periods. It returns the plan
as it would be, its summary with every figure, and every rule it would break. The services ask it
under the application's row lock before they write, and write only a clean proposal; the grid
preview, the import preview and the admin get their answer from the same services or the same
function, so what they show is what the write would do, and nothing is written to find out.
"""

from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from programmes.models import Basis, FundingRateDefault, LegalForm, Organisation

from .models import BudgetLine, BudgetPosition, GranteeTerms, ProjectPartner, RDProject
from .summary import BudgetSummary, Caps, Periods, build_summary
from .violations import BudgetRuleError, Violation

RateDefaults = Mapping[tuple[str, str], FundingRateDefault]  # by legal form and size class


@dataclass(frozen=True)
class LineInput:
    """A budget line as a writer describes it; the key is (phase, project, grantee, year,
    position)."""

    phase: str
    grantee: Organisation
    year: int
    position: BudgetPosition
    eligible_amount: Decimal
    rd_project: RDProject | None = None
    justification: str = ""


@dataclass(frozen=True)
class Plan:
    """Everything the budget rules read of one application, loaded: lines (with grantee,
    position and R&D project), grantee terms by organisation, R&D projects with their partners
    (by project, the lead first), the programme's caps and its default funding terms."""

    application_id: int
    periods: Periods
    management_organisation: Organisation
    caps: Caps
    lines: Sequence[BudgetLine]
    terms: Mapping[int, GranteeTerms]
    projects: Sequence[RDProject]
    partners: Mapping[int, Sequence[ProjectPartner]]
    rate_defaults: RateDefaults

    def terms_of(self, organisation: Organisation) -> GranteeTerms:
        """The organisation's terms, or those its first budget line would give it."""
        return self.terms.get(organisation.pk) or default_terms(
            organisation,
            application_id=self.application_id,
            default=self.rate_defaults.get((organisation.legal_form, organisation.size_class)),
            max_funding_rate=self.caps.max_funding_rate,
        )

    def default_rate_of(self, organisation: Organisation) -> Decimal | None:
        """The programme's default funding rate for the organisation's legal form and size
        class (at most the programme's maximum), or None where the programme sets none."""
        default = self.rate_defaults.get((organisation.legal_form, organisation.size_class))
        return None if default is None else min(default.funding_rate, self.caps.max_funding_rate)


@dataclass(frozen=True)
class PlanCheck:
    """A proposal checked: the plan it would give, that plan's summary, the rules it breaks."""

    plan: Plan
    summary: BudgetSummary

    @property
    def violations(self) -> Sequence[Violation]:
        return self.summary.violations


class PlanRefused(BudgetRuleError):
    """A write refused for the budget rules its result would break; nothing was written.
    ``check`` has the figures the write would have given."""

    def __init__(self, check: PlanCheck) -> None:
        super().__init__(check.violations)
        self.check = check


def default_terms(
    organisation: Organisation,
    *,
    application_id: int,
    default: FundingRateDefault | None,
    max_funding_rate: Decimal,
) -> GranteeTerms:
    """The terms an organisation gets with its first line or partnership: the programme's
    default for its legal form and size (at most the programme's maximum rate), else the
    basis of its legal form at rate 0. Partners abroad always get rate 0."""
    basis = (
        default.basis
        if default
        else (Basis.AZA if organisation.legal_form == LegalForm.UNIVERSITY else Basis.AZK)
    )
    rate = min(default.funding_rate, max_funding_rate) if default else Decimal(0)
    return GranteeTerms(
        application_id=application_id,
        organisation=organisation,
        basis=basis,
        funding_rate=rate if organisation.is_german else Decimal(0),
        has_projektpauschale=bool(default and default.has_projektpauschale),
    )


def line_key(line: BudgetLine | LineInput) -> tuple[Any, ...]:
    """A line's key: phase, R&D project, grantee, year and position (ids)."""
    project = line.rd_project.pk if line.rd_project is not None else None
    return (line.phase, project, line.grantee.pk, line.year, line.position.pk)


def line_order(line: BudgetLine, projects: Mapping[int, RDProject]) -> tuple[Any, ...]:
    """``BudgetLine.Meta.ordering`` in Python: phase, project (by start), grantee (by name),
    position (by basis and code), year; so a proposal lists its lines as the stored ones."""
    project = projects.get(line.rd_project_id) if line.rd_project_id is not None else None
    return (
        line.phase,
        (project.start_month, project.pk) if project is not None else (),
        line.grantee.name,
        line.position.basis,
        line.position.code,
        line.year,
    )


def summarise(plan: Plan) -> BudgetSummary:
    """Every figure of the plan, and every rule it breaks."""
    return build_summary(
        application_id=plan.application_id,
        periods=plan.periods,
        management_organisation=plan.management_organisation,
        caps=plan.caps,
        lines=plan.lines,
        terms=plan.terms,
        projects=plan.projects,
        partners=plan.partners,
    )


def check_plan(
    current: Plan,
    *,
    writes: Sequence[LineInput] = (),
    deletes: Iterable[BudgetLine] = (),
    terms: Iterable[GranteeTerms] = (),
    projects: Iterable[RDProject] = (),
    deleted_projects: Iterable[RDProject] = (),
    partners: Mapping[int, Sequence[ProjectPartner]] | None = None,
    periods: Periods | None = None,
) -> PlanCheck:
    """The plan ``current`` would become, with its summary and the rules it would break.

    ``deletes`` are stored lines (by id); a write replaces the line with its key, else adds one,
    and gives a grantee without terms the programme's defaults (as the write does). ``terms``
    replace an organisation's terms; ``projects`` replace the project with their id or add one
    (no id); ``deleted_projects`` go with their lines and partners; ``partners`` are a
    project's partners as they would be; ``periods`` the phases' new periods. Touches no
    database: every object it reads is loaded, and ``current`` is left as it is.
    """
    proposed_projects = _proposed_projects(current.projects, projects, deleted_projects)
    proposed = replace(
        current,
        periods=periods or current.periods,
        lines=_proposed_lines(current, writes, deletes, proposed_projects),
        terms=_proposed_terms(current, terms, writes),
        projects=proposed_projects,
        partners=_proposed_partners(current.partners, partners or {}, proposed_projects),
    )
    return PlanCheck(proposed, summarise(proposed))


def _proposed_projects(
    current: Sequence[RDProject], changed: Iterable[RDProject], deleted: Iterable[RDProject]
) -> list[RDProject]:
    gone = {project.pk for project in deleted}
    by_pk: dict[int | None, RDProject] = {p.pk: p for p in current if p.pk not in gone}
    added: list[RDProject] = []
    for project in changed:
        if project.pk is None:
            added.append(project)
        else:
            by_pk[project.pk] = project
    # ``RDProject.Meta.ordering``: by start month, then id (a new one is written last).
    return sorted(
        [*by_pk.values(), *added],
        key=lambda p: (p.start_month, p.pk is None, p.pk or 0),
    )


def _proposed_lines(
    current: Plan,
    writes: Sequence[LineInput],
    deletes: Iterable[BudgetLine],
    projects: Sequence[RDProject],
) -> list[BudgetLine]:
    projects_by_pk = {project.pk: project for project in projects if project.pk is not None}
    gone = {line.pk for line in deletes}
    lines = {
        line_key(line): line
        for line in current.lines
        if line.pk not in gone
        and (line.rd_project_id is None or line.rd_project_id in projects_by_pk)
    }
    for item in writes:
        key = line_key(item)
        stored = lines.get(key)
        if stored is None:
            lines[key] = BudgetLine(
                application_id=current.application_id,
                phase=item.phase,
                rd_project=item.rd_project,
                grantee=item.grantee,
                year=item.year,
                position=item.position,
                eligible_amount=item.eligible_amount,
                justification=item.justification,
            )
        else:  # the stored line with the write's values; the stored one stays as it is
            lines[key] = copy(stored)
            lines[key].eligible_amount = item.eligible_amount
            lines[key].justification = item.justification
    return sorted(lines.values(), key=lambda line: line_order(line, projects_by_pk))


def _proposed_terms(
    current: Plan, terms: Iterable[GranteeTerms], writes: Sequence[LineInput]
) -> dict[int, GranteeTerms]:
    proposed = dict(current.terms)
    for item in terms:
        proposed[item.organisation_id] = item
    for write in writes:
        if write.grantee.pk not in proposed:
            proposed[write.grantee.pk] = current.terms_of(write.grantee)
    return proposed


def _proposed_partners(
    current: Mapping[int, Sequence[ProjectPartner]],
    changed: Mapping[int, Sequence[ProjectPartner]],
    projects: Sequence[RDProject],
) -> dict[int, Sequence[ProjectPartner]]:
    kept = {project.pk for project in projects}
    proposed = {pk: partners for pk, partners in current.items() if pk in kept}
    for pk, partners in changed.items():
        # The selector's order: the lead first, then by name.
        proposed[pk] = sorted(partners, key=lambda p: (not p.is_lead, p.organisation.name))
    return proposed
