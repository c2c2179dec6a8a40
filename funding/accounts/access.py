"""Who may unlock logins and whose logins need a second factor: the one place the accounts'
pages, the API login and the middleware ask."""

from typing import Any

from django.conf import settings

from kernel.roles import is_officer, roles_of


def can_unlock_logins(user: Any) -> bool:
    """Ministry officers lift lockouts; the cluster managements they fund may not."""
    return is_officer(user)


def needs_two_factor(user: Any) -> bool:
    """True when the setting asks a second factor of one of the user's roles (or of the back
    office's staff, who can reach every record through the admin)."""
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if not required or not getattr(user, "is_authenticated", False):
        return False
    return bool(required & roles_of(user)) or bool(user.is_staff)
