"""What every portal page needs to know about the user: their roles, for the navigation."""

from typing import Any

from django.http import HttpRequest

from kernel.roles import is_payment_officer
from programmes import access


def portal(request: HttpRequest) -> dict[str, Any]:
    """The user's roles (one query per request, cached on the user object)."""
    user = getattr(request, "user", None)
    return {
        "is_officer": access.is_officer(user),
        "is_auditor": access.is_auditor(user),
        "is_cluster_manager": access.is_cluster_manager(user),
        "is_reviewer": access.is_reviewer(user),
        "is_payment_officer": is_payment_officer(user),
    }
