"""A workbook built in the background: who asked, what, how far it got, and the finished file
(in the private storage, until it expires)."""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage() -> Storage:
    """``STORAGES["private"]``: no public URL serves it; ``exports.views`` checks access first."""
    return storages["private"]


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ROUND_WORKBOOK = "round_workbook", _("Round workbook")
        BUDGET_LINES = "budget_lines", _("Budget lines (flat export)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The round of a round workbook; for the flat export, its filters (unset: not restricted).
    round = models.ForeignKey(
        "programmes.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        "programmes.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    states = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m/%d/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    # A message constant of ``exports.services`` (translated when shown), never a traceback.
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_user_created"),
            models.Index(fields=["expires_at"], name="exportjob_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
