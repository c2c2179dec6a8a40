from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the system: the cache table, /health/, the request log, the static-files check."""

    name = "funding.ops"
    label = "ops"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
