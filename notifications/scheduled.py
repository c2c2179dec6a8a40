"""The daily and periodic runs as tasks, for a scheduler that enqueues tasks; the management
commands `send_reminders`, `send_digests` and `deliver_notifications` do the same."""

from django_tasks import task

from .delivery import deliveries_retry
from .services import digests_collect, reminders_send


@task()
def send_reminders() -> int:
    return reminders_send()


@task()
def send_digests() -> int:
    return len(digests_collect())


@task()
def deliver_notifications() -> int:
    return deliveries_retry()
