"""Who may see a background export and download its file.

The requester (while they may still ask for such an export), and officers and auditors, who may
read every cluster's budget anyway. Everyone else does not see the job at all (404)."""

from typing import Any

from django.db.models import Q, QuerySet

from kernel import roles

from .models import ExportJob


def may_ask(user: Any, kind: str) -> bool:
    """The round workbook shows every cluster (officers and auditors); the flat export holds
    what the user may read, so anyone with a role may ask for it."""
    if kind == ExportJob.Kind.ROUND_WORKBOOK:
        return roles.can_read_all(user)
    return bool(roles.roles_of(user))


def jobs_visible_to(user: Any) -> QuerySet[ExportJob]:
    if not user.is_authenticated or not roles.roles_of(user):
        return ExportJob.objects.none()
    if roles.can_read_all(user):
        return ExportJob.objects.all()
    return ExportJob.objects.filter(Q(requested_by=user) & ~Q(kind=ExportJob.Kind.ROUND_WORKBOOK))


def own_jobs(user: Any) -> QuerySet[ExportJob]:
    """The user's own jobs (the API's list): what they asked for, newest first."""
    return jobs_visible_to(user).filter(requested_by=user)


def can_read_job(user: Any, job: ExportJob) -> bool:
    """The predicate of ``jobs_visible_to`` for one job."""
    if not user.is_authenticated or not roles.roles_of(user):
        return False
    if roles.can_read_all(user):
        return True
    return job.requested_by_id == user.pk and job.kind != ExportJob.Kind.ROUND_WORKBOOK
