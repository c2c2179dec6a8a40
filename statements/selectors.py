"""Reads of statements and settlements: the grantee's current plan, the figures of a statement,
the transitions a user may fire, the history, which interim statements are due or overdue, and
the lists the pages and the API show."""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.models import Application
from applications.selectors import TransitionOption, declared_transitions
from budgets.models import Phase
from budgets.selectors import budget_summary
from budgets.summary import BudgetSummary, GranteeBlock
from disbursements.models import DrawdownPosition
from disbursements.states import DrawdownState
from kernel import clock
from programmes.models import Programme

from . import predicates
from .figures import StatementFigures, statement_figures
from .models import Settlement, Statement, StatementTransition
from .states import RECEIVED_STATES, StatementKind

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)

WRONG_STATE = gettext_noop("“%(transition)s” is not possible while it is %(state)s.")
ONLY_OFFICERS = gettext_noop("“%(transition)s” is for ministry officers only.")
ONLY_OWN_CLUSTER = gettext_noop("“%(transition)s” is for the cluster's own management only.")
FOUR_EYES = gettext_noop("Four eyes: you prepared this settlement, so another officer decides it.")
COMMENT_REQUIRED = gettext_noop("“%(transition)s” needs a comment that says why.")

_PERMISSION_REFUSALS = {
    predicates.is_officer_for: ONLY_OFFICERS,
    predicates.is_own_cluster_management: ONLY_OWN_CLUSTER,
    predicates.is_decider_for: ONLY_OFFICERS,
}


def today() -> date:
    return timezone.localdate(clock.now())


def interim_due_on(programme: Programme, year: int) -> date:
    """The interim statement of ``year`` is due on the programme's day of the next year."""
    month = programme.interim_statement_due_month
    last = calendar.monthrange(year + 1, month)[1]
    return date(year + 1, month, min(programme.interim_statement_due_day, last))


def due_on(statement: Statement) -> date:
    """When the statement is due: an interim one on the programme's day of the next year, the
    final one the programme's months after the end of the phase (the 31st becomes the month's
    last day)."""
    programme = statement.application.round.programme
    if statement.year is not None:
        return interim_due_on(programme, statement.year)
    end = phase_period(statement.application, statement.phase)[1]
    year, month = divmod(end.year * 12 + end.month - 1 + programme.final_statement_due_months, 12)
    return date(year, month + 1, min(end.day, calendar.monthrange(year, month + 1)[1]))


def statements_outstanding(
    application: Application, year: int | None
) -> list[tuple[str, int | None, int]]:
    """The grantees (phase, R&D project id, organisation id) of the current plan whose
    interim statement of ``year`` (None: whose final statement) has not been received."""
    kind = StatementKind.INTERIM if year is not None else StatementKind.FINAL
    received = set(
        Statement.objects.filter(
            application=application, kind=kind, year=year, state__in=RECEIVED_STATES
        ).values_list("phase", "rd_project_id", "grantee_id")
    )
    owed = [
        (phase, project_id, block.organisation.pk)
        for phase, project_id, block in grantee_blocks(budget_summary(application))
        if year is None or year in block.by_year
    ]
    return [key for key in owed if key not in received]


def phase_period(application: Application, phase: str) -> tuple[date, date]:
    if phase == Phase.CONCEPT:
        return application.concept_start_on, application.concept_end_on
    return application.implementation_start_on, application.implementation_end_on


def grantee_blocks(summary: BudgetSummary) -> Iterator[tuple[str, int | None, GranteeBlock]]:
    """Every grantee of the current plan: (phase, R&D project id or None, its block)."""
    for block in summary.concept.grantees:
        yield Phase.CONCEPT, None, block
    for project in summary.implementation.projects:
        for block in project.grantees:
            yield Phase.IMPLEMENTATION, project.project.pk, block


def grantee_block(
    summary: BudgetSummary, phase: str, rd_project_id: int | None, grantee_id: int
) -> GranteeBlock | None:
    """The grantee's block of the plan, or None if the plan funds no such grantee."""
    for found_phase, project_id, block in grantee_blocks(summary):
        if (found_phase, project_id, block.organisation.pk) == (phase, rd_project_id, grantee_id):
            return block
    return None


def paid_by_position(statement: Statement) -> dict[tuple[int, int], Decimal]:
    """What was paid out to the grantee per (position id, year): the paid drawdowns, in one
    query."""
    rows = (
        DrawdownPosition.objects.filter(
            request__application_id=statement.application_id,
            request__phase=statement.phase,
            request__rd_project_id=statement.rd_project_id,
            request__grantee_id=statement.grantee_id,
            request__state=DrawdownState.PAID,
        )
        .values("position_id", "request__year")
        .annotate(total=Coalesce(Sum("amount"), ZERO, output_field=MONEY))
        .order_by()
    )
    return {(row["position_id"], row["request__year"]): row["total"] for row in rows}


def statement_years(statement: Statement) -> list[int]:
    """An interim statement covers its year; the final one every year of the phase."""
    if statement.year is not None:
        return [statement.year]
    start, end = phase_period(statement.application, statement.phase)
    return list(range(start.year, end.year + 1))


@dataclass(frozen=True)
class StatementView:
    """A statement with its current plan and figures, read in a fixed number of queries."""

    statement: Statement
    block: GranteeBlock | None
    figures: StatementFigures | None


def figures_of(statement: Statement) -> StatementView:
    """The statement's figures against the grantee's current plan."""
    summary = budget_summary(statement.application)
    block = grantee_block(summary, statement.phase, statement.rd_project_id, statement.grantee_id)
    if block is None:
        return StatementView(statement, None, None)
    actuals = {(line.position_id, line.year): line.actual_amount for line in statement.lines.all()}
    programme = statement.application.round.programme
    figures = statement_figures(
        block,
        actuals,
        statement_years(statement),
        tolerance_rate=programme.overspend_tolerance_rate,
        projektpauschale_rate=programme.projektpauschale_rate,
        paid=paid_by_position(statement),
    )
    return StatementView(statement, block, figures)


# Transitions.


STATEMENT_TRANSITIONS = tuple(declared_transitions(Statement))
SETTLEMENT_TRANSITIONS = tuple(declared_transitions(Settlement))


def transition_option(obj: Statement | Settlement, name: str, user: Any) -> TransitionOption:
    """Whether ``user`` may fire transition ``name`` on the statement or settlement now."""
    transition = getattr(obj, name)._django_fsm.get_transition(obj.state)
    declared = transition or declared_transitions(type(obj))[name]
    label = str(declared.custom.get("label", name))
    context = {"transition": label, "state": obj.get_state_display()}

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
    if isinstance(obj, Settlement) and obj.prepared_by_id == getattr(user, "pk", None):
        return option(Refusal("four_eyes", _(FOUR_EYES)))
    if not transition.has_perm(obj, user):
        message = _PERMISSION_REFUSALS.get(transition.permission, ONLY_OFFICERS)
        return option(Refusal("not_permitted", _(message) % context))
    return option()


def statement_history(statement: Statement) -> QuerySet[StatementTransition]:
    return statement.transitions.select_related("by").order_by("at", "pk")


def with_totals(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Statements with their actual total (``actual_amount``) and what every list shows."""
    return statements.select_related(
        "grantee", "rd_project", "accepted_by", "application__cluster"
    ).annotate(actual_amount=Coalesce(Sum("lines__actual_amount"), ZERO, output_field=MONEY))


def settlements_listed(settlements: QuerySet[Settlement]) -> QuerySet[Settlement]:
    return settlements.select_related(
        "statement__grantee", "statement__application__cluster", "prepared_by", "decided_by"
    )
