"""Immutable records: a workflow's state changes are history, written once and never altered or
deleted, neither one by one nor in bulk. Every workflow's transition model builds on this."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ALTERED = _("State changes are history and cannot be altered.")
DELETED = _("State changes are history and cannot be deleted.")

_Record = TypeVar("_Record", bound=models.Model)


class ImmutableQuerySet(models.QuerySet[_Record]):
    """History rows cannot be changed or deleted in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(ALTERED)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(DELETED)


class ImmutableRecord(models.Model):
    """A row that is saved once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValidationError(ALTERED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError(DELETED)
