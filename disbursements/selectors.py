"""Reads of drawdowns: the transitions a user may fire, the history, the grantees' approved,
drawn and remaining grant per year, and the lists the pages and the API show."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.models import Application
from applications.selectors import TransitionOption, declared_transitions
from budgets.grantees import ZERO, grantee_grants
from budgets.selectors import budget_summaries
from programmes.models import Basis

from . import predicates
from .guards import Guard, today
from .models import DrawdownRequest, DrawdownTransition, PaymentRun
from .states import COUNTED_STATES, DrawdownState

WRONG_STATE = gettext_noop("“%(transition)s” is not possible while the request is %(state)s.")
ONLY_OFFICERS = gettext_noop("“%(transition)s” is for ministry officers only.")
ONLY_OWN_CLUSTER = gettext_noop("“%(transition)s” is for the cluster's own management only.")
ONLY_PAYMENT_OFFICERS = gettext_noop("“%(transition)s” is for payment officers only.")
FOUR_EYES = gettext_noop(
    "Four eyes: you checked this request, so someone else with the payment role releases it."
)
COMMENT_REQUIRED = gettext_noop("“%(transition)s” needs a comment that says why.")

_PERMISSION_REFUSALS = {
    predicates.is_officer_for: ONLY_OFFICERS,
    predicates.is_own_cluster_management: ONLY_OWN_CLUSTER,
    predicates.is_payment_officer_for: ONLY_PAYMENT_OFFICERS,
    predicates.is_releaser_for: ONLY_PAYMENT_OFFICERS,
}

MONEY = DecimalField(max_digits=14, decimal_places=2)


TRANSITION_NAMES = tuple(declared_transitions(DrawdownRequest))


def transition_option(drawdown: DrawdownRequest, name: str, user: Any) -> TransitionOption:
    """Whether ``user`` may fire transition ``name`` on ``drawdown`` now, and why not."""
    transition = getattr(drawdown, name)._django_fsm.get_transition(drawdown.state)
    declared = transition or declared_transitions(DrawdownRequest)[name]
    label = str(declared.custom.get("label", name))
    context = {"transition": label, "state": drawdown.get_state_display()}

    def option(*refusals: Refusal) -> TransitionOption:
        return TransitionOption(
            name=name,
            label=label,
            target=str(declared.target),
            comment_required=bool(declared.custom.get("comment_required")),
            refusals=refusals,
        )

    if transition is None:
        return option(Refusal("wrong_state", _(WRONG_STATE) % context))
    if name == "release" and drawdown.checked_by_id == getattr(user, "pk", None):
        return option(Refusal("four_eyes", _(FOUR_EYES)))
    if not transition.has_perm(drawdown, user):
        message = _PERMISSION_REFUSALS.get(transition.permission, ONLY_OFFICERS)
        return option(Refusal("not_permitted", _(message) % context))
    refusals: list[Refusal] = []
    for condition in transition.conditions:
        if isinstance(condition, Guard):
            refusals += condition.refusals(drawdown)
    return option(*refusals)


def transition_offered(drawdown: DrawdownRequest, name: str, user: Any) -> bool:
    """Whether the transition leaves the request's state and ``user`` may fire it, before the
    guards are asked (so without a query): what a list offers, four eyes included."""
    transition = getattr(drawdown, name)._django_fsm.get_transition(drawdown.state)
    return transition is not None and bool(transition.has_perm(drawdown, user))


def offered_transitions(drawdown: DrawdownRequest, user: Any) -> list[TransitionOption]:
    """The transitions a page offers this user as buttons (a payment run marks requests paid)."""
    return [
        transition_option(drawdown, name, user)
        for name in TRANSITION_NAMES
        if transition_offered(drawdown, name, user)
        and not declared_transitions(DrawdownRequest)[name].custom.get("by_payment_run")
    ]


def drawdown_history(drawdown: DrawdownRequest) -> QuerySet[DrawdownTransition]:
    return drawdown.transitions.select_related("by").order_by("at", "pk")


def with_amounts(drawdowns: QuerySet[DrawdownRequest]) -> QuerySet[DrawdownRequest]:
    """Requests with their total (``total_amount``) and what every list shows, in two queries
    however many rows (the positions come with one more when prefetched)."""
    return drawdowns.select_related(
        "application__cluster", "application__round__programme", "grantee", "rd_project"
    ).annotate(total_amount=Coalesce(Sum("positions__amount"), ZERO, output_field=MONEY))


def is_spending_overdue(drawdown: DrawdownRequest, spend_days: int, on: date) -> bool:
    """An AZA payment not reported as spent within the programme's days (42) of payment: it may
    bear interest, so officers see it flagged."""
    return (
        drawdown.state == DrawdownState.PAID
        and drawdown.spend_by_on is not None
        and drawdown.paid_on is not None
        and drawdown.spent_reported_on is None
        and on > drawdown.paid_on + timedelta(days=spend_days)
    )


def spending_overdue(drawdowns: QuerySet[DrawdownRequest]) -> QuerySet[DrawdownRequest]:
    """The paid AZA requests whose spending is not reported and whose window has passed. The
    window is the programme's, so the last day is compared per row in Python over the paid,
    unreported rows only."""
    candidates = drawdowns.filter(
        state=DrawdownState.PAID, spend_by_on__isnull=False, spent_reported_on__isnull=True
    ).select_related("application__round__programme")
    now = today()
    overdue = [
        row.pk
        for row in candidates
        if is_spending_overdue(row, row.application.round.programme.aza_spend_days, now)
    ]
    return with_amounts(drawdowns.filter(pk__in=overdue))


@dataclass(frozen=True)
class GranteeYear:
    """A grantee's approved grant of one year, what its requests ask for and what remains."""

    application: Application
    phase: str
    rd_project_id: int | None
    project_title: str
    grantee_name: str
    grantee_id: int
    basis: str
    year: int
    approved_amount: Decimal
    drawn_amount: Decimal
    paid_amount: Decimal

    @property
    def remaining_amount(self) -> Decimal:
        return self.approved_amount - self.drawn_amount

    @property
    def is_aza(self) -> bool:
        return self.basis == Basis.AZA


