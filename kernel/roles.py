"""The roles of the funding administration and who holds them: the vocabulary every app's
``access`` module builds its rules on. A user's roles are read once per user object."""

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
    # Releases checked drawdowns for payment and records payments (disbursements).
    PAYMENT_OFFICER = "payment officer", _("payment officer")


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


def is_payment_officer(user: Any) -> bool:
    return Role.PAYMENT_OFFICER in roles_of(user)


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
