"""Lifting a lockout, with the officer, the username and the moment in the admin's log."""

from axes.utils import reset
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_noop

from .access import can_unlock_logins

UNLOCKED = gettext_noop("Login unlocked after failed attempts.")


@transaction.atomic
def login_unlock(*, username: str, by: object) -> int:
    """Forget the username's failed logins; returns how many attempt rows were removed. The
    audit row (who, whom, when) is the admin's LogEntry on the user, so the back office shows
    it in the user's history."""
    if not can_unlock_logins(by):
        raise PermissionDenied
    removed: int = reset(username=username)
    user_model = get_user_model()
    target = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    LogEntry.objects.create(
        user_id=by.pk,  # type: ignore[attr-defined]
        content_type=ContentType.objects.get_for_model(user_model),
        object_id=str(target.pk) if target else None,
        object_repr=username[:200],
        action_flag=CHANGE,
        change_message=UNLOCKED,
    )
    return removed
