"""The usernames locked out now, for the officers' unlock page."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from .lockout import lifts_at


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_failure: datetime
    lifts_at: datetime


def lockouts() -> list[Lockout]:
    """Locked-out usernames, the most recent failure first, in one query: the attempt rows
    younger than the cool-off (few: a lockout lasts minutes)."""
    now = timezone.now()
    rows = (
        AccessAttempt.objects.filter(
            attempt_time__gte=now - settings.AXES_COOLOFF_TIME, username__isnull=False
        )
        .order_by("-attempt_time")
        .values_list("username", "attempt_time", "failures_since_start")
    )
    by_username: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for username, attempt_time, failures in rows:
        by_username[username].append((attempt_time, failures))
    found = []
    for username, attempts in by_username.items():
        lifts = lifts_at(attempts)
        if lifts is not None:
            total = sum(failures for _time, failures in attempts)
            found.append(Lockout(username, total, attempts[0][0], lifts))
    return sorted(found, key=lambda lockout: (-lockout.last_failure.timestamp(), lockout.username))
