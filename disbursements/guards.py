"""The rules a drawdown request keeps, as transition conditions that say why they refuse.

Each guard is a django-fsm condition (true when the request may go ahead) and lists its
refusals with the numbers. The service runs them under the application's row lock, on saving a
draft and on submitting it; the approved grant comes from the budget summary
(``budgets.grantees``).
"""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.states import State
from budgets.grantees import ZERO, GranteeGrant, grantee_grant
from budgets.models import Phase
from budgets.selectors import budget_summary
from kernel import clock
from kernel.dates import format_day
from kernel.money import format_eur
from programmes.models import Basis

from .statements import interim_statement_overdue
from .states import COUNTED_STATES

if TYPE_CHECKING:
    from .models import DrawdownRequest

PHASE_NOT_RUNNING = gettext_noop(
    "Drawdowns for the %(phase)s are possible only while it runs; the application is %(state)s."
)
NOT_A_GRANTEE = gettext_noop("%(grantee)s has no approved grant in the %(phase)s.")
PERIOD_OUTSIDE_PHASE = gettext_noop(
    "The period %(start)s to %(end)s lies outside the %(phase)s (%(phase_start)s to %(phase_end)s)."
)
PERIOD_OUTSIDE_YEAR = gettext_noop(
    "The period %(start)s to %(end)s lies outside the calendar year %(year)s."
)
YEAR_CLOSED = gettext_noop(
    "The year %(year)s was closed on %(closed)s; its unused grant has lapsed."
)
SPEND_BY_MISSING = gettext_noop(
    "%(grantee)s accounts on the expenditure basis (AZA): give the day by which the money will "
    "be spent."
)
SPEND_BY_TOO_LATE = gettext_noop(
    "On the expenditure basis (AZA) money is spent within %(days)s days of payment, by "
    "%(latest)s at the latest; the request says %(spend_by)s."
)
PERIOD_NOT_PAST = gettext_noop(
    "On the cost basis (AZK) only costs already incurred are requested: the period ends on "
    "%(end)s, which is not before today (%(today)s)."
)
NO_AMOUNTS = gettext_noop("The request needs at least one position with an amount above zero.")
AMOUNT_NOT_POSITIVE = gettext_noop("The amount of position %(position)s must be above zero.")
POSITION_NOT_IN_BUDGET = gettext_noop(
    "Position %(position)s is not in the approved budget of %(grantee)s."
)
OVER_GRANT = gettext_noop(
    "%(grantee)s: the approved grant for %(year)s is %(approved)s, %(drawn)s of it is requested "
    "already, so %(remaining)s remain; this request asks for %(amount)s, %(excess)s too much."
)
STATEMENT_OVERDUE = gettext_noop(
    "%(grantee)s's interim statement is overdue: no drawdowns until it is received."
)

RUNNING_STATES = {
    Phase.CONCEPT: (State.CONCEPT_PHASE, State.IMPLEMENTATION_PROPOSED, State.IMPLEMENTATION_PHASE),
    Phase.IMPLEMENTATION: (State.IMPLEMENTATION_PHASE,),
}
# The application states in which some phase runs, so its grantees may draw down.
RUNNING_APPLICATION_STATES = tuple(
    dict.fromkeys(s for states in RUNNING_STATES.values() for s in states)
)


class Guard:
    """A named condition of a drawdown transition that can list its refusals."""

    def __init__(self, refusals: Callable[["DrawdownRequest"], list[Refusal]]) -> None:
        self.refusals = refusals
        self.__name__ = refusals.__name__
        self.__doc__ = refusals.__doc__

    def __call__(self, request: Any) -> bool:  # django-fsm passes any model
        return not self.refusals(request)


def today() -> date:
    return timezone.localdate(clock.now())


def year_closes_on(year: int, grace_days: int) -> date:
    """The last day a year's money may be drawn down."""
    return date(year, 12, 31) + timedelta(days=grace_days)


def grant_of(request: "DrawdownRequest") -> GranteeGrant | None:
    """The grantee's approved grant, from the summary of the application's budget. The budget
    is frozen once a phase runs, so one summary serves every guard of one check."""
    cached: GranteeGrant | bool | None = getattr(request, "_grantee_grant", False)
    if cached is False:
        summary = budget_summary(request.application)
        key = (request.phase, request.rd_project_id, request.grantee_id)
        cached = grantee_grant(summary, key)
        request._grantee_grant = cached  # type: ignore[attr-defined]
    assert cached is not True
    return cached


def drawn_amount(request: "DrawdownRequest") -> Decimal:
    """What the grantee's other requests of the year ask for: submitted and later, not refused."""
    others = request.application.drawdown_requests.filter(
        phase=request.phase,
        rd_project_id=request.rd_project_id,
        grantee_id=request.grantee_id,
        year=request.year,
        state__in=COUNTED_STATES,
    ).exclude(pk=request.pk)
    total: Decimal = others.aggregate(total=Coalesce(Sum("positions__amount"), ZERO))["total"]
    return total


@Guard
def phase_is_running(request: "DrawdownRequest") -> list[Refusal]:
    """Only for running phases: the concept phase once started, the implementation phase once
    approved (and neither after completion)."""
    application = request.application
    if application.state in RUNNING_STATES[Phase(request.phase)]:
        return []
    context = {"phase": Phase(request.phase).label, "state": application.get_state_display()}
    return [Refusal("phase_not_running", _(PHASE_NOT_RUNNING) % context)]


