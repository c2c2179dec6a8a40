"""Who may fire which step of a drawdown (django-fsm's ``permission`` signature: the request,
then the user). The models and the access module both build on these."""

from typing import Any

from kernel.roles import is_payment_officer
from programmes.access import is_officer_for, is_own_cluster_management

__all__ = [
    "is_officer_for",
    "is_own_cluster_management",
    "is_payment_officer_for",
    "is_releaser_for",
]


def is_payment_officer_for(obj: Any, user: Any) -> bool:
    """A payment officer, for any cluster's request."""
    return is_payment_officer(user)


def is_releaser_for(obj: Any, user: Any) -> bool:
    """Four eyes: a payment officer who is not the person who checked the request."""
    return is_payment_officer(user) and obj.checked_by_id != getattr(user, "pk", None)
