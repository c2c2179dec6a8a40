"""Run daily: one e-mail per user with the notifications they chose to get as a digest."""

from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import digests_collect


class Command(BaseCommand):
    help = "Mail each user's daily digest of the notifications waiting for it."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{len(digests_collect())} digests queued.")
