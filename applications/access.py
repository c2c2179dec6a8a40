"""Who may read and change an application, and everything that hangs on it: the one place pages,
API, admin, exports and commands ask. Built on the roles of ``programmes.access``.

Officers and auditors read every application, a cluster management its own cluster's, and a
reviewer (jury member) the applications assigned to them once they are in review. Writes:
officers and the cluster's own management, never auditors; the outline only while it is a draft.
Anything a user may not read is absent for them (404).
"""

from typing import Any

from django.db.models import Q, QuerySet

from budgets.models import BudgetLine, RDProject
from programmes import access

from .models import Application
from .querysets import ApplicationQuerySet
from .states import REVIEWED_STATES, State


def applications_visible_to(user: Any) -> ApplicationQuerySet:
    """The applications ``user`` may read."""
    applications: ApplicationQuerySet = Application.objects.all()
    if access.can_read_all(user):
        return applications
    visible = Q()
    cluster_id = access.cluster_id_of(user)
    if cluster_id is not None:
        visible |= Q(cluster_id=cluster_id)
    if access.is_reviewer(user):
        # A subquery, so that a user with both roles gets no duplicate rows from the join. The
        # assignments belong to the competition, above this app: asked through the relation.
        assigned = Application.objects.filter(
            reviewer_assignments__reviewer_id=user.pk, state__in=REVIEWED_STATES
        )
        visible |= Q(pk__in=assigned.values("pk"))
    return applications.filter(visible) if visible else applications.none()


def can_read_application(user: Any, application: Application) -> bool:
    """As :func:`applications_visible_to`, for one application already loaded."""
    if access.can_read_cluster(user, application.cluster_id):
        return True
    return (
        access.is_reviewer(user)
        and application.state in REVIEWED_STATES
        and application.reviewer_assignments.filter(reviewer_id=user.pk).exists()
    )


def can_write_application(user: Any, application: Application) -> bool:
    """Partner regions, R&D projects, grantee terms and the budget: officers and the cluster's
    own management (the services add what the state allows)."""
    return access.can_write_cluster(user, application.cluster_id)


def can_edit_outline(user: Any, application: Application) -> bool:
    """The outline can be changed by its cluster management or an officer, while it is a draft."""
    return application.state == State.DRAFT and can_write_application(user, application)


def can_create_application(user: Any, cluster_id: int) -> bool:
    return access.can_write_cluster(user, cluster_id)


def budget_lines_visible_to(user: Any) -> QuerySet[BudgetLine]:
    """The budget lines of the applications ``user`` may read, with what a row shows."""
    lines = BudgetLine.objects.select_related(
        "application__round__programme",
        "application__cluster",
        "rd_project",
        "grantee",
        "position",
    )
    if access.can_read_all(user):
        return lines
    if not access.is_reviewer(user):
        cluster_id = access.cluster_id_of(user)
        return (
            lines.none() if cluster_id is None else lines.filter(application__cluster_id=cluster_id)
        )
    return lines.filter(application__in=applications_visible_to(user).values("pk"))


def projects_visible_to(user: Any) -> QuerySet[RDProject]:
    """The R&D projects of the applications ``user`` may read."""
    if access.can_read_all(user):
        return RDProject.objects.all()
    return RDProject.objects.filter(application__in=applications_visible_to(user).values("pk"))
