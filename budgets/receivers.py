"""The stored budget figures follow the programme: its Projektpauschale rate is part of them."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from programmes.models import Programme

from .figures import figures_for_programme


@receiver(post_save, sender=Programme, dispatch_uid="budget-figures-programme")
def programme_saved(sender: Any, instance: Programme, created: bool, **_kwargs: Any) -> None:
    # In the programme's transaction (the admin saves atomically): no page sums stale figures.
    if not created:
        figures_for_programme(instance.pk)
