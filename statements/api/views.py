"""Statements, their lines, figures, transitions, history and workbook, and settlements.

Views parse the input, find the object among those the user may read (else 404), call the
service, and serialise its result. Errors are mapped once, in ``funding.api.errors``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api.scope import ApplicationScoped
from budgets.api.import_serializers import (
    BudgetImportConfirmation,
    BudgetImportRefusalSerializer,
    BudgetImportUpload,
)
from budgets.api.serializers import ErrorSerializer
from budgets.imports import ImportRefused, refusal_status
from budgets.models import BudgetPosition, RDProject
from correspondence.api.views import REFUSED as DOCUMENT_REFUSED
from correspondence.api.views import refusal
from correspondence.downloads import document_response
from correspondence.filetypes import MEDIA_TYPES, UploadRefused
from kernel.api.files import XLSX_RESPONSE
from kernel.api.permissions import FundingRole
from kernel.downloads import xlsx_response
from programmes.models import Organisation

from .. import access
from ..imports import actuals_import_confirm, actuals_import_preview, actuals_template
from ..models import (
    Settlement,
    Statement,
    StatementDocument,
    StatementLine,
    StatementTransition,
)
from ..selectors import (
    SETTLEMENT_TRANSITIONS,
    STATEMENT_TRANSITIONS,
    figures_of,
    settlements_listed,
    statement_history,
    transition_option,
    with_totals,
)
from ..services import (
    settlement_prepare,
    settlement_transition,
    statement_create,
    statement_document_attach,
    statement_lines_save,
    statement_transition,
    statement_update,
)
from ..workbook import statement_filename, statement_workbook
from .serializers import (
    ActualsPreviewSerializer,
    SettlementPrepareInput,
    SettlementSerializer,
    SettlementTransitionInput,
    StatementChange,
    StatementCreateInput,
    StatementDocumentInput,
    StatementDocumentSerializer,
    StatementFiguresSerializer,
    StatementLineSerializer,
    StatementLinesInput,
    StatementSerializer,
    StatementTransitionInput,
    StatementTransitionOptionSerializer,
    StatementTransitionRecordSerializer,
)

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
STATEMENT_TRANSITION = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(STATEMENT_TRANSITIONS)
)
SETTLEMENT_TRANSITION = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(SETTLEMENT_TRANSITIONS)
)
UNKNOWN = gettext_lazy("There is no such object.")
NO_PLAN = gettext_lazy("The grantee is no longer in the current plan.")


def visible_statements(user: Any) -> QuerySet[Statement]:
    return with_totals(access.statements_visible_to(user)).select_related("settlement")


def statement_data(statement: Statement, user: Any) -> Any:
    """The statement as the API shows it, read afresh after a write."""
    return StatementSerializer(visible_statements(user).get(pk=statement.pk)).data


def _lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: UNKNOWN}, code="unknown")
    return found


class StatementScoped:
    """Views under ``statements/<pk>/``: a statement the user may read, or 404."""

    kwargs: dict[str, Any]
    request: Any

    def get_statement(self) -> Statement:
        visible = access.statements_visible_to(self.request.user).select_related(
            "application__round__programme",
            "application__cluster__management_organisation",
            "grantee",
        )
        statement: Statement = get_object_or_404(visible, pk=self.kwargs["pk"])
        return statement


@extend_schema(summary="Every statement you may read, newest first")
class StatementListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = StatementSerializer
    permission_classes = [FundingRole]
    filterset_fields = ["kind", "state", "application", "year", "phase", "grantee"]
    ordering_fields = ["created_at", "year", "state"]

    def get_queryset(self) -> QuerySet[Statement]:
        return visible_statements(self.request.user)


class ApplicationStatementsView(ApplicationScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[APPLICATION_ID],
        request=StatementCreateInput,
        responses={201: StatementSerializer, 400: ErrorSerializer},
        summary="Start a grantee's interim statement of an ended year, or its final statement",
        description=(
            "400 with the numbers for a year outside the phase or not yet ended, a phase not "
            "yet ended (final), a grantee not in the plan, or a statement that exists already."
        ),
    )
    def post(self, request: Request, application_pk: int) -> Response:
        application = self.get_application()
        given = StatementCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        statement = statement_create(
            application=application,
            rd_project=_lookup(RDProject, data.pop("rd_project", None), "rd_project"),
            grantee=_lookup(Organisation, data.pop("grantee"), "grantee"),
            by=request.user,
            **data,
        )
        return Response(statement_data(statement, request.user), status.HTTP_201_CREATED)


class StatementDetailView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(responses=StatementSerializer, summary="A statement")
    def get(self, request: Request, pk: int) -> Response:
        return Response(statement_data(self.get_statement(), request.user))

    @extend_schema(
        request=StatementChange,
        responses={200: StatementSerializer, 400: ErrorSerializer},
        summary="Change the narrative report (its cluster management, while it has it)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = StatementChange(data=request.data)
        given.is_valid(raise_exception=True)
        statement_update(
            statement=statement, narrative=given.validated_data["narrative"], by=request.user
        )
        return Response(statement_data(statement, request.user))


class StatementLinesView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=StatementLineSerializer(many=True),
        summary="The actuals per position and year",
    )
    def get(self, request: Request, pk: int) -> Response:
        lines = StatementLine.objects.filter(statement=self.get_statement()).select_related(
            "position"
        )
        return Response(StatementLineSerializer(lines, many=True).data)

    @extend_schema(
        request=StatementLinesInput,
        responses={200: StatementLineSerializer(many=True), 400: ErrorSerializer},
        summary="Replace the actuals (all lines or none)",
        description=(
            "400 with the numbers for a negative amount, a year outside the statement, or a "
            "position not in the grantee's plan; nothing is written then."
        ),
    )
    def put(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = StatementLinesInput(data=request.data)
        given.is_valid(raise_exception=True)
        items = given.validated_data["lines"]
        known = BudgetPosition.objects.in_bulk([item["position"] for item in items])
        if any(item["position"] not in known for item in items):
            raise ValidationError({"lines": UNKNOWN}, code="unknown")
        lines = [(known[i["position"]], i["year"], i["actual_amount"]) for i in items]
        statement_lines_save(statement=statement, lines=lines, by=request.user)
        return self.get(request, pk)


class StatementFiguresView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=StatementFiguresSerializer,
        summary="Plan, actual, difference and the 20 % rule per position; paid and unspent",
        description=(
            "Against the grantee's current approved plan. ``findings`` names each position "
            "beyond the tolerance and each year whose savings do not cover its excesses."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        view = figures_of(self.get_statement())
        if view.figures is None:
            raise NotFound(NO_PLAN)
        return Response(StatementFiguresSerializer(view.figures).data)


class StatementWorkbookView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=XLSX_RESPONSE,
        summary="The numerical statement (.xlsx): plan, actual and paid, totals as formulas",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        statement = self.get_statement()
        content = statement_workbook(statement)
        if content is None:
            raise NotFound(NO_PLAN)
        return xlsx_response(content, statement_filename(statement))


class StatementTransitionOptionsView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=StatementTransitionOptionSerializer(many=True),
        summary="Every transition of the statement: may you fire it now, and if not, why not",
    )
    def get(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        options = [transition_option(statement, n, request.user) for n in STATEMENT_TRANSITIONS]
        return Response(StatementTransitionOptionSerializer(options, many=True).data)


class StatementTransitionView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[STATEMENT_TRANSITION],
        request=StatementTransitionInput,
        responses={200: StatementSerializer, 409: ErrorSerializer},
        summary="Submit, accept, or return with questions (a comment)",
        description=(
            "403 when your role may not, 409 when the statement changed since you saw it."
        ),
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in STATEMENT_TRANSITIONS:
            raise NotFound()
        statement = self.get_statement()
        given = StatementTransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        changed = statement_transition(
            statement=statement,
            name=name,
            by=request.user,
            comment=given.validated_data["comment"],
            expected_state=given.validated_data.get("expected_state"),
        )
        return Response(statement_data(changed, request.user))


@extend_schema(summary="Every state change of the statement, oldest first")
class StatementHistoryView(StatementScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = StatementTransitionRecordSerializer
    permission_classes = [FundingRole]
    ordering_fields = ["at"]

    def get_queryset(self) -> QuerySet[StatementTransition]:
        if getattr(self, "swagger_fake_view", False):
            return StatementTransition.objects.none()
        return statement_history(self.get_statement())


class StatementSettlementView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        request=SettlementPrepareInput,
        responses={201: SettlementSerializer, 400: ErrorSerializer},
        summary="Prepare the settlement of an accepted final statement (officers)",
        description=(
            "Eligible actuals × funding rate (+ Projektpauschale), never above the approved "
            "grant, against what was paid. A ``settled_amount`` above the approved grant or "
            "above what the actuals carry is refused with the numbers."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = SettlementPrepareInput(data=request.data)
        given.is_valid(raise_exception=True)
        settlement = settlement_prepare(
            statement=statement,
            by=request.user,
            settled_amount=given.validated_data.get("settled_amount"),
            comment=given.validated_data["comment"],
        )
        found = settlements_listed(access.settlements_visible_to(request.user)).get(
            pk=settlement.pk
        )
        return Response(SettlementSerializer(found).data, status.HTTP_201_CREATED)


def visible_settlements(user: Any) -> QuerySet[Settlement]:
    return settlements_listed(access.settlements_visible_to(user))


class SettlementScoped:
    kwargs: dict[str, Any]
    request: Any

    def get_settlement(self) -> Settlement:
        found: Settlement = get_object_or_404(
            visible_settlements(self.request.user), pk=self.kwargs["pk"]
        )
        return found


@extend_schema(summary="Every settlement you may read, newest first")
class SettlementListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = SettlementSerializer
    permission_classes = [FundingRole]
    filterset_fields = ["state", "statement"]
    ordering_fields = ["prepared_at"]

    def get_queryset(self) -> QuerySet[Settlement]:
        return visible_settlements(self.request.user)


class SettlementDetailView(SettlementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(responses=SettlementSerializer, summary="A settlement with its balance")
    def get(self, request: Request, pk: int) -> Response:
        return Response(SettlementSerializer(self.get_settlement()).data)


class SettlementTransitionView(SettlementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[SETTLEMENT_TRANSITION],
        request=SettlementTransitionInput,
        responses={200: SettlementSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
        summary="Decide a prepared settlement (an officer who did not prepare it)",
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in SETTLEMENT_TRANSITIONS:
            raise NotFound()
        settlement = self.get_settlement()
        given = SettlementTransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        settlement_transition(
            settlement=settlement,
            name=name,
            by=request.user,
            expected_state=given.validated_data.get("expected_state"),
        )
        return Response(SettlementSerializer(self.get_settlement()).data)


IMPORT_REFUSED = {
    code: OpenApiResponse(BudgetImportRefusalSerializer, why)
    for code, why in (
        (409, "The statement changed after the preview."),
        (413, "The file is larger than the limit; nothing was read."),
        (415, "Not an .xlsx workbook, with macros, damaged, or a zip or XML bomb."),
        (422, "Problems in the content, each by sheet, row and column; nothing written."),
    )
}


class ActualsTemplateView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=XLSX_RESPONSE,
        summary="The actuals template: every position and year of the plan, with the plan",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        statement = self.get_statement()
        return xlsx_response(actuals_template(statement), f"statement-{statement.pk}-actuals.xlsx")


class ActualsImportPreviewView(StatementScoped, APIView):
    permission_classes = [FundingRole]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": BudgetImportUpload},
        responses={200: ActualsPreviewSerializer, **IMPORT_REFUSED},
        summary="Preview importing the filled-in actuals template; writes nothing",
    )
    def post(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = BudgetImportUpload(data=request.data)
        given.is_valid(raise_exception=True)
        preview = actuals_import_preview(
            statement=statement, file=given.validated_data["file"], by=request.user
        )
        if not preview.is_valid:
            return Response(
                BudgetImportRefusalSerializer(preview).data,
                status=refusal_status(preview.problems),
            )
        return Response(ActualsPreviewSerializer(preview).data)


class ActualsImportConfirmView(StatementScoped, APIView):
    permission_classes = [FundingRole]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": BudgetImportConfirmation},
        responses={200: StatementLineSerializer(many=True), **IMPORT_REFUSED},
        summary="Import the previewed actuals with the preview's token: all lines or none",
    )
    def post(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = BudgetImportConfirmation(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            actuals_import_confirm(
                statement=statement,
                file=given.validated_data["file"],
                token=given.validated_data["token"],
                by=request.user,
            )
        except ImportRefused as refused:
            return Response(
                BudgetImportRefusalSerializer(refused).data,
                status=refusal_status(refused.problems),
            )
        lines = StatementLine.objects.filter(statement=statement).select_related("position")
        return Response(StatementLineSerializer(lines, many=True).data)


class StatementDocumentsView(StatementScoped, generics.ListAPIView):  # type: ignore[type-arg]
    """The statement's attachments, oldest first."""

    serializer_class = StatementDocumentSerializer
    permission_classes = [FundingRole]
    parser_classes = [MultiPartParser]
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[StatementDocument]:
        if getattr(self, "swagger_fake_view", False):
            return StatementDocument.objects.none()
        return self.get_statement().documents.select_related("uploaded_by").order_by("pk")

    @extend_schema(
        request={"multipart/form-data": StatementDocumentInput},
        responses={201: StatementDocumentSerializer, **DOCUMENT_REFUSED},
        summary="Attach a document (its cluster management, while it has the statement)",
    )
    def post(self, request: Request, pk: int) -> Response:
        statement = self.get_statement()
        given = StatementDocumentInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            document = statement_document_attach(
                statement=statement, file=given.validated_data["file"], by=request.user
            )
        except UploadRefused as refused:
            return refusal(refused)
        return Response(StatementDocumentSerializer(document).data, status.HTTP_201_CREATED)


class StatementDocumentDownloadView(StatementScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[OpenApiParameter("document_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, media): OpenApiTypes.BINARY for media in MEDIA_TYPES.values()},
        summary="Download an attachment (always as a file)",
    )
    def get(self, request: Request, pk: int, document_pk: int) -> HttpResponse:
        document = get_object_or_404(self.get_statement().documents, pk=document_pk)
        # A statement's document has the fields of correspondence's Document that the response
        # reads (stored name, type, name), so it is sent the same way.
        return document_response(document)  # type: ignore[arg-type]
