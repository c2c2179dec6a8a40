"""The current time, which the demo loader can move to replay history at its real dates."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen_at: ContextVar[datetime | None] = ContextVar("frozen_at", default=None)


def now() -> datetime:
    return _frozen_at.get() or timezone.now()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Within this block, ``now()`` is ``moment``."""
    token = _frozen_at.set(moment)
    try:
        yield
    finally:
        _frozen_at.reset(token)
