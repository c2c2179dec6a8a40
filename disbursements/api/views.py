"""Drawdown requests, their transitions and history, the grantees' approved, drawn and
remaining grant per year, and payment runs.

Views parse the input, find the object among those the user may read (else 404), call the
service, and serialise its result. Errors are mapped once, in ``funding.api.errors``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api.scope import ApplicationScoped
from budgets.api.serializers import ErrorSerializer
from budgets.models import BudgetPosition, RDProject
from kernel.api.files import XLSX_RESPONSE
from kernel.api.permissions import FundingRole
from kernel.downloads import xlsx_response
from kernel.roles import is_payment_officer
from programmes.models import Organisation

from .. import access
from ..models import DrawdownPosition, DrawdownRequest, DrawdownTransition, PaymentRun
from ..selectors import (
    TRANSITION_NAMES,
    drawdown_history,
    grantee_years,
    payment_run_rows,
    payment_runs_with_totals,
    transition_option,
    with_amounts,
)
from ..services import (
    NOT_PAYMENT_OFFICER,
    drawdown_create,
    drawdown_report_spent,
    drawdown_transition,
    drawdown_update,
    payment_run_create,
    payment_run_mark_paid,
)
from ..workbook import build_payment_run_workbook, payment_run_filename
from .serializers import (
    DrawdownChange,
    DrawdownCreateInput,
    DrawdownSerializer,
    DrawdownTransitionInput,
    DrawdownTransitionOptionSerializer,
    DrawdownTransitionRecordSerializer,
    GranteeYearSerializer,
    PaymentRunCreateInput,
    PaymentRunPayInput,
    PaymentRunSerializer,
    SpentInput,
)

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
TRANSITION_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES)
)
UNKNOWN = gettext_lazy("There is no such object.")
RUNS_NOT_YOURS = gettext_noop("Only officers, payment officers and auditors see payment runs.")


class DrawdownRole(FundingRole):
    """Payment officers write here too (they release and pay)."""

    def may_write(self, user: Any) -> bool:
        return super().may_write(user) or is_payment_officer(user)

    def has_permission(self, request: Request, view: Any) -> bool:
        # A payment officer holds no other role, which the base class would count as none.
        if is_payment_officer(request.user):
            return True
        return super().has_permission(request, view)


def visible_drawdowns(user: Any) -> QuerySet[DrawdownRequest]:
    positions = DrawdownPosition.objects.select_related("position")
    return (
        with_amounts(access.drawdowns_visible_to(user))
        .prefetch_related(Prefetch("positions", queryset=positions))
        .select_related("checked_by", "released_by")
    )


def drawdown_data(drawdown: DrawdownRequest, user: Any) -> Any:
    """The request as the API shows it, read afresh after a write."""
    return DrawdownSerializer(visible_drawdowns(user).get(pk=drawdown.pk)).data


def _lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: UNKNOWN}, code="unknown")
    return found


def _positions(given: list[dict[str, Any]]) -> list[tuple[BudgetPosition, Any]]:
    known = BudgetPosition.objects.in_bulk([item["position"] for item in given])
    missing = [item["position"] for item in given if item["position"] not in known]
    if missing:
        raise ValidationError({"positions": UNKNOWN}, code="unknown")
    return [(known[item["position"]], item["amount"]) for item in given]


class DrawdownScoped:
    """Views under ``drawdowns/<pk>/``: a request the user may read, or 404."""

    kwargs: dict[str, Any]
    request: Any

    def get_drawdown(self) -> DrawdownRequest:
        visible = access.drawdowns_visible_to(self.request.user).select_related(
            "application__round__programme", "application__cluster__management_organisation"
        )
        drawdown: DrawdownRequest = get_object_or_404(visible, pk=self.kwargs["pk"])
        return drawdown


@extend_schema(summary="Every drawdown request you may read, newest first")
class DrawdownListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = DrawdownSerializer
    permission_classes = [DrawdownRole]
    filterset_fields = ["state", "application", "year", "phase"]
    ordering_fields = ["created_at", "year", "state"]

    def get_queryset(self) -> QuerySet[DrawdownRequest]:
        return visible_drawdowns(self.request.user)


class ApplicationDrawdownsView(ApplicationScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(
        parameters=[APPLICATION_ID],
        request=DrawdownCreateInput,
        responses={201: DrawdownSerializer, 400: ErrorSerializer},
        summary="Enter a draft drawdown request of one of the application's grantees",
        description="400 with the numbers when a rule refuses it (``errors`` lists each).",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        application = self.get_application()
        given = DrawdownCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        drawdown = drawdown_create(
            application=application,
            rd_project=_lookup(RDProject, data.pop("rd_project", None), "rd_project"),
            grantee=_lookup(Organisation, data.pop("grantee"), "grantee"),
            positions=_positions(data.pop("positions")),
            by=request.user,
            **data,
        )
        return Response(drawdown_data(drawdown, request.user), status.HTTP_201_CREATED)


@extend_schema(
    parameters=[APPLICATION_ID],
    summary="Each grantee's approved grant per year, what is requested of it, paid, remaining",
)
class GranteeYearsView(ApplicationScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = GranteeYearSerializer
    permission_classes = [DrawdownRole]
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return []
        if not access.can_read_all_drawdowns(self.request.user) and not (
            access.can_enter_drawdowns(self.request.user, self.get_application())
        ):
            raise NotFound()
        return grantee_years([self.get_application()])


class DrawdownDetailView(DrawdownScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(responses=DrawdownSerializer, summary="A drawdown request")
    def get(self, request: Request, pk: int) -> Response:
        return Response(drawdown_data(self.get_drawdown(), request.user))

    @extend_schema(
        request=DrawdownChange,
        responses={200: DrawdownSerializer, 400: ErrorSerializer},
        summary="Change a draft or returned request (its cluster management)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        drawdown = self.get_drawdown()
        given = DrawdownChange(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        positions = data.pop("positions", None)
        drawdown_update(
            drawdown=drawdown,
            by=request.user,
            positions=None if positions is None else _positions(positions),
            **data,
        )
        return Response(drawdown_data(drawdown, request.user))


class DrawdownTransitionOptionsView(DrawdownScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(
        responses=DrawdownTransitionOptionSerializer(many=True),
        summary="Every transition: may you fire it now, and if not, why not",
    )
    def get(self, request: Request, pk: int) -> Response:
        drawdown = self.get_drawdown()
        options = [transition_option(drawdown, name, request.user) for name in TRANSITION_NAMES]
        return Response(DrawdownTransitionOptionSerializer(options, many=True).data)


class DrawdownTransitionView(DrawdownScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(
        parameters=[TRANSITION_NAME],
        request=DrawdownTransitionInput,
        responses={200: DrawdownSerializer, 409: ErrorSerializer},
        summary="Fire a transition",
        description=(
            "400 when a rule refuses (``errors`` lists each with its numbers), 403 when your "
            "role may not or four eyes forbid it, 409 when the request changed meanwhile. "
            "``pay`` happens with the payment run."
        ),
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in TRANSITION_NAMES:
            raise NotFound()
        drawdown = self.get_drawdown()
        given = DrawdownTransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        changed = drawdown_transition(
            drawdown=drawdown,
            name=name,
            by=request.user,
            comment=given.validated_data["comment"],
            expected_state=given.validated_data.get("expected_state"),
        )
        return Response(drawdown_data(changed, request.user))


@extend_schema(summary="Every state change of the request, oldest first")
class DrawdownHistoryView(DrawdownScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = DrawdownTransitionRecordSerializer
    permission_classes = [DrawdownRole]
    ordering_fields = ["at"]

    def get_queryset(self) -> QuerySet[DrawdownTransition]:
        if getattr(self, "swagger_fake_view", False):
            return DrawdownTransition.objects.none()
        return drawdown_history(self.get_drawdown())


class DrawdownSpentView(DrawdownScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(
        request=SpentInput,
        responses={200: DrawdownSerializer, 400: ErrorSerializer},
        summary="Report a paid AZA request as spent (its cluster management)",
    )
    def post(self, request: Request, pk: int) -> Response:
        drawdown = self.get_drawdown()
        given = SpentInput(data=request.data)
        given.is_valid(raise_exception=True)
        drawdown_report_spent(
            drawdown=drawdown, spent_on=given.validated_data["spent_reported_on"], by=request.user
        )
        return Response(drawdown_data(drawdown, request.user))


class PaymentRunScoped:
    kwargs: dict[str, Any]
    request: Any

    def get_run(self) -> PaymentRun:
        runs = payment_runs_with_totals(access.payment_runs_visible_to(self.request.user))
        run: PaymentRun = get_object_or_404(runs.select_related("created_by"), pk=self.kwargs["pk"])
        return run


def runs_or_refused(user: Any) -> QuerySet[PaymentRun]:
    """Payment runs are the officers', payment officers' and auditors' (403 for the others)."""
    if not access.can_read_all_drawdowns(user):
        raise PermissionDenied(_(RUNS_NOT_YOURS))
    return (
        payment_runs_with_totals(access.payment_runs_visible_to(user))
        .select_related("created_by")
        .prefetch_related("requests")
    )


class PaymentRunListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = PaymentRunSerializer
    permission_classes = [DrawdownRole]
    ordering_fields = ["created_at"]

    @extend_schema(summary="The payment runs, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PaymentRun]:
        if getattr(self, "swagger_fake_view", False):
            return PaymentRun.objects.none()
        return runs_or_refused(self.request.user)

    @extend_schema(
        request=PaymentRunCreateInput,
        responses={201: PaymentRunSerializer, 400: ErrorSerializer},
        summary="Group released requests into a payment run (payment officers)",
    )
    def post(self, request: Request) -> Response:
        if not access.can_manage_payment_runs(request.user):
            raise PermissionDenied(_(NOT_PAYMENT_OFFICER))
        given = PaymentRunCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        ids = given.validated_data["drawdowns"]
        drawdowns = list(access.drawdowns_visible_to(request.user).filter(pk__in=ids))
        if len(drawdowns) != len(set(ids)):
            raise ValidationError({"drawdowns": UNKNOWN}, code="unknown")
        run = payment_run_create(drawdowns=drawdowns, by=request.user)
        return Response(
            PaymentRunSerializer(runs_or_refused(request.user).get(pk=run.pk)).data,
            status.HTTP_201_CREATED,
        )


class PaymentRunDetailView(PaymentRunScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(responses=PaymentRunSerializer, summary="A payment run with its total")
    def get(self, request: Request, pk: int) -> Response:
        return Response(PaymentRunSerializer(self.get_run()).data)


class PaymentRunPayView(PaymentRunScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(
        request=PaymentRunPayInput,
        responses={200: PaymentRunSerializer, 400: ErrorSerializer},
        summary="Mark the run paid: each request gets the payment date and reference",
    )
    def post(self, request: Request, pk: int) -> Response:
        run = self.get_run()
        given = PaymentRunPayInput(data=request.data)
        given.is_valid(raise_exception=True)
        payment_run_mark_paid(
            run=run,
            paid_on=given.validated_data["paid_on"],
            reference=given.validated_data["payment_reference"],
            by=request.user,
        )
        return Response(PaymentRunSerializer(self.get_run()).data)


class PaymentRunWorkbookView(PaymentRunScoped, APIView):
    permission_classes = [DrawdownRole]

    @extend_schema(responses=XLSX_RESPONSE, summary="The payment run for the cash office (.xlsx)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        run = self.get_run()
        content = build_payment_run_workbook(run, list(payment_run_rows(run)))
        return xlsx_response(content, payment_run_filename(run))
