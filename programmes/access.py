"""Who may read and change what: the one place every interface asks.

Officers act on everything, auditors read everything and change nothing, cluster managements read
and change only their own cluster's data. Reviewers (jury members) read the applications assigned
to them once they are in review, and write only their own reviews and conflict-of-interest
declarations. Anything a user may not read is treated as absent (404).
"""

from typing import Any

from django.db.models import Q

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

from .models import Organisation, OrganisationQuerySet

__all__ = [
    "Role",
    "User",
    "can_read_all",
    "can_read_cluster",
    "can_see_organisation",
    "can_use_organisation",
    "can_write_cluster",
    "cluster_id_of",
    "is_auditor",
    "is_cluster_manager",
    "is_officer",
    "is_officer_for",
    "is_own_cluster_management",
    "is_reviewer",
    "organisations_usable_in",
    "organisations_visible_to",
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


# Organisations: reference data every role reads once an officer has confirmed it (or written
# it); a cluster management's proposal is its own cluster's until then.


def organisations_visible_to(user: Any) -> OrganisationQuerySet:
    """Officers and auditors see every organisation; everyone else with a role the confirmed
    ones, and a cluster management also its own cluster's proposals."""
    organisations: OrganisationQuerySet = Organisation.objects.all()
    if can_read_all(user):
        return organisations
    if not roles_of(user):
        return organisations.none()
    visible = Q(confirmed_at__isnull=False)
    cluster_id = cluster_id_of(user)
    if cluster_id is not None:
        visible |= Q(proposed_by_cluster_id=cluster_id)
    return organisations.filter(visible)


def organisations_usable_in(user: Any, cluster_id: int) -> OrganisationQuerySet:
    """As :func:`can_use_organisation`: the organisations ``user`` may make partners or grantees
    in a plan of cluster ``cluster_id``."""
    return organisations_visible_to(user).filter(
        Q(confirmed_at__isnull=False) | Q(proposed_by_cluster_id=cluster_id)
    )


def can_see_organisation(user: Any, organisation: Organisation) -> bool:
    """As :func:`organisations_visible_to`, for one organisation already loaded."""
    if can_read_all(user):
        return True
    if not roles_of(user):
        return False
    return organisation.is_confirmed or (
        organisation.proposed_by_cluster_id is not None
        and organisation.proposed_by_cluster_id == cluster_id_of(user)
    )


def can_use_organisation(user: Any, organisation: Organisation, cluster_id: int) -> bool:
    """Whether ``user`` may make ``organisation`` a partner or grantee in a plan of cluster
    ``cluster_id``: one they see, confirmed or proposed by that cluster (an officer confirms
    another cluster's proposal before it is used elsewhere)."""
    return can_see_organisation(user, organisation) and (
        organisation.is_confirmed or organisation.proposed_by_cluster_id == cluster_id
    )
