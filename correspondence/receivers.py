"""The receipt on submission. The workflow (``applications``) sits below this app and must not
know about it, so this app listens to the history row every transition writes inside its
transaction; the work itself is the service's."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.models import ApplicationTransition

from .services import receipt_create


@receiver(post_save, sender=ApplicationTransition, dispatch_uid="correspondence-receipt")
def receipt_on_submission(
    sender: type[ApplicationTransition], instance: ApplicationTransition, created: bool, **_: Any
) -> None:
    if created and instance.transition == "submit":
        receipt_create(submission=instance)
