"""How long a locked-out username waits, and the lockout answer for pages and the API.

axes counts a username's failures per (address, browser) row; the lock lifts once the failures
younger than the cool-off sum to less than the limit, so the wait is worked out from the rows.
"""

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

LOCKED_OUT = gettext_noop("Too many failed logins. Try again in %(minutes)d minutes.")
LOCKED_OUT_ONE_MINUTE = gettext_noop("Too many failed logins. Try again in a minute.")


def lifts_at(attempts: Iterable[tuple[datetime, int]]) -> datetime | None:
    """When a lockout ends, from a username's attempt rows younger than the cool-off, newest
    first (time of the row's last failure, its failures); None if these do not lock."""
    failures = 0
    for attempt_time, count in attempts:
        failures += count
        if failures >= settings.AXES_FAILURE_LIMIT:
            lifts: datetime = attempt_time + settings.AXES_COOLOFF_TIME
            return lifts
    return None


def lock_lifts_at(username: str, now: datetime | None = None) -> datetime | None:
    """When the username's lockout ends, or None if it is not locked out."""
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).order_by("-attempt_time")
    return lifts_at(rows.values_list("attempt_time", "failures_since_start"))


def wait_seconds(username: str) -> int | None:
    """Whole seconds (rounded up) until the username may log in again, or None."""
    now = timezone.now()
    lifts = lock_lifts_at(username, now)
    if lifts is None:
        return None
    return max(1, math.ceil((lifts - now).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return gettext(LOCKED_OUT_ONE_MINUTE)
    return gettext(LOCKED_OUT) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """axes' ``AXES_LOCKOUT_CALLABLE``: JSON 429 with Retry-After for the API, the lockout page
    (429) for the portal and the admin; both say how long."""
    username = get_client_username(request, credentials) or ""
    seconds = wait_seconds(username) or math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())
    message = lockout_message(seconds)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
