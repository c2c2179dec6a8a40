"""System checks for a deployment (`manage.py check --deploy`)."""

from typing import Any

from django.core.checks import CheckMessage, Error, register

from .static_files import missing_manifest


@register(deploy=True)
def static_manifest(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    message = missing_manifest()
    return [Error(message, id="ops.E001")] if message else []
