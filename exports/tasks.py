"""The background tasks, and how an export is queued. They run in `manage.py db_worker` (or under
any other django-tasks backend: the same code runs with a Celery or RQ backend).

The engine (``exports.services``) never imports the workbook builders, so the request that
queues a build lives here with the task."""

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django_tasks import task

from applications.access import budget_lines_visible_to
from applications.states import state_labels
from budgets.workbooks import export_budget_lines, export_budget_lines_filename
from kernel import clock
from programmes.models import Round
from reports.round_workbook import round_workbook, round_workbook_filename

from . import access
from .models import ExportJob
from .services import EXPORT_FAILED, ExportRefused, LineExport, exports_purge

logger = logging.getLogger(__name__)


def _progress(job_id: int) -> Callable[[int], None]:
    def record(done: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=done)

    return record


@task()
def build_export(job_id: int) -> None:
    """Build the job's workbook into a temporary file, then keep it in the private storage.
    A failure is logged with its traceback and shown to the user as ``EXPORT_FAILED``."""
    updated = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING
    )
    if not updated:
        return  # purged, or already taken by another worker
    job = ExportJob.objects.select_related(
        "requested_by", "round__programme", "programme", "cluster"
    ).get(pk=job_id)
    try:
        with tempfile.TemporaryFile() as stream:
            if job.kind == ExportJob.Kind.ROUND_WORKBOOK:
                assert job.round is not None
                round_workbook(job.round, by=job.requested_by).save(stream)
                filename = round_workbook_filename(job.round)
            else:
                filters: dict[str, Any] = {
                    "programme": job.programme,
                    "round": job.round,
                    "cluster": job.cluster,
                    "states": list(job.states),
                }
                export_budget_lines(
                    stream,
                    by=job.requested_by,
                    lines=budget_lines_visible_to(job.requested_by),
                    state_labels=state_labels(),
                    on_progress=_progress(job.pk),
                    **filters,
                )
                filename = export_budget_lines_filename(**filters)
            stream.seek(0)
            job.file.save(filename, File(stream), save=False)
    except Exception:
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED, error=EXPORT_FAILED, finished_at=clock.now()
        )
        raise
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        filename=filename,
        done=job.total,
        finished_at=clock.now(),
    )


def export_job_request(
    *,
    kind: str,
    by: Any,
    total: int,
    round: Round | None = None,
    filters: LineExport | None = None,
) -> ExportJob:
    """Queue the export ``kind`` for ``by`` (the job row and its task commit together)."""
    if not access.may_ask(by, kind):
        raise ExportRefused
    now = clock.now()
    filters = filters or LineExport()
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=by,
            kind=kind,
            round=round if kind == ExportJob.Kind.ROUND_WORKBOOK else filters.round,
            programme=filters.programme,
            cluster=filters.cluster,
            states=list(filters.states),
            total=total,
            created_at=now,
            expires_at=now + timedelta(hours=settings.EXPORT_RETENTION_HOURS),
        )
        result = build_export.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@task()
def purge_exports() -> int:
    """What `manage.py purge_exports` does, for a scheduler that enqueues tasks."""
    return exports_purge()
