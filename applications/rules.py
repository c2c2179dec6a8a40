"""Who may do what with an application. Built on ``programmes.access``; used by every interface."""

from typing import TYPE_CHECKING, Any

from programmes import access

from .states import State

if TYPE_CHECKING:
    from .models import Application


def is_own_cluster_management(application: Any, user: Any) -> bool:
    return access.is_cluster_manager(user) and access.cluster_id_of(user) == application.cluster_id


def is_officer(application: Any, user: Any) -> bool:
    return access.is_officer(user)


def can_read_application(user: Any, application: "Application") -> bool:
    return access.can_read_cluster(user, application.cluster_id)


def can_edit_application(user: Any, application: "Application") -> bool:
    """The outline can be changed by its cluster management or an officer, while it is a draft."""
    return application.state == State.DRAFT and access.can_write_cluster(
        user, application.cluster_id
    )
