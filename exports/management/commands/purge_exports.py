from typing import Any

from django.core.management.base import BaseCommand

from exports.services import exports_purge


class Command(BaseCommand):
    help = (
        "Delete background exports (rows and files) older than EXPORT_RETENTION_HOURS. "
        "Run it from cron, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = exports_purge()
        self.stdout.write(f"Deleted {deleted} expired export(s).")
