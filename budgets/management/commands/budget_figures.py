"""``manage.py budget_figures``: rebuild or check the stored budget figures.

budget_figures            # store every application's figures again (e.g. after a restore)
budget_figures --check    # compare them with the budget summaries; exit 1 on a difference
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...figures import figures_differences, figures_rebuild


class Command(BaseCommand):
    help = "Rebuild the stored budget figures of every application, or --check them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the stored figures with the budget summaries; exit 1 on any "
            "difference.",
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if check:
            differing = figures_differences()
            if differing:
                raise CommandError(
                    f"{len(differing)} applications have stored budget figures that differ "
                    f"from their budget summary (ids {', '.join(map(str, differing[:20]))}); "
                    "run `manage.py budget_figures` to rebuild them."
                )
            self.stdout.write("Every application's stored budget figures match its summary.")
            return
        count = figures_rebuild()
        self.stdout.write(f"Stored the budget figures of {count} applications.")
