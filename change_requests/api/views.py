"""Change requests with their differences, transitions and history, and the versions of an
application's plan.

Views parse the input, find the object among those the user may read (else 404), call the
service, and serialise its result. Errors are mapped once, in ``funding.api.errors``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
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
from budgets.plan import LineInput
from kernel.api.permissions import FundingRole
from programmes.models import Organisation

from .. import access
from ..models import ChangeRequest, ChangeRequestLine
from ..proposal import proposal_of
from ..selectors import (
    TRANSITION_NAMES,
    change_request_history,
    transition_option,
    version_detail,
    version_views,
    with_relations,
)
from ..services import change_request_create, change_request_transition, change_request_update
from .serializers import (
    ChangeRequestChange,
    ChangeRequestDetailSerializer,
    ChangeRequestSerializer,
    ChangeRequestTransitionInput,
    PlanVersionDetailSerializer,
    PlanVersionSerializer,
)

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
TRANSITION_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES)
)
VERSION_NUMBER = OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)
UNKNOWN = gettext_lazy("There is no such object.")


def visible_change_requests(user: Any) -> QuerySet[ChangeRequest]:
    lines = ChangeRequestLine.objects.order_by("pk")
    return with_relations(access.change_requests_visible_to(user)).prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def detail_data(change_request: ChangeRequest, user: Any) -> Any:
    """The request as the API shows it, read afresh, with the plan against the proposal, the
    transitions the user may fire and the history."""
    fresh = visible_change_requests(user).get(pk=change_request.pk)
    fresh.difference = proposal_of(fresh)  # type: ignore[attr-defined]
    fresh.transition_options = [  # type: ignore[attr-defined]
        transition_option(fresh, name, user) for name in TRANSITION_NAMES
    ]
    fresh.history_rows = list(change_request_history(fresh))  # type: ignore[attr-defined]
    return ChangeRequestDetailSerializer(fresh).data


def _lines(given: list[dict[str, Any]]) -> list[LineInput]:
    """The proposed lines with their objects, each looked up once; an unknown id is a 400."""
    found: dict[str, dict[int, Any]] = {
        "grantee": Organisation.objects.in_bulk({item["grantee"] for item in given}),
        "position": BudgetPosition.objects.in_bulk({item["position"] for item in given}),
        "rd_project": RDProject.objects.in_bulk(
            {item["rd_project"] for item in given if item.get("rd_project")}
        ),
    }
    lines = []
    for item in given:
        objects: dict[str, Any] = {}
        for name, known in found.items():
            pk = item.get(name)
            if pk is not None and pk not in known:
                raise ValidationError({"lines": UNKNOWN}, code="unknown")
            objects[name] = known.get(pk) if pk is not None else None
        lines.append(
            LineInput(
                phase=item["phase"],
                year=item["year"],
                eligible_amount=item["eligible_amount"],
                **objects,
            )
        )
    return lines


class ChangeRequestScoped:
    """Views under ``change-requests/<pk>/``: a request the user may read, or 404."""

    kwargs: dict[str, Any]
    request: Any

    def get_change_request(self) -> ChangeRequest:
        visible = access.change_requests_visible_to(self.request.user).select_related(
            "application__round__programme", "application__cluster__management_organisation"
        )
        found: ChangeRequest = get_object_or_404(visible, pk=self.kwargs["pk"])
        return found


@extend_schema(summary="Every change request you may read, newest first")
class ChangeRequestListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ChangeRequestSerializer
    permission_classes = [FundingRole]
    filterset_fields = ["state", "application"]
    ordering_fields = ["created_at", "state"]

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return visible_change_requests(self.request.user)


class ApplicationChangeRequestsView(ApplicationScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ChangeRequestSerializer
    permission_classes = [FundingRole]
    filter_backends: list[Any] = []

    @extend_schema(parameters=[APPLICATION_ID], summary="The application's change requests")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        if self.is_schema_view:
            return ChangeRequest.objects.none()
        return visible_change_requests(self.request.user).filter(application=self.get_application())

    @extend_schema(
        parameters=[APPLICATION_ID],
        request=ChangeRequestChange,
        responses={201: ChangeRequestDetailSerializer, 400: ErrorSerializer},
        summary="Propose a change to the approved plan (a draft, by the cluster management)",
        description=(
            "400 with the numbers when a rule refuses it: a plan that is not approved, another "
            "open change request, a broken cap (``errors`` lists each), a total that changes."
        ),
    )
    def post(self, request: Request, application_pk: int) -> Response:
        application = self.get_application()
        given = ChangeRequestChange(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        created = change_request_create(
            application=application,
            lines=_lines(data.pop("lines", [])),
            by=request.user,
            **data,
        )
        return Response(detail_data(created, request.user), status.HTTP_201_CREATED)


class ChangeRequestDetailView(ChangeRequestScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        responses=ChangeRequestDetailSerializer,
        summary="A change request: the plan against the proposal, transitions, history",
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail_data(self.get_change_request(), request.user))

    @extend_schema(
        request=ChangeRequestChange,
        responses={200: ChangeRequestDetailSerializer, 400: ErrorSerializer},
        summary="Change a draft or returned proposal (its cluster management)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        change_request = self.get_change_request()
        given = ChangeRequestChange(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        lines = data.pop("lines", None)
        change_request_update(
            change_request=change_request,
            by=request.user,
            lines=None if lines is None else _lines(lines),
            **data,
        )
        return Response(detail_data(change_request, request.user))


class ChangeRequestTransitionView(ChangeRequestScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[TRANSITION_NAME],
        request=ChangeRequestTransitionInput,
        responses={200: ChangeRequestDetailSerializer, 409: ErrorSerializer},
        summary="Fire a transition (submit; approve, refuse or return with questions)",
        description=(
            "400 when a rule refuses (``errors`` lists each with its numbers), 403 when your "
            "role may not, 409 when the request changed meanwhile. ``approve`` makes the "
            "proposal the plan's next version."
        ),
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in TRANSITION_NAMES:
            raise NotFound()
        change_request = self.get_change_request()
        given = ChangeRequestTransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        changed = change_request_transition(
            change_request=change_request,
            name=name,
            by=request.user,
            comment=given.validated_data["comment"],
            expected_state=given.validated_data.get("expected_state"),
        )
        return Response(detail_data(changed, request.user))


class PlanVersionListView(ApplicationScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[APPLICATION_ID],
        responses=PlanVersionSerializer(many=True),
        summary="Every version of the application's plan, oldest first, the last current",
    )
    def get(self, request: Request, application_pk: int) -> Response:
        views = version_views(self.get_application())
        return Response(PlanVersionSerializer(views, many=True).data)


class PlanVersionDetailView(ApplicationScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[APPLICATION_ID, VERSION_NUMBER],
        responses=PlanVersionDetailSerializer,
        summary="One version of the plan: its dates, lines and total funding",
    )
    def get(self, request: Request, application_pk: int, number: int) -> Response:
        detail = version_detail(self.get_application(), number)
        if detail is None:
            raise NotFound()
        return Response(PlanVersionDetailSerializer(detail).data)
