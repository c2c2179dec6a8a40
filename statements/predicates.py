"""Who may fire which step of a statement or a settlement (django-fsm's ``permission``
signature: the object, then the user)."""

from typing import Any

from programmes.access import is_officer_for, is_own_cluster_management

__all__ = ["is_decider_for", "is_officer_for", "is_own_cluster_management"]


def is_decider_for(settlement: Any, user: Any) -> bool:
    """Four eyes: an officer who is not the person who prepared the settlement."""
    return is_officer_for(settlement, user) and settlement.prepared_by_id != getattr(
        user, "pk", None
    )
