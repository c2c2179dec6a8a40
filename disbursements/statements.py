"""Whether a grantee's interim statement (Zwischennachweis) is overdue, which blocks its
drawdowns.

The statements live in the app above this one, so they are reached through the database
(``apps.get_model``), never by import; the due day comes from the programme."""

import calendar
from datetime import date

from django.apps import apps
from django.utils import timezone

from budgets.grantees import GranteeKey
from budgets.models import BudgetLine
from kernel import clock
from programmes.models import Programme

# The states in which a statement counts as received (``statements.states.RECEIVED_STATES``).
RECEIVED_STATES = ("submitted", "returned", "accepted")


def _due_on(programme: Programme, year: int) -> date:
    month = programme.interim_statement_due_month
    last = calendar.monthrange(year + 1, month)[1]
    return date(year + 1, month, min(programme.interim_statement_due_day, last))


def interim_statement_overdue(application_id: int, key: GranteeKey) -> bool:
    """Whether the interim statement of a year of the grantee's plan is past its due day
    (30 April of the following year in InterSpiN) and not received."""
    phase, rd_project_id, grantee_id = key
    programme = Programme.objects.get(rounds__applications__pk=application_id)
    today = timezone.localdate(clock.now())
    planned_years = set(
        BudgetLine.objects.filter(
            application_id=application_id,
            phase=phase,
            rd_project_id=rd_project_id,
            grantee_id=grantee_id,
        ).values_list("year", flat=True)
    )
    past_due = {year for year in planned_years if _due_on(programme, year) < today}
    if not past_due:
        return False
    statement = apps.get_model("statements", "Statement")
    received = set(
        statement.objects.filter(
            application_id=application_id,
            phase=phase,
            rd_project_id=rd_project_id,
            grantee_id=grantee_id,
            kind="interim",
            year__in=past_due,
            state__in=RECEIVED_STATES,
        ).values_list("year", flat=True)
    )
    return bool(past_due - received)
