"""A change request's proposal as a plan: the current plan with the proposed amounts and end
dates applied in memory, checked by the budget engine's plan check (``budgets.plan``), and the
differences between the two. Nothing here writes."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from applications.states import State
from budgets.models import Phase
from budgets.plan import LineInput, Plan, PlanCheck, check_plan, line_key, summarise
from budgets.selectors import budget_plan
from budgets.summary import BudgetSummary, Periods

if TYPE_CHECKING:
    from .models import ChangeRequest

ZERO = Decimal("0.00")

# A phase's plan is approved, so changed only by a change request, in these states.
APPROVED_STATES = {
    Phase.CONCEPT: (State.CONCEPT_PHASE, State.IMPLEMENTATION_PROPOSED, State.IMPLEMENTATION_PHASE),
    Phase.IMPLEMENTATION: (State.IMPLEMENTATION_PHASE,),
}
# The application states in which some phase's plan is approved.
CHANGEABLE_STATES = tuple(dict.fromkeys(s for states in APPROVED_STATES.values() for s in states))
END_FIELDS = {Phase.CONCEPT: "concept_end_on", Phase.IMPLEMENTATION: "implementation_end_on"}


def approved_phases(application: Any) -> list[str]:
    """The phases whose plan is approved in the application's state."""
    return [str(phase) for phase, states in APPROVED_STATES.items() if application.state in states]


@dataclass(frozen=True)
class LineChange:
    """One line key whose amount the proposal changes."""

    phase: str
    project_title: str
    grantee: str
    position_code: str
    position_name: str
    year: int
    current_amount: Decimal
    proposed_amount: Decimal

    @property
    def difference_amount(self) -> Decimal:
        return self.proposed_amount - self.current_amount


@dataclass(frozen=True)
class DateChange:
    phase: str
    current_on: date
    proposed_on: date


@dataclass(frozen=True)
class Proposal:
    """The plan now and as proposed, each with its summary, and what differs."""

    current: Plan
    current_summary: BudgetSummary
    check: PlanCheck
    writes: Sequence[LineInput]
    lines: Sequence[LineChange]
    dates: Sequence[DateChange]

    @property
    def periods(self) -> Periods:
        return self.check.plan.periods

    @property
    def current_funding_amount(self) -> Decimal:
        return self.current_summary.total.figures.funding_amount

    @property
    def proposed_funding_amount(self) -> Decimal:
        return self.check.summary.total.figures.funding_amount

    @property
    def changes_nothing(self) -> bool:
        return not self.lines and not self.dates


def proposed_lines(change_request: "ChangeRequest") -> list[LineInput]:
    """The lines a service is about to write (``pending_lines``), else the stored ones."""
    pending: list[LineInput] | None = getattr(change_request, "pending_lines", None)
    if pending is not None:
        return pending
    return [
        LineInput(
            phase=row.phase,
            rd_project=row.rd_project,
            grantee=row.grantee,
            year=row.year,
            position=row.position,
            eligible_amount=row.eligible_amount,
        )
        for row in change_request.lines.select_related("rd_project", "grantee", "position")
    ]


def build_proposal(current: Plan, given: Sequence[LineInput], periods: Periods) -> Proposal:
    """The proposal against ``current``: only the amounts that differ are written (each with the
    line's justification), a key the plan lacks at zero is no line."""
    stored = {line_key(line): line for line in current.lines}
    writes, changes = [], []
    for item in given:
        line = stored.get(line_key(item))
        current_amount = line.eligible_amount if line is not None else ZERO
        if item.eligible_amount == current_amount:
            continue
        justification = line.justification if line is not None else ""
        writes.append(replace(item, justification=justification))
        changes.append(
            LineChange(
                phase=item.phase,
                project_title=item.rd_project.title if item.rd_project is not None else "",
                grantee=item.grantee.name,
                position_code=item.position.code,
                position_name=item.position.name,
                year=item.year,
                current_amount=current_amount,
                proposed_amount=item.eligible_amount,
            )
        )
    dates = [
        DateChange(str(phase), getattr(current.periods, name), getattr(periods, name))
        for phase, name in END_FIELDS.items()
        if getattr(current.periods, name) != getattr(periods, name)
    ]
    return Proposal(
        current=current,
        current_summary=summarise(current),
        check=check_plan(current, writes=writes, periods=periods),
        writes=writes,
        lines=changes,
        dates=dates,
    )


def proposal_of(change_request: "ChangeRequest") -> Proposal:
    """The change request's proposal against the live plan, computed once per object (the
    guards of one check and the page share it; a service that changes the request clears it)."""
    cached: Proposal | None = getattr(change_request, "_proposal", None)
    if cached is None:
        current = budget_plan(change_request.application)
        periods = replace(
            current.periods,
            concept_end_on=change_request.concept_end_on,
            implementation_end_on=change_request.implementation_end_on,
        )
        cached = build_proposal(current, proposed_lines(change_request), periods)
        change_request._proposal = cached  # type: ignore[attr-defined]
    return cached
