"""Who may read and write change requests and plan versions: the one place their pages, API
and services ask. Built on the roles of ``kernel.roles``.

Officers decide on every cluster's change requests, auditors read them all, a cluster
management proposes and reads its own cluster's; to anyone else they are absent (404). Plan
versions are read by whoever reads the application (``applications.access``).
"""

from typing import Any

from django.db.models import QuerySet

from applications.access import applications_visible_to
from applications.models import Application
from applications.querysets import ApplicationQuerySet
from kernel.roles import can_read_all, cluster_id_of, is_cluster_manager

from .models import ChangeRequest
from .states import EDITABLE_STATES


def change_requests_visible_to(user: Any) -> QuerySet[ChangeRequest]:
    if can_read_all(user):
        return ChangeRequest.objects.all()
    cluster_id = cluster_id_of(user)
    if cluster_id is None:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(application__cluster_id=cluster_id)


def applications_with_versions(user: Any) -> ApplicationQuerySet:
    """The applications whose plan versions ``user`` may read."""
    return applications_visible_to(user)


def can_propose_change(user: Any, application: Application) -> bool:
    """The cluster's own management proposes changes to its plan."""
    return is_cluster_manager(user) and cluster_id_of(user) == application.cluster_id


def can_edit_change_request(user: Any, change_request: ChangeRequest) -> bool:
    """While the cluster management has it: a draft, or returned with questions."""
    return change_request.state in EDITABLE_STATES and can_propose_change(
        user, change_request.application
    )
