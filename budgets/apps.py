from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self) -> None:
        # Models can only be imported once the registry is ready.
        from . import receivers  # noqa: F401
        from .figures import figures_fill_missing
        from .positions import sync_budget_positions

        post_migrate.connect(
            sync_budget_positions, sender=self, dispatch_uid="sync_budget_positions"
        )
        post_migrate.connect(figures_fill_missing, sender=self, dispatch_uid="figures_fill_missing")
