"""The round workbook and the flat export pages, switched by size: small ones are downloaded at
once (the views of ``reports`` and ``applications``), large ones are queued and shown as a job
with a progress bar, then downloaded here after an access check."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from applications import file_views
from applications.access import budget_lines_visible_to
from applications.states import state_labels
from budgets.workbooks import export_budget_lines_filename
from budgets.workbooks.flat_csv import budget_lines_csv
from kernel import clock, roles
from programmes.models import Round
from reports import views as report_views

from . import access, services, tasks
from .models import ExportJob

# Seconds between two looks at the job when the page cannot poll with JavaScript.
REFRESH_SECONDS = 3


@login_required
def round_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    if not roles.can_read_all(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
    lines = services.round_lines_count(request.user, round_)
    if not services.in_background(lines):
        return report_views.round_workbook_download(request, pk)
    job = tasks.export_job_request(
        kind=ExportJob.Kind.ROUND_WORKBOOK, by=request.user, total=lines, round=round_
    )
    return redirect("exports:job", job.pk)


@login_required
def budget_lines(request: HttpRequest) -> HttpResponse:
    given = file_views.BudgetLineExportFilter(request.GET)
    if not given.is_valid():
        raise Http404
    filters = services.LineExport(
        programme=given.cleaned_data["programme"],
        round=given.cleaned_data["round"],
        cluster=given.cleaned_data["cluster"],
        states=tuple(given.cleaned_data["state"]),
    )
    lines = services.budget_lines_count(request.user, filters)
    if not services.in_background(lines):
        return file_views.budget_lines_download(request)
    job = tasks.export_job_request(
        kind=ExportJob.Kind.BUDGET_LINES, by=request.user, total=lines, filters=filters
    )
    return redirect("exports:job", job.pk)


@login_required
def budget_lines_csv_download(request: HttpRequest) -> StreamingHttpResponse:
    """The flat export as CSV, streamed at once at any size (for scripts)."""
    given = file_views.BudgetLineExportFilter(request.GET)
    if not given.is_valid():
        raise Http404
    return csv_response(
        request.user,
        services.LineExport(
            programme=given.cleaned_data["programme"],
            round=given.cleaned_data["round"],
            cluster=given.cleaned_data["cluster"],
            states=tuple(given.cleaned_data["state"]),
        ),
    )


def csv_response(user: Any, filters: services.LineExport) -> StreamingHttpResponse:
    """The page's and the API's streamed CSV of the lines ``user`` may read."""
    rows = budget_lines_csv(budget_lines_visible_to(user), filters.line_filter(), state_labels())
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    name = export_budget_lines_filename(
        programme=filters.programme,
        round=filters.round,
        cluster=filters.cluster,
        states=filters.states,
    ).removesuffix(".xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _visible_job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(access.jobs_visible_to(request.user), pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: a ``<progress>`` bar that a few lines of JavaScript update from the
    API's status resource; without JavaScript the page refreshes itself until it is done."""
    job = _visible_job(request, pk)
    expired = job.expires_at <= clock.now()
    return render(
        request,
        "exports/job.html",
        {
            "job": job,
            "expired": expired,
            "expired_message": services.EXPORT_EXPIRED,
            "refresh": None if job.finished else REFRESH_SECONDS,
            "status_url": reverse("api:export", args=[job.pk]),
            "download_url": reverse("exports:download", args=[job.pk]),
        },
        status=410 if expired else 200,
    )


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _visible_job(request, pk)
    if job.state != ExportJob.State.DONE or not job.file or job.expires_at <= clock.now():
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
