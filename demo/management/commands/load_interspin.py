"""``manage.py load_interspin``: the InterSpiN demo data, safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.loader import demo_load

REFUSED_WITHOUT_DEBUG = (
    "Refusing to load the demo data: DEBUG is off, so this looks like production, and the demo "
    "users have published passwords. Run with DEBUG=1, or pass --force if you really mean it."
)


class Command(BaseCommand):
    help = (
        "Load the InterSpiN programme, the historic rounds 1-3, a round 4 open for outlines, the "
        "32 clusters, demo users and a handful of applications. Running it again changes "
        "nothing, except that it reopens round 4 once its deadline has passed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (the demo users have published passwords).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        report = demo_load(log=self.stdout.write)
        for line in report.summary_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("InterSpiN demo data loaded."))
