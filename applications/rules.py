"""Who may do what with an application. Built on ``programmes.access``; used by every interface."""

from typing import TYPE_CHECKING, Any

from programmes import access

from .states import REVIEWED_STATES, State

if TYPE_CHECKING:
    from .models import Application


def is_own_cluster_management(application: Any, user: Any) -> bool:
    return access.is_cluster_manager(user) and access.cluster_id_of(user) == application.cluster_id


def is_officer(application: Any, user: Any) -> bool:
    return access.is_officer(user)


def can_read_application(user: Any, application: "Application") -> bool:
    """As ``Application.objects.visible_to``: officers and auditors, the cluster's management,
    and a reviewer assigned to it once it is in review."""
    if access.can_read_cluster(user, application.cluster_id):
        return True
    return (
        access.is_reviewer(user)
        and application.state in REVIEWED_STATES
        and application.reviewer_assignments.filter(reviewer_id=user.pk).exists()
    )


def can_edit_application(user: Any, application: "Application") -> bool:
    """The outline can be changed by its cluster management or an officer, while it is a draft."""
    return application.state == State.DRAFT and access.can_write_cluster(
        user, application.cluster_id
    )
