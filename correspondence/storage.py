"""The private storage: files with no URL, served only through the access-checked views."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from kernel import clock


def private_storage() -> Storage:
    # Looked up on each use, so that tests (and settings changes) can point it elsewhere.
    return storages["private"]


def store(content: bytes, suffix: str) -> str:
    """Write ``content`` under a new random name (users' file names never reach the disk)."""
    name = f"documents/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"
    return private_storage().save(name, ContentFile(content))


def delete_stored(name: str) -> None:
    private_storage().delete(name)
