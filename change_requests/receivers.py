"""A phase approved after earlier changes: the plan as approved becomes the next version, so
the latest version always is the current plan. The workflow (``applications``) sits below this
app and must not know about it, so this app listens to the history row every transition writes
inside its transaction; the work itself is the budget engine's."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.models import ApplicationTransition
from budgets.versions import VersionRecord, plan_version_record

from .proposal import approved_phases
from .selectors import APPROVALS


@receiver(post_save, sender=ApplicationTransition, dispatch_uid="change-requests-approval")
def version_on_approval(
    sender: type[ApplicationTransition], instance: ApplicationTransition, created: bool, **_: Any
) -> None:
    if created and instance.transition in APPROVALS:
        plan_version_record(
            application=instance.application,
            phases=approved_phases(instance.application),
            record=VersionRecord(
                reason=instance.comment, approved_by=instance.by, approved_at=instance.at
            ),
        )
