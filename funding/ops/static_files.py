"""A production server without `collectstatic` must refuse to start, not answer 500 everywhere."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured

MISSING_MANIFEST = (
    "The static files manifest {path} is missing: run `manage.py collectstatic --noinput` "
    "(STATIC_ROOT={root}) before starting the server."
)


def missing_manifest() -> str | None:
    """The message when the manifest storage is in use and its manifest is missing; else None."""
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    name = staticfiles_storage.manifest_name
    if staticfiles_storage.manifest_storage.exists(name):
        return None
    path = staticfiles_storage.manifest_storage.path(name)
    return MISSING_MANIFEST.format(path=path, root=settings.STATIC_ROOT)


def require_manifest() -> None:
    """Called by the WSGI entry point (gunicorn) before it serves anything."""
    message = missing_manifest()
    if message:
        raise ImproperlyConfigured(message)
