"""The application's and the round's budget workbooks (the same builders as the pages)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from budgets.workbooks import (
    application_workbook,
    application_workbook_filename,
    round_workbook,
    round_workbook_filename,
)
from funding.api.files import XLSX_RESPONSE
from funding.api.permissions import ReadsAll
from funding.downloads import xlsx_response
from programmes.models import Round

from .scope import ApplicationScoped
from .views import APPLICATION_ID


class ApplicationWorkbookView(ApplicationScoped, APIView):
    @extend_schema(
        parameters=[APPLICATION_ID],
        responses=XLSX_RESPONSE,
        summary="The application's budget workbook (.xlsx)",
    )
    def get(self, request: Request, application_pk: int) -> HttpResponse:
        application = self.get_application()
        built = application_workbook(application, by=request.user)
        return xlsx_response(built.to_bytes(), application_workbook_filename(application))


class RoundWorkbookView(APIView):
    permission_classes = (ReadsAll,)

    @extend_schema(
        responses=XLSX_RESPONSE,
        summary="The round's workbook: every application, totals, audit trail (.xlsx)",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
        built = round_workbook(round_, by=request.user)
        return xlsx_response(built.to_bytes(), round_workbook_filename(round_))
