from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile

from exports.models import ExportJob
from kernel import clock


def finished_export(by: Any, *, hours_left: float = 1, kind: str = ExportJob.Kind.BUDGET_LINES):
    """A finished export of ``by`` with a file in the private storage."""
    now = clock.now()
    job = ExportJob.objects.create(
        requested_by=by,
        kind=kind,
        state=ExportJob.State.DONE,
        done=3,
        total=3,
        filename="lines.xlsx",
        created_at=now - timedelta(hours=1),
        finished_at=now,
        expires_at=now + timedelta(hours=hours_left),
    )
    job.file.save("lines.xlsx", ContentFile(b"PK the workbook"))
    return job
