"""Who may read and change what: the one place every interface asks.

Officers act on everything, auditors read everything and change nothing, cluster managements read
and change only their own cluster's data. Reviewers (jury members) read the applications assigned
to them once they are in review, and write only their own reviews and conflict-of-interest
declarations. Anything a user may not read is treated as absent (404).
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

User = AbstractBaseUser | AnonymousUser


class Role(TextChoices):
    """The groups a migration creates; their names are the group names."""

    OFFICER = "officer", _("ministry officer")
    CLUSTER_MANAGEMENT = "cluster management", _("cluster management")
    AUDITOR = "auditor", _("auditor")
    REVIEWER = "reviewer", _("reviewer (jury member)")


def roles_of(user: Any) -> frozenset[str]:
    """The user's role names, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_funding_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._funding_roles = cached
    return cached


def is_officer(user: Any) -> bool:
    return Role.OFFICER in roles_of(user)


def is_auditor(user: Any) -> bool:
    return Role.AUDITOR in roles_of(user)


def is_cluster_manager(user: Any) -> bool:
    return Role.CLUSTER_MANAGEMENT in roles_of(user)


def is_reviewer(user: Any) -> bool:
    return Role.REVIEWER in roles_of(user)


def cluster_id_of(user: Any) -> int | None:
    """The cluster a cluster-management user works for, or None."""
    if not is_cluster_manager(user):
        return None
    cached: int | None = getattr(user, "_funding_cluster_id", None)
    if cached is None:
        from_db = user.__class__._default_manager.filter(pk=user.pk).values_list(
            "cluster_membership__cluster_id", flat=True
        )
        cached = from_db.first()
        user._funding_cluster_id = cached
    return cached


def can_read_all(user: Any) -> bool:
    return is_officer(user) or is_auditor(user)


def can_read_cluster(user: Any, cluster_id: int) -> bool:
    return can_read_all(user) or (cluster_id is not None and cluster_id == cluster_id_of(user))


def can_write_cluster(user: Any, cluster_id: int) -> bool:
    """Officers, and the cluster's own management; never auditors."""
    return is_officer(user) or (cluster_id is not None and cluster_id == cluster_id_of(user))
