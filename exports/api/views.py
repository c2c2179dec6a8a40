"""The round workbook and the flat export, switched by size (202 Accepted with the job's status
resource in ``Location`` above the threshold), and the status resources of the user's jobs."""

from typing import Any

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api.budget_line_views import BudgetLineExportFilter, BudgetLineExportView
from kernel import clock
from kernel.api.files import XLSX_RESPONSE
from kernel.downloads import XLSX
from programmes.models import Round
from reports.api.views import RoundWorkbookView

from .. import access, services, tasks
from ..models import ExportJob
from ..views import csv_response
from .serializers import ExportJobSerializer

SWITCHED: dict[Any, Any] = {**XLSX_RESPONSE, 202: ExportJobSerializer}


def _accepted(request: Request, job: ExportJob) -> Response:
    body = ExportJobSerializer(job, context={"request": request}).data
    location = request.build_absolute_uri(reverse("api:export", args=[job.pk]))
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class RoundWorkbookExportView(RoundWorkbookView):
    @extend_schema(
        responses=SWITCHED,
        summary="The round's workbook (.xlsx); above the size threshold 202 and a background job",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
        lines = services.round_lines_count(request.user, round_)
        if not services.in_background(lines):
            return super().get(request, pk)
        job = tasks.export_job_request(
            kind=ExportJob.Kind.ROUND_WORKBOOK, by=request.user, total=lines, round=round_
        )
        return _accepted(request, job)


class BudgetLineExportSwitchView(BudgetLineExportView):
    @extend_schema(
        parameters=[BudgetLineExportFilter],
        responses=SWITCHED,
        summary=(
            "Every budget line you may read (.xlsx); above the size threshold 202 and a "
            "background job"
        ),
    )
    def get(self, request: Request) -> HttpResponse:
        given = BudgetLineExportFilter(
            data={**request.query_params.dict(), "state": request.query_params.getlist("state")}
        )
        given.is_valid(raise_exception=True)
        filters = services.LineExport(
            programme=given.validated_data.get("programme"),
            round=given.validated_data.get("round"),
            cluster=given.validated_data.get("cluster"),
            states=tuple(given.validated_data["state"]),
        )
        lines = services.budget_lines_count(request.user, filters)
        if not services.in_background(lines):
            return super().get(request)
        job = tasks.export_job_request(
            kind=ExportJob.Kind.BUDGET_LINES, by=request.user, total=lines, filters=filters
        )
        return _accepted(request, job)


class BudgetLineCsvView(APIView):
    @extend_schema(
        parameters=[BudgetLineExportFilter],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        summary="Every budget line you may read as CSV, streamed at once at any size",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        given = BudgetLineExportFilter(
            data={**request.query_params.dict(), "state": request.query_params.getlist("state")}
        )
        given.is_valid(raise_exception=True)
        return csv_response(
            request.user,
            services.LineExport(
                programme=given.validated_data.get("programme"),
                round=given.validated_data.get("round"),
                cluster=given.validated_data.get("cluster"),
                states=tuple(given.validated_data["state"]),
            ),
        )


class ExportJobListView(ListAPIView):  # type: ignore[type-arg]
    """Your own background exports, newest first."""

    serializer_class = ExportJobSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return ExportJob.objects.none()
        return access.own_jobs(self.request.user)


class ExportJobView(RetrieveAPIView):  # type: ignore[type-arg]
    """A background export's state, progress and (when done) download URL."""

    serializer_class = ExportJobSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return ExportJob.objects.none()
        return access.jobs_visible_to(self.request.user)


class ExportJobDownloadView(APIView):
    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY},
        summary="The finished export's file (404 until it is done, and after it expired)",
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        job = get_object_or_404(access.jobs_visible_to(request.user), pk=pk)
        if job.state != ExportJob.State.DONE or not job.file or job.expires_at <= clock.now():
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