# (application id, phase, R&D project id or None, organisation id, year)
YearKey = tuple[int, str, int | None, int, int]


def grantee_years(applications: Sequence[Application]) -> list[GranteeYear]:
    """Every grantee's approved, drawn (submitted and later, not refused) and paid amounts per
    year of the given applications, in the budget summaries' queries plus one. Pass
    applications with ``round__programme`` and ``cluster__management_organisation`` loaded."""
    summaries = budget_summaries(applications)
    drawn: dict[YearKey, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[YearKey, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        DrawdownRequest.objects.filter(
            application__in=[a.pk for a in applications], state__in=COUNTED_STATES
        )
        .values("application_id", "phase", "rd_project_id", "grantee_id", "year", "state")
        .annotate(total=Coalesce(Sum("positions__amount"), ZERO, output_field=MONEY))
        .order_by()
    )
    for row in rows:
        key: YearKey = (
            row["application_id"],
            row["phase"],
            row["rd_project_id"],
            row["grantee_id"],
            row["year"],
        )
        drawn[key] += row["total"]
        if row["state"] == DrawdownState.PAID:
            paid[key] += row["total"]
    found = []
    for application in applications:
        for grant in grantee_grants(summaries[application.pk]):
            for year, approved in sorted(grant.by_year.items()):
                key = (
                    application.pk,
                    grant.phase,
                    grant.rd_project_id,
                    grant.organisation.pk,
                    year,
                )
                found.append(
                    GranteeYear(
                        application=application,
                        phase=grant.phase,
                        rd_project_id=grant.rd_project_id,
                        project_title=grant.project_title,
                        grantee_name=grant.organisation.name,
                        grantee_id=grant.organisation.pk,
                        basis=grant.basis,
                        year=year,
                        approved_amount=approved,
                        drawn_amount=drawn[key],
                        paid_amount=paid[key],
                    )
                )
    return found


def payment_run_rows(run: PaymentRun) -> QuerySet[DrawdownRequest]:
    """The run's requests, one payment each, in the order of the workbook."""
    return with_amounts(run.requests.all()).order_by("grantee__name", "pk")


def payment_runs_with_totals(runs: QuerySet[PaymentRun]) -> QuerySet[PaymentRun]:
    return runs.annotate(
        total_amount=Coalesce(Sum("requests__positions__amount"), ZERO, output_field=MONEY)
    )
