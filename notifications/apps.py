from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Deadlines and notifications")

    def ready(self) -> None:
        # Notifications about changes made in the apps below (see receivers.py).
        from . import receivers  # noqa: F401
