"""The unread count in the navigation bar: one query per page, not one per notification."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the navigation (downloads, redirects) make no query.
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
