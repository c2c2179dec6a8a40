"""The background task that mails a delivery; queued by the services once the change that
notified commits. Runs in `manage.py db_worker` like the exports."""

from django_tasks import task

from .delivery import delivery_attempt


@task()
def deliver(delivery_id: int) -> bool:
    """Send one e-mail; a failure waits for `deliver_notifications` to retry it."""
    return delivery_attempt(delivery_id)
