"""The rules a change request keeps, as transition conditions that say why they refuse.

Each guard lists its refusals with the numbers; the services run them under the application's
row lock when a proposal is saved, submitted and approved. The budget rules are the budget
engine's own (``budgets.plan.check_plan``, ``budgets.violations``): a proposal that breaks a cap
is refused with the same numbered message as any budget write.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from budgets.grantees import ZERO, grantee_grants
from budgets.models import Phase
from kernel.dates import format_day
from kernel.money import format_eur

from .proposal import END_FIELDS, approved_phases, proposal_of

if TYPE_CHECKING:
    from .models import ChangeRequest

NOT_APPROVED = gettext_noop(
    "Change requests are for approved plans; the application is %(state)s, so no phase's plan "
    "is approved."
)
PHASE_NOT_APPROVED = gettext_noop(
    "The plan of the %(phase)s is not approved; it is changed on the budget pages, not by a "
    "change request."
)
CHANGES_NOTHING = gettext_noop(
    "The proposal changes nothing: give new amounts or a new end of a phase."
)
NOT_COST_NEUTRAL = gettext_noop(
    "A change request is cost-neutral: the plan's total funding is %(current)s, the proposal's "
    "%(proposed)s, %(difference)s different."
)
BELOW_DRAWN = gettext_noop(
    "%(grantee)s: the proposal leaves %(approved)s for %(year)s, but %(drawn)s of it is "
    "requested already, %(excess)s more."
)
ENDS_BEFORE_START = gettext_noop(
    "The %(phase)s cannot end on %(end)s, before it starts on %(start)s."
)


class Guard:
    """A named condition of a change request transition that can list its refusals."""

    def __init__(self, refusals: Callable[["ChangeRequest"], list[Refusal]]) -> None:
        self.refusals = refusals
        self.__name__ = refusals.__name__
        self.__doc__ = refusals.__doc__

    def __call__(self, change_request: Any) -> bool:  # django-fsm passes any model
        return not self.refusals(change_request)


@Guard
def plan_is_approved(change_request: "ChangeRequest") -> list[Refusal]:
    """Some phase's plan of the application is approved."""
    application = change_request.application
    if approved_phases(application):
        return []
    return [Refusal("not_approved", _(NOT_APPROVED) % {"state": application.get_state_display()})]


@Guard
def changes_only_approved_phases(change_request: "ChangeRequest") -> list[Refusal]:
    """Lines and end dates change only in phases whose plan is approved."""
    approved = approved_phases(change_request.application)
    if not approved:
        return []  # plan_is_approved says why
    proposal = proposal_of(change_request)
    touched = {line.phase for line in proposal.lines} | {date.phase for date in proposal.dates}
    return [
        Refusal("phase_not_approved", _(PHASE_NOT_APPROVED) % {"phase": Phase(phase).label})
        for phase in sorted(touched - set(approved))
    ]


@Guard
def changes_something(change_request: "ChangeRequest") -> list[Refusal]:
    """A proposal differs from the plan."""
    if proposal_of(change_request).changes_nothing:
        return [Refusal("changes_nothing", _(CHANGES_NOTHING))]
    return []


@Guard
def phases_end_after_start(change_request: "ChangeRequest") -> list[Refusal]:
    """A new end of a phase is not before its start."""
    periods = proposal_of(change_request).periods
    refusals = []
    for phase, name in END_FIELDS.items():
        start, end = getattr(periods, name.replace("_end_", "_start_")), getattr(periods, name)
        if end < start:
            params = {"phase": Phase(phase).label, "end": format_day(end)}
            params["start"] = format_day(start)
            refusals.append(Refusal("ends_before_start", _(ENDS_BEFORE_START) % params))
    return refusals


@Guard
def is_cost_neutral(change_request: "ChangeRequest") -> list[Refusal]:
    """Moving money and extending a phase cost nothing: the total funding stays the same."""
    proposal = proposal_of(change_request)
    current, proposed = proposal.current_funding_amount, proposal.proposed_funding_amount
    if current == proposed:
        return []
    params = {
        "current": format_eur(current),
        "proposed": format_eur(proposed),
        "difference": format_eur(abs(proposed - current)),
    }
    return [Refusal("not_cost_neutral", _(NOT_COST_NEUTRAL) % params)]


@Guard
def keeps_what_is_drawn(change_request: "ChangeRequest") -> list[Refusal]:
    """A year's drawdowns never exceed its approved grant, in the new version too: the money
    requested already (submitted and later, not refused) stays covered. The drawdowns live
    beside this app and are read through the reverse relation."""
    drawn = change_request.application.drawdown_requests.drawn_by_grantee_year()
    if not drawn:
        return []
    grants = {
        grant.key: grant for grant in grantee_grants(proposal_of(change_request).check.summary)
    }
    refusals = []
    for (phase, project, grantee, year), amount in sorted(drawn.items(), key=str):
        grant = grants.get((phase, project, grantee))
        approved = grant.approved_amount(year) if grant is not None else ZERO
        if amount <= approved:
            continue
        name = grant.organisation.name if grant is not None else str(grantee)
        params = {
            "grantee": name,
            "year": year,
            "approved": format_eur(approved),
            "drawn": format_eur(amount),
            "excess": format_eur(amount - approved),
        }
        refusals.append(Refusal("below_drawn", _(BELOW_DRAWN) % params))
    return refusals


@Guard
def keeps_budget_rules(change_request: "ChangeRequest") -> list[Refusal]:
    """Every cap and rule of the budget engine holds for the proposed plan."""
    return [Refusal.of_violation(v) for v in proposal_of(change_request).check.violations]


# In this order: a refusal for a plan that is not approved comes before the arithmetic.
PROPOSAL_GUARDS = (
    plan_is_approved,
    changes_only_approved_phases,
    changes_something,
    phases_end_after_start,
    is_cost_neutral,
    keeps_what_is_drawn,
    keeps_budget_rules,
)
