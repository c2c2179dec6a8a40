"""Who may read and write drawdowns and payment runs: the one place their pages, API and
services ask. Built on the roles of ``kernel.roles``.

Officers and payment officers work on every cluster's requests, auditors read them all, a
cluster management reads and enters its own cluster's; to anyone else they are absent (404).
Payment runs are the officers', payment officers' and auditors' (cluster managements see their
own requests' payment dates and references).
"""

from typing import Any

from django.db.models import QuerySet

from applications.models import Application
from applications.querysets import ApplicationQuerySet
from kernel.roles import cluster_id_of, is_auditor, is_officer, is_payment_officer

from .models import DrawdownRequest, PaymentRun
from .states import EDITABLE_STATES


def can_read_all_drawdowns(user: Any) -> bool:
    return is_officer(user) or is_payment_officer(user) or is_auditor(user)


def applications_with_drawdowns(user: Any) -> ApplicationQuerySet:
    """The applications whose grantees' drawdowns ``user`` may read."""
    applications: ApplicationQuerySet = Application.objects.all()
    if can_read_all_drawdowns(user):
        return applications
    cluster_id = cluster_id_of(user)
    return applications.none() if cluster_id is None else applications.filter(cluster_id=cluster_id)


def drawdowns_visible_to(user: Any) -> QuerySet[DrawdownRequest]:
    if can_read_all_drawdowns(user):
        return DrawdownRequest.objects.all()
    cluster_id = cluster_id_of(user)
    if cluster_id is None:
        return DrawdownRequest.objects.none()
    return DrawdownRequest.objects.filter(application__cluster_id=cluster_id)


def can_enter_drawdowns(user: Any, application: Application) -> bool:
    """The cluster's own management enters its grantees' requests."""
    cluster_id = cluster_id_of(user)
    return cluster_id is not None and cluster_id == application.cluster_id


def can_edit_drawdown(user: Any, drawdown: DrawdownRequest) -> bool:
    """While the cluster management has it: a draft, or returned for correction."""
    return drawdown.state in EDITABLE_STATES and can_enter_drawdowns(user, drawdown.application)


def can_report_spent(user: Any, drawdown: DrawdownRequest) -> bool:
    return can_enter_drawdowns(user, drawdown.application)


def payment_runs_visible_to(user: Any) -> QuerySet[PaymentRun]:
    if can_read_all_drawdowns(user):
        return PaymentRun.objects.all()
    return PaymentRun.objects.none()


def can_manage_payment_runs(user: Any) -> bool:
    """Payment officers put released requests into runs and mark runs paid."""
    return is_payment_officer(user)
