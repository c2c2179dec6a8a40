from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Messages and documents")

    def ready(self) -> None:
        # The receipt on submission: listens to the workflow's history rows (see receivers.py).
        from . import receivers  # noqa: F401
