from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The rounds' per-state sums follow the applications (see receivers.py).
        from . import receivers  # noqa: F401
        from .round_figures import round_figures_fill_missing

        post_migrate.connect(
            round_figures_fill_missing, sender=self, dispatch_uid="round_figures_fill_missing"
        )
