"""Drawdowns of an application in its concept phase at whatever day the tests run: a January
period of the phase's first year, money spent within 30 days of today (AZA, inside the 42)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from applications.models import Application
from budgets.models import Phase
from disbursements.models import DrawdownRequest, PaymentRun
from disbursements.services import (
    drawdown_create,
    drawdown_transition,
    payment_run_create,
    payment_run_mark_paid,
)
from kernel.roles import Role

from ..factories import position, user_with_role


@dataclass(frozen=True)
class DrawdownWorld:
    """A draft, a released request in an unpaid run, and a paid request in a paid run."""

    draft: DrawdownRequest
    released: DrawdownRequest
    run: PaymentRun
    paid: DrawdownRequest
    paid_run: PaymentRun
    payment_officer: Any


def concept_drawdown_fields(application: Application, amount: str = "1000.00") -> dict[str, Any]:
    """What the API and the service take for a request of the management organisation."""
    year = application.concept_start_on.year
    return {
        "phase": Phase.CONCEPT,
        "grantee": application.cluster.management_organisation,
        "year": year,
        "period_start_on": date(year, 1, 1),
        "period_end_on": date(year, 1, 31),
        "spend_by_on": date.today() + timedelta(days=30),
        "positions": [(position("AZA", "0812"), Decimal(amount))],
        "purpose": "Delegation to Grenoble",
    }


def concept_drawdown_body(application: Application, amount: str = "1000.00") -> dict[str, Any]:
    fields = concept_drawdown_fields(application, amount)
    return {
        **fields,
        "grantee": fields["grantee"].pk,
        "period_start_on": fields["period_start_on"].isoformat(),
        "period_end_on": fields["period_end_on"].isoformat(),
        "spend_by_on": fields["spend_by_on"].isoformat(),
        "positions": [{"position": p.pk, "amount": str(a)} for p, a in fields["positions"]],
    }


def released_drawdown(application: Application, *, manager: Any, officer: Any, payer: Any) -> Any:
    drawdown = drawdown_create(
        application=application, by=manager, **concept_drawdown_fields(application)
    )
    for name, by in (("submit", manager), ("mark_checked", officer), ("release", payer)):
        drawdown = drawdown_transition(drawdown=drawdown, name=name, by=by)
    return drawdown


def drawdown_world(application: Application, *, manager: Any, officer: Any) -> DrawdownWorld:
    payer = user_with_role("paula-payment", Role.PAYMENT_OFFICER)
    draft = drawdown_create(
        application=application, by=manager, **concept_drawdown_fields(application)
    )
    released = released_drawdown(application, manager=manager, officer=officer, payer=payer)
    paid = released_drawdown(application, manager=manager, officer=officer, payer=payer)
    paid_run = payment_run_create(drawdowns=[paid], by=payer)
    payment_run_mark_paid(run=paid_run, paid_on=date.today(), reference="KASSE-1", by=payer)
    return DrawdownWorld(
        draft=draft,
        released=released,
        run=payment_run_create(drawdowns=[released], by=payer),
        paid=DrawdownRequest.objects.get(pk=paid.pk),
        paid_run=paid_run,
        payment_officer=payer,
    )
