"""The application's budget workbook (the same builder as the pages)."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from budgets.workbooks import (
    application_workbook,
    application_workbook_filename,
)
from kernel.api.files import XLSX_RESPONSE
from kernel.downloads import xlsx_response

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
