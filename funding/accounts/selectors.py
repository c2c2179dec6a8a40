"""The usernames locked out now, for the officers' unlock page."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from .lockout import lock_lifts_at


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_failure: datetime
    lifts_at: datetime


def lockouts() -> list[Lockout]:
    """Locked-out usernames, the most recent failure first (two queries plus one per locked
    username, which are few: a lockout lasts minutes)."""
    now = timezone.now()
    recent = (
        AccessAttempt.objects.filter(
            attempt_time__gte=now - settings.AXES_COOLOFF_TIME, username__isnull=False
        )
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")
    )
    found = []
    for row in recent:
        lifts = lock_lifts_at(row["username"], now)
        if lifts is not None:
            found.append(Lockout(row["username"], row["failures"], row["last"], lifts))
    return found
