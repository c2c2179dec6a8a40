"""The budget import over the API, as the pages offer it: the template to fill in, a preview
of the filled-in file, and its confirmation (all lines or none).

The confirmation sends the previewed file again with the preview's token. The server keeps
no upload between the two calls: a script has the file at hand anyway, nothing is left behind
by previews that are never confirmed, and any worker can take the confirmation without a
session or a shared store. The token is signed and names the application, the user, the
file's digest and the state of the budget it was read against, so a different file, another
user or a budget changed meanwhile is refused (422, 422, 409). (The pages keep the file in the
session instead, so the browser need not upload it twice.)
"""

from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.import_serializers import (
    BudgetImportConfirmation,
    BudgetImportPreviewSerializer,
    BudgetImportRefusalSerializer,
    BudgetImportResultSerializer,
    BudgetImportUpload,
)
from budgets.imports import (
    ImportRefused,
    budget_import_confirm,
    budget_import_preview,
    refusal_status,
)
from budgets.services import NOT_YOURS
from budgets.workbooks import budget_template_data, budget_template_filename, write_budget_template
from kernel.api.files import XLSX_RESPONSE
from kernel.downloads import xlsx_response

from .. import access
from ..models import Application
from .scope import ApplicationScoped
from .views import APPLICATION_ID

REFUSED = {
    code: OpenApiResponse(BudgetImportRefusalSerializer, why)
    for code, why in (
        (413, "The file is larger than the limit; nothing was read."),
        (415, "Not an .xlsx workbook, with macros, damaged, or a zip or XML bomb."),
        (422, "Problems in the content, each by sheet, row and column; nothing written."),
    )
}


class BudgetImportScoped(ApplicationScoped):
    """The application, which the user must be allowed to change (auditors read only)."""

    def writable_application(self) -> Application:
        application = self.get_application()
        if not access.can_write_application(self.request.user, application):
            raise PermissionDenied(_(NOT_YOURS))
        return application


class BudgetTemplateView(BudgetImportScoped, APIView):
    @extend_schema(
        parameters=[APPLICATION_ID],
        responses=XLSX_RESPONSE,
        summary="The import template, filled with the budget as it is now (.xlsx)",
    )
    def get(self, request: Request, application_pk: int) -> HttpResponse:
        application = self.writable_application()
        stream = BytesIO()
        write_budget_template(budget_template_data(application, by=request.user), stream)
        return xlsx_response(stream.getvalue(), budget_template_filename(application))


class BudgetImportPreviewView(BudgetImportScoped, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[APPLICATION_ID],
        request={"multipart/form-data": BudgetImportUpload},
        responses={200: BudgetImportPreviewSerializer, **REFUSED},
        summary="Preview importing a filled-in template; writes nothing",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        application = self.writable_application()
        given = BudgetImportUpload(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        preview = budget_import_preview(
            application=application, file=upload, by=request.user, filename=upload.name
        )
        if not preview.is_valid:
            return Response(
                BudgetImportRefusalSerializer(preview).data, status=refusal_status(preview.problems)
            )
        return Response(BudgetImportPreviewSerializer(preview).data)


class BudgetImportConfirmView(BudgetImportScoped, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[APPLICATION_ID],
        request={"multipart/form-data": BudgetImportConfirmation},
        responses={
            200: BudgetImportResultSerializer,
            409: OpenApiResponse(
                BudgetImportRefusalSerializer, "The budget changed after the preview."
            ),
            **REFUSED,
        },
        summary="Import the previewed file with its token: all lines or none",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        application = self.writable_application()
        given = BudgetImportConfirmation(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        try:
            result = budget_import_confirm(
                application=application,
                file=upload,
                token=given.validated_data["token"],
                by=request.user,
                filename=upload.name,
            )
        except ImportRefused as refused:
            return Response(
                BudgetImportRefusalSerializer(refused).data, status=refusal_status(refused.problems)
            )
        return Response(BudgetImportResultSerializer(result).data)
