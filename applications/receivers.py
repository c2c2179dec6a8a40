"""The rounds' per-state sums follow every change of an application and of its budget figures
(``applications.round_figures``), in the same transaction."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from budgets.signals import figures_stored

from .models import Application
from .round_figures import round_figures_refresh, round_figures_refresh_for


@receiver(post_save, sender=Application, dispatch_uid="round-figures-saved")
@receiver(post_delete, sender=Application, dispatch_uid="round-figures-deleted")
def application_changed(sender: Any, instance: Application, **_kwargs: Any) -> None:
    round_figures_refresh([instance.round_id])


@receiver(figures_stored, dispatch_uid="round-figures-budget")
def budget_figures_stored(sender: Any, application_ids: list[int], **_kwargs: Any) -> None:
    round_figures_refresh_for(application_ids)
