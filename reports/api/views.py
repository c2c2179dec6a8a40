"""The round's workbook (the same builder as the page)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from kernel.api.files import XLSX_RESPONSE
from kernel.api.permissions import ReadsAll
from kernel.downloads import xlsx_response
from programmes.models import Round

from ..round_workbook import round_workbook, round_workbook_filename


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
