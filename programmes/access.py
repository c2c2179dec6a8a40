"""Who may read and change what: the one place every interface asks.

Officers act on everything, auditors read everything and change nothing, cluster managements read
and change only their own cluster's data. Reviewers (jury members) read the applications assigned
to them once they are in review, and write only their own reviews and conflict-of-interest
declarations. Anything a user may not read is treated as absent (404).
"""

from typing import Any

from kernel.roles import (
    Role,
    User,
    can_read_all,
    cluster_id_of,
    is_auditor,
    is_cluster_manager,
    is_officer,
    is_reviewer,
    roles_of,
)

__all__ = [
    "Role",
    "User",
    "can_read_all",
    "can_read_cluster",
    "can_write_cluster",
    "cluster_id_of",
    "is_auditor",
    "is_cluster_manager",
    "is_officer",
    "is_officer_for",
    "is_own_cluster_management",
    "is_reviewer",
    "roles_of",
]


def can_read_cluster(user: Any, cluster_id: int) -> bool:
    return can_read_all(user) or (cluster_id is not None and cluster_id == cluster_id_of(user))


def can_write_cluster(user: Any, cluster_id: int) -> bool:
    """Officers, and the cluster's own management; never auditors."""
    return is_officer(user) or (cluster_id is not None and cluster_id == cluster_id_of(user))


# Who may fire a step on an object that belongs to a cluster (django-fsm's ``permission``
# signature: the object, then the user).


def is_officer_for(obj: Any, user: Any) -> bool:
    """A ministry officer, for any cluster's object."""
    return is_officer(user)


def is_own_cluster_management(obj: Any, user: Any) -> bool:
    """The management of the cluster the object belongs to (``obj.cluster_id``)."""
    return is_cluster_manager(user) and cluster_id_of(user) == obj.cluster_id
