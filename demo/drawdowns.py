"""Drawdowns of the running demo applications, through the real services at dates inside their
phases: every state of a request appears, so each role sees a queue at once (the cluster
management its drafts and returned requests, the officer requests to check, the payment
officers requests to release and to pay, and paid AZA money not yet reported spent, flagged)."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from applications.models import Application
from budgets.grantees import GranteeGrant, grantee_grants
from budgets.models import BudgetPosition, Phase, RDProject
from budgets.selectors import budget_summary
from disbursements.guards import RUNNING_STATES
from disbursements.models import DrawdownRequest
from disbursements.services import (
    drawdown_create,
    drawdown_transition,
    payment_run_create,
    payment_run_mark_paid,
)
from kernel import clock
from kernel.money import round_cents
from programmes.models import Basis

SHARE = Decimal("0.05")  # each request asks for 5 % of the grantee's year
RETURN_REASON = "Please attach the invoices for the travel costs."
REFUSAL_REASON = "Costs outside the period of the request."
SPEND_DAYS = 30

# What happens to each request of a grantee: the transitions after it is entered, and whether
# it then goes into a payment run that is paid.
Story = tuple[tuple[str, ...], bool]
ALL_STATES: Sequence[Story] = (
    ((), False),  # draft
    (("submit",), False),
    (("submit", "mark_checked"), False),
    (("submit", "mark_checked", "release"), False),
    (("submit", "mark_checked", "release"), True),  # paid
    (("submit", "return_for_correction"), False),
    (("submit", "refuse"), False),
)
PAID_ONLY: Sequence[Story] = ((("submit", "mark_checked", "release"), True),)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _period(application: Application, grant: GranteeGrant, year: int) -> tuple[date, date]:
    start_on = application.concept_start_on
    end_on = application.concept_end_on
    if grant.rd_project_id is not None:
        start_on, end_on = application.implementation_start_on, application.implementation_end_on
    start = max(start_on, date(year, 1, 1))
    return start, min(start + timedelta(days=30), end_on, date(year, 12, 31))


def _request_day(grant: GranteeGrant, start: date, end: date) -> date:
    """AZA requests money for the coming weeks; AZK after the period, for costs incurred."""
    return start if grant.basis == Basis.AZA else end + timedelta(days=5)


def _grant_drawdowns(
    application: Application,
    grant: GranteeGrant,
    stories: Sequence[Story],
    act: Callable[[str], Any],
) -> int:
    """The grantee's requests of its first year with money, one per story; none if that day is
    still to come."""
    year = next((y for y, amount in sorted(grant.by_year.items()) if amount > 0), None)
    if year is None:
        return 0
    start, end = _period(application, grant, year)
    day = _request_day(grant, start, end)
    if day > timezone.localdate():
        return 0
    position = BudgetPosition.objects.get(pk=min(grant.position_ids))
    amount = round_cents(grant.approved_amount(year) * SHARE)
    project = RDProject.objects.filter(pk=grant.rd_project_id or 0).first()
    with clock.frozen_at(_moment(day)):
        for transitions, paid in stories:
            drawdown = drawdown_create(
                application=application,
                phase=grant.phase,
                rd_project=project,
                grantee=grant.organisation,
                year=year,
                period_start_on=start,
                period_end_on=end,
                spend_by_on=day + timedelta(days=SPEND_DAYS) if grant.basis == Basis.AZA else None,
                purpose=f"{grant.organisation.name}: {start:%m/%Y}",
                positions=[(position, amount)],
                by=act("manager"),
            )
            for name in transitions:
                by = act({"submit": "manager", "release": "payer"}.get(name, "officer"))
                comment = {"return_for_correction": RETURN_REASON, "refuse": REFUSAL_REASON}
                drawdown = drawdown_transition(
                    drawdown=drawdown, name=name, by=by, comment=comment.get(name, "")
                )
            if paid:
                run = payment_run_create(drawdowns=[drawdown], by=act("cashier"))
                payment_run_mark_paid(
                    run=run,
                    paid_on=day + timedelta(days=2),
                    reference=f"KASSE-{run.pk}",
                    by=act("payer"),
                )
    return len(stories)


def drawdowns_load(
    applications: Sequence[Application],
    *,
    managers: Mapping[int, Any],
    officer: Any,
    payers: tuple[Any, Any],
) -> int:
    """Requests in every state for the first grantee of each running application, a paid one
    for each other grantee; applications that have requests already are left as they are.
    ``managers``: the cluster management's user by cluster id."""
    created = 0
    for application in applications:
        manager = managers.get(application.cluster_id)
        if manager is None or DrawdownRequest.objects.filter(application=application).exists():
            continue
        people = {"manager": manager, "officer": officer, "payer": payers[0], "cashier": payers[1]}
        running = [
            grant
            for grant in grantee_grants(budget_summary(application))
            if application.state in RUNNING_STATES[Phase(grant.phase)]
        ]
        for index, grant in enumerate(running):
            stories = ALL_STATES if index == 0 else PAID_ONLY
            created += _grant_drawdowns(application, grant, stories, people.__getitem__)
    return created
