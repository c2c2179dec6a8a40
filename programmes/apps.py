from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        # Models can only be imported once the registry is ready. The handler runs after the
        # last of our apps has its permissions, so every role gets all of them.
        from .roles import sync_role_permissions

        post_migrate.connect(
            sync_role_permissions,
            sender=apps.get_app_config("competition"),
            dispatch_uid="sync_role_permissions",
        )
