"""Run every few minutes: retry the e-mails whose next attempt is due."""

from typing import Any

from django.core.management.base import BaseCommand

from notifications.delivery import deliveries_retry


class Command(BaseCommand):
    help = (
        "Send the notification e-mails whose next attempt is due (failed ones are retried with "
        "growing pauses, NOTIFICATION_MAX_ATTEMPTS times in all)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{deliveries_retry()} e-mails sent.")
