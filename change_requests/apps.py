from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangeRequestsConfig(AppConfig):
    name = "change_requests"
    verbose_name = _("Change requests")

    def ready(self) -> None:
        # A phase approved after earlier changes becomes a version (see receivers.py).
        from . import receivers  # noqa: F401
