from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The rounds' per-state sums follow the applications (see receivers.py).
        from . import receivers  # noqa: F401
