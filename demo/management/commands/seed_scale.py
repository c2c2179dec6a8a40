"""``manage.py seed_scale``: grow the database for benchmarks (``demo.scale``).

seed_scale --applications 10000 --rounds 10 [--lines 100]
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...scale import seed_scale


class Command(BaseCommand):
    help = (
        "Add N applications with realistic budgets in M new rounds, in bulk (for benchmarks; "
        "not for a production database)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument("--rounds", type=int, default=10)
        parser.add_argument(
            "--lines", type=int, default=100, help="Budget lines per application, about."
        )

    def handle(
        self, *args: Any, applications: int, rounds: int, lines: int, **options: Any
    ) -> None:
        if applications < 1 or rounds < 1 or lines < 2:
            raise CommandError(
                "--applications and --rounds must be at least 1, --lines at least 2."
            )
        rounds = min(rounds, applications)
        started = time.monotonic()
        seeded = seed_scale(applications=applications, rounds=rounds, lines=lines)
        self.stdout.write(
            f"Added {seeded.applications} applications with {seeded.lines} budget lines in "
            f"{len(seeded.rounds)} rounds in {time.monotonic() - started:.1f} s."
        )
