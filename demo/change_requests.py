"""Change requests of the demo's approved plans, through the real services: on the first plan
one refused, one approved (the plan's version 2) and a new draft; on the next one waiting for
the officers; on a third one returned with questions; so each role sees them at once. Each
moves money of the concept phase from its last year to its first (10 % of the last year's first
line, in whole thousands, so the funding stays the same to the cent)."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from applications.models import Application
from applications.services import TransitionError
from budgets.models import BudgetLine, Phase
from budgets.plan import LineInput
from budgets.violations import BudgetRuleError
from change_requests.models import ChangeRequest
from change_requests.services import change_request_create, change_request_transition

THOUSAND = Decimal(1000)
REASON = "The delegation to the partner region moves to the first year."
QUESTION = "Which costs of the second year fall away?"
REFUSAL = "The partner region's visit cannot be brought forward."

# Per application in turn, its requests one after the other: the steps after each is entered.
Steps = tuple[tuple[str, str], ...]
STORIES: Sequence[Sequence[Steps]] = (
    ((("submit", ""), ("refuse", REFUSAL)), (("submit", ""), ("approve", "")), ()),
    ((("submit", ""),),),
    ((("submit", ""), ("return_with_questions", QUESTION)),),
)


def _moved(application: Application) -> list[LineInput]:
    """10 % of the last concept year's first line moved to the same position in the first
    year; nothing when the concept phase has a single year or too little money."""
    lines = list(
        BudgetLine.objects.filter(application=application, phase=Phase.CONCEPT)
        .select_related("grantee", "position")
        .order_by("year", "pk")
    )
    if not lines or lines[0].year == lines[-1].year:
        return []
    last = lines[-1]
    amount = (last.eligible_amount / 10 // THOUSAND) * THOUSAND
    if amount <= 0:
        return []
    first_year = lines[0].year
    target = next(
        (
            line
            for line in lines
            if line.year == first_year
            and (line.grantee_id, line.position_id) == (last.grantee_id, last.position_id)
        ),
        None,
    )
    current = target.eligible_amount if target is not None else Decimal("0.00")
    return [
        LineInput(
            Phase.CONCEPT, last.grantee, last.year, last.position, last.eligible_amount - amount
        ),
        LineInput(Phase.CONCEPT, last.grantee, first_year, last.position, current + amount),
    ]


def change_requests_load(
    applications: Sequence[Application], *, managers: Mapping[int, Any], officer: Any
) -> int:
    """The next story's change requests for each approved application that has none yet
    (``managers``: the cluster management's user by cluster id). Returns how many requests
    were written."""
    created = 0
    stories = iter(STORIES)
    for application in applications:
        manager = managers.get(application.cluster_id)
        if manager is None or not _moved(application):
            continue
        if ChangeRequest.objects.filter(application=application).exists():
            continue
        story = next(stories, None)
        if story is None:
            break
        try:
            for steps in story:
                created += _request(application, steps, manager=manager, officer=officer)
        except (TransitionError, BudgetRuleError):
            continue  # this plan's figures do not allow the move; the next one tells the story
    return created


def _request(application: Application, steps: Steps, *, manager: Any, officer: Any) -> int:
    change_request = change_request_create(
        application=application, by=manager, lines=_moved(application), reason=REASON
    )
    for name, comment in steps:
        change_request = change_request_transition(
            change_request=change_request,
            name=name,
            by=manager if name == "submit" else officer,
            comment=comment,
        )
    return 1
