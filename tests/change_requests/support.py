"""The API steps of a change request as small helpers, for these tests and for journeys that
go on from an approved change (the statements' journey test calls them).

Each helper takes an authenticated ``APIClient`` and asserts the status it expects, so a
journey fails at the step that went wrong."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from applications.models import Application
from budgets.models import BudgetLine, BudgetPosition, Phase
from budgets.plan import LineInput
from change_requests.models import ChangeRequest
from change_requests.services import change_request_create
from change_requests.states import OPEN_STATES

ZERO = Decimal("0.00")


def line(
    *,
    grantee: Any,
    year: int,
    position: BudgetPosition,
    amount: Decimal | str,
    phase: str = Phase.CONCEPT,
    rd_project: Any = None,
) -> dict[str, Any]:
    """One proposed line in the API's shape."""
    return {
        "phase": str(phase),
        "rd_project": rd_project.pk if rd_project is not None else None,
        "grantee": grantee.pk,
        "year": year,
        "position": position.pk,
        "eligible_amount": str(Decimal(amount).quantize(Decimal("0.01"))),
    }


def propose(client: Any, application: Application, **body: Any) -> dict[str, Any]:
    """Create a draft change request (``lines``, ``reason``, end dates) and return it."""
    response = client.post(
        f"/api/v1/applications/{application.pk}/change-requests/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    created: dict[str, Any] = response.json()
    return created


def propose_move_between_years(
    client: Any,
    application: Application,
    *,
    grantee: Any,
    position: BudgetPosition,
    from_year: int,
    to_year: int,
    amount: Decimal,
    current: dict[int, Decimal],
    phase: str = Phase.CONCEPT,
    rd_project: Any = None,
    reason: str = "Delegation moved to the first year",
) -> dict[str, Any]:
    """Propose moving ``amount`` of one grantee's position from one year to another;
    ``current`` is the plan's amount of that position per year."""
    moved = {
        from_year: current.get(from_year, ZERO) - amount,
        to_year: current.get(to_year, ZERO) + amount,
    }
    lines = [
        line(
            grantee=grantee,
            year=year,
            position=position,
            amount=value,
            phase=phase,
            rd_project=rd_project,
        )
        for year, value in moved.items()
    ]
    return propose(client, application, lines=lines, reason=reason)


def fire(client: Any, change_request: dict[str, Any], name: str, comment: str = "") -> Any:
    """Fire a transition; the response, whatever its status."""
    return client.post(
        f"/api/v1/change-requests/{change_request['id']}/transitions/{name}/",
        {"comment": comment, "expected_state": change_request["state"]},
        format="json",
    )


def submit(client: Any, change_request: dict[str, Any]) -> dict[str, Any]:
    response = fire(client, change_request, "submit")
    assert response.status_code == 200, response.json()
    submitted: dict[str, Any] = response.json()
    return submitted


def approve(client: Any, change_request: dict[str, Any]) -> dict[str, Any]:
    response = fire(client, change_request, "approve")
    assert response.status_code == 200, response.json()
    approved: dict[str, Any] = response.json()
    return approved


def refuse(client: Any, change_request: dict[str, Any], reason: str) -> dict[str, Any]:
    response = fire(client, change_request, "refuse", reason)
    assert response.status_code == 200, response.json()
    refused: dict[str, Any] = response.json()
    return refused


def versions(client: Any, application: Application) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/applications/{application.pk}/plan-versions/")
    assert response.status_code == 200, response.json()
    found: list[dict[str, Any]] = response.json()
    return found


def version(client: Any, application: Application, number: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/applications/{application.pk}/plan-versions/{number}/")
    assert response.status_code == 200, response.json()
    found: dict[str, Any] = response.json()
    return found


def first_concept_line(application: Application) -> BudgetLine:
    return BudgetLine.objects.filter(application=application, phase=Phase.CONCEPT).order_by(
        "year", "pk"
    )[0]


def next_year_amount(first: BudgetLine) -> Decimal:
    """What the first concept line's grantee and position have in the year after it."""
    found = BudgetLine.objects.filter(
        application_id=first.application_id,
        phase=Phase.CONCEPT,
        grantee_id=first.grantee_id,
        position_id=first.position_id,
        year=first.year + 1,
    ).first()
    return found.eligible_amount if found is not None else ZERO


def money_moved_to_next_year(
    application: Application, amount: str = "10000.00"
) -> list[dict[str, Any]]:
    """Lines (the API's shape) that move ``amount`` of the concept phase's first line to the
    year after it."""
    first = first_concept_line(application)
    return [
        line(
            grantee=first.grantee,
            year=first.year,
            position=first.position,
            amount=first.eligible_amount - Decimal(amount),
        ),
        line(
            grantee=first.grantee,
            year=first.year + 1,
            position=first.position,
            amount=next_year_amount(first) + Decimal(amount),
        ),
    ]


def draft_change_request(application: Application, amount: str = "10000.00") -> ChangeRequest:
    """The cluster management's draft that moves ``amount`` of the concept phase's first line
    to the year after it (the application's open request, if it has one already)."""
    existing = ChangeRequest.objects.filter(application=application, state__in=OPEN_STATES).first()
    if existing is not None:
        return existing
    first = first_concept_line(application)
    moved = [
        LineInput(
            Phase.CONCEPT,
            first.grantee,
            first.year,
            first.position,
            first.eligible_amount - Decimal(amount),
        ),
        LineInput(
            Phase.CONCEPT,
            first.grantee,
            first.year + 1,
            first.position,
            next_year_amount(first) + Decimal(amount),
        ),
    ]
    manager = User.objects.get(cluster_membership__cluster_id=application.cluster_id)
    return change_request_create(application=application, by=manager, lines=moved)
