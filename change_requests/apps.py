from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangeRequestsConfig(AppConfig):
    name = "change_requests"
    verbose_name = _("Change requests")
