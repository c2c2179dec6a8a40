"""Who may read and write statements and settlements: the one place their pages, API and
services ask. Built on the roles of ``kernel.roles``.

Officers and payment officers see every cluster's statements, auditors read them all, a cluster
management reads and writes its own cluster's; to anyone else they are absent (404). Officers
review statements and prepare and decide settlements.
"""

from typing import Any

from django.db.models import QuerySet

from applications.models import Application
from kernel.roles import cluster_id_of, is_auditor, is_officer, is_payment_officer

from .models import Settlement, Statement, StatementDocument
from .states import EDITABLE_STATES


def can_read_all_statements(user: Any) -> bool:
    return is_officer(user) or is_payment_officer(user) or is_auditor(user)


def statements_visible_to(user: Any) -> QuerySet[Statement]:
    if can_read_all_statements(user):
        return Statement.objects.all()
    cluster_id = cluster_id_of(user)
    if cluster_id is None:
        return Statement.objects.none()
    return Statement.objects.filter(application__cluster_id=cluster_id)


def settlements_visible_to(user: Any) -> QuerySet[Settlement]:
    return Settlement.objects.filter(statement__in=statements_visible_to(user))


def documents_visible_to(user: Any) -> QuerySet[StatementDocument]:
    return StatementDocument.objects.filter(statement__in=statements_visible_to(user))


def can_enter_statements(user: Any, application: Application) -> bool:
    """The cluster's own management writes its grantees' statements."""
    cluster_id = cluster_id_of(user)
    return cluster_id is not None and cluster_id == application.cluster_id


def can_edit_statement(user: Any, statement: Statement) -> bool:
    """While the cluster management has it: a draft, or returned with questions."""
    return statement.state in EDITABLE_STATES and can_enter_statements(user, statement.application)


def can_settle(user: Any) -> bool:
    """Officers prepare settlements (and another officer decides them)."""
    return is_officer(user)
