"""The application's budget workbook (the same builder as the pages)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from budgets.models import PlanVersion
from budgets.versions import version_asked
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
        parameters=[
            APPLICATION_ID,
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="An approved version of the plan (default: the current plan).",
            ),
        ],
        responses=XLSX_RESPONSE,
        summary="The application's budget workbook (.xlsx)",
    )
    def get(self, request: Request, application_pk: int) -> HttpResponse:
        application = self.get_application()
        try:
            version = version_asked(application, request.query_params.get("version"))
        except PlanVersion.DoesNotExist as gone:
            raise NotFound from gone
        built = application_workbook(application, by=request.user, version=version)
        return xlsx_response(built.to_bytes(), application_workbook_filename(application))