@Guard
def grantee_is_funded(request: "DrawdownRequest") -> list[Refusal]:
    """The grantee has an approved grant in that phase (and project), and the positions asked
    for are in its budget."""
    grant = grant_of(request)
    context = {"grantee": request.grantee.name, "phase": Phase(request.phase).label}
    if grant is None:
        return [Refusal("not_a_grantee", _(NOT_A_GRANTEE) % context)]
    return [
        Refusal("position_not_in_budget", _(POSITION_NOT_IN_BUDGET) % {**context, "position": p})
        for p in request.position_codes_outside(grant.position_ids)
    ]


@Guard
def period_inside_phase(request: "DrawdownRequest") -> list[Refusal]:
    """The period lies inside the phase and inside the request's calendar year."""
    application = request.application
    if request.phase == Phase.CONCEPT:
        phase_start, phase_end = application.concept_start_on, application.concept_end_on
    else:
        phase_start, phase_end = (
            application.implementation_start_on,
            application.implementation_end_on,
        )
    start, end = request.period_start_on, request.period_end_on
    context = {"start": format_day(start), "end": format_day(end), "year": request.year}
    refusals = []
    if start < phase_start or end > phase_end:
        context |= {
            "phase": Phase(request.phase).label,
            "phase_start": format_day(phase_start),
            "phase_end": format_day(phase_end),
        }
        refusals.append(Refusal("period_outside_phase", _(PERIOD_OUTSIDE_PHASE) % context))
    if start.year != request.year or end.year != request.year:
        refusals.append(Refusal("period_outside_year", _(PERIOD_OUTSIDE_YEAR) % context))
    return refusals


@Guard
def year_is_open(request: "DrawdownRequest") -> list[Refusal]:
    """A year's money may be drawn down until the programme's grace days after its end."""
    closes_on = year_closes_on(
        request.year, request.application.round.programme.drawdown_grace_days
    )
    if today() <= closes_on:
        return []
    context = {"year": request.year, "closed": format_day(closes_on)}
    return [Refusal("year_closed", _(YEAR_CLOSED) % context)]


@Guard
def timing_fits_basis(request: "DrawdownRequest") -> list[Refusal]:
    """AZA: the money is spent within the programme's days (42) of payment, which is today at
    the earliest. AZK: only costs already incurred, for a period that has ended."""
    grant = grant_of(request)
    if grant is None:
        return []  # grantee_is_funded says why
    now = today()
    if grant.basis == Basis.AZK:
        if request.period_end_on < now:
            return []
        past = {"end": format_day(request.period_end_on), "today": format_day(now)}
        return [Refusal("period_not_past", _(PERIOD_NOT_PAST) % past)]
    if request.spend_by_on is None:
        return [Refusal("spend_by_missing", _(SPEND_BY_MISSING) % {"grantee": grant.organisation})]
    days = request.application.round.programme.aza_spend_days
    latest = now + timedelta(days=days)
    if request.spend_by_on <= latest:
        return []
    context: dict[str, object] = {
        "days": days,
        "latest": format_day(latest),
        "spend_by": format_day(request.spend_by_on),
    }
    return [Refusal("spend_by_too_late", _(SPEND_BY_TOO_LATE) % context)]


@Guard
def amounts_are_positive(request: "DrawdownRequest") -> list[Refusal]:
    """At least one position, each above zero."""
    amounts = request.amounts_by_code()
    if not amounts:
        return [Refusal("no_amounts", _(NO_AMOUNTS))]
    return [
        Refusal("amount_not_positive", _(AMOUNT_NOT_POSITIVE) % {"position": code})
        for code, amount in amounts.items()
        if amount <= 0
    ]


@Guard
def within_approved_grant(request: "DrawdownRequest") -> list[Refusal]:
    """A year's requests (submitted and later, not refused) never exceed the grantee's approved
    grant of that year, Projektpauschale included."""
    grant = grant_of(request)
    if grant is None:
        return []
    approved = grant.approved_amount(request.year)
    drawn = drawn_amount(request)
    amount = request.requested_amount()
    if drawn + amount <= approved:
        return []
    context = {
        "grantee": request.grantee.name,
        "year": request.year,
        "approved": format_eur(approved),
        "drawn": format_eur(drawn),
        "remaining": format_eur(approved - drawn),
        "amount": format_eur(amount),
        "excess": format_eur(drawn + amount - approved),
    }
    return [Refusal("over_grant", _(OVER_GRANT) % context)]


@Guard
def no_interim_statement_overdue(request: "DrawdownRequest") -> list[Refusal]:
    """An overdue interim statement blocks further drawdowns of that grantee."""
    key = (request.phase, request.rd_project_id, request.grantee_id)
    if not interim_statement_overdue(request.application_id, key):
        return []
    return [Refusal("statement_overdue", _(STATEMENT_OVERDUE) % {"grantee": request.grantee.name})]


SUBMIT_GUARDS = (
    phase_is_running,
    grantee_is_funded,
    period_inside_phase,
    year_is_open,
    timing_fits_basis,
    amounts_are_positive,
    within_approved_grant,
    no_interim_statement_overdue,
)
