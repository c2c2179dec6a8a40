"""Run daily: remind of deadlines 14 and 3 days ahead and tell of overdue ones, once each."""

from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders due today (14 and 3 days before each open deadline, and one notice "
        "when it is overdue). Running it again the same day sends nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"{sent} reminders sent.")
