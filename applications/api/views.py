"""Applications, partner regions, the workflow and its history, the history of what decides
their funding, and a round's overview.

Views parse the input, find the object among those the user may read (else 404), call the
service, and serialise its result. Errors are mapped once, in ``funding.api.errors``.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.serializers import ErrorSerializer
from budgets.audit import RecordedChange, recorded_changes
from kernel.api.permissions import ReadsAll
from programmes.models import Round

from .. import access
from ..models import Application, ApplicationTransition, PartnerRegion
from ..selectors import (
    TRANSITION_NAMES,
    application_history,
    round_applications,
    round_rows,
    round_totals,
    transition_options,
)
from ..services import (
    application_create,
    application_transition,
    application_update,
    partner_region_add,
    partner_region_remove,
)
from .filters import ApplicationFilter
from .scope import ApplicationScoped
from .serializers import (
    ApplicationChange,
    ApplicationCreateInput,
    ApplicationSerializer,
    PartnerRegionInput,
    PartnerRegionSerializer,
    RecordedChangeSerializer,
    RoundLineSerializer,
    RoundOverviewSerializer,
    TransitionInput,
    TransitionOptionSerializer,
    TransitionRecordSerializer,
)

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def visible_applications(user: Any) -> QuerySet[Application]:
    return access.applications_visible_to(user).with_programme().prefetch_related("partner_regions")


def application_data(application: Application, user: Any) -> Any:
    """The application as the API shows it, read afresh after a write."""
    return ApplicationSerializer(visible_applications(user).get(pk=application.pk)).data


@extend_schema_view(
    create=extend_schema(
        request=ApplicationCreateInput,
        summary="Start a draft (its cluster management, or an officer)",
    ),
    partial_update=extend_schema(
        request=ApplicationChange,
        summary="Change the outline (drafts) or a phase's period (while its budget is open)",
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_converter = "int"
    ordering_fields = ["cluster__name", "round__number", "state", "submitted_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Application]:
        return visible_applications(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ApplicationCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        application = application_create(by=request.user, **given.validated_data)
        return Response(application_data(application, request.user), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        given = ApplicationChange(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        application_update(application=application, by=request.user, **given.validated_data)
        return Response(application_data(application, request.user))


@extend_schema_view(
    create=extend_schema(request=PartnerRegionInput, summary="Add a target partner region"),
    destroy=extend_schema(summary="Remove a target partner region"),
)
@extend_schema(parameters=[APPLICATION_ID])
class PartnerRegionViewSet(
    ApplicationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The regions abroad the cluster wants to work with (drafts only)."""

    serializer_class = PartnerRegionSerializer
    ordering_fields = ["country", "region"]

    def get_queryset(self) -> QuerySet[PartnerRegion]:
        if self.is_schema_view:
            return PartnerRegion.objects.none()
        return PartnerRegion.objects.filter(application=self.get_application())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = PartnerRegionInput(data=request.data)
        given.is_valid(raise_exception=True)
        region = partner_region_add(
            application=self.get_application(), by=request.user, **given.validated_data
        )
        return Response(self.get_serializer(region).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partner_region_remove(partner_region=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


TRANSITION_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES)
)


class TransitionOptionsView(ApplicationScoped, APIView):
    @extend_schema(
        parameters=[APPLICATION_ID],
        responses=TransitionOptionSerializer(many=True),
        summary="Every transition: may you fire it now, and if not, why not",
    )
    def get(self, request: Request, application_pk: int) -> Response:
        options = transition_options(self.get_application(), request.user)
        return Response(TransitionOptionSerializer(options, many=True).data)


class TransitionView(ApplicationScoped, APIView):
    @extend_schema(
        parameters=[APPLICATION_ID, TRANSITION_NAME],
        request=TransitionInput,
        responses={200: ApplicationSerializer, 409: ErrorSerializer},
        summary="Fire a transition",
        description=(
            "400 when a guard refuses (``errors`` lists each refusal with its budget violations), "
            "403 when your role may not, 409 when the application changed meanwhile."
        ),
    )
    def post(self, request: Request, application_pk: int, name: str) -> Response:
        if name not in TRANSITION_NAMES:
            raise NotFound()
        application = self.get_application()
        given = TransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        changed = application_transition(
            application=application,
            name=name,
            by=request.user,
            comment=given.validated_data["comment"],
            expected_state=given.validated_data.get("expected_state"),
        )
        return Response(application_data(changed, request.user))


@extend_schema(parameters=[APPLICATION_ID], summary="Every state change, oldest first")
class HistoryView(ApplicationScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = TransitionRecordSerializer
    ordering_fields = ["at"]

    def get_queryset(self) -> QuerySet[ApplicationTransition]:
        if self.is_schema_view:
            return ApplicationTransition.objects.none()
        return application_history(self.get_application())


@extend_schema(
    parameters=[APPLICATION_ID],
    summary="Every change of the grantee terms, R&D projects, partners and organisations taking "
    "part: who, when, old → new; oldest first",
)
class ChangeHistoryView(ApplicationScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = RecordedChangeSerializer
    filter_backends: list[Any] = []  # always in the order the changes were made

    def get_queryset(self) -> list[RecordedChange]:  # type: ignore[override]
        if self.is_schema_view:
            return []
        application = self.get_application()
        return recorded_changes([application.pk])[application.pk]


class RoundOverviewView(APIView):
    permission_classes = (ReadsAll,)

    @extend_schema(
        responses=RoundOverviewSerializer,
        summary="Committed against the envelope, selected against the quota (all clusters)",
    )
    def get(self, request: Request, pk: int) -> Response:
        round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
        totals = round_totals([round_])[0]
        return Response(RoundOverviewSerializer(totals, context={"request": request}).data)


@extend_schema(summary="A round's applications with their budget figures, by cluster name")
class RoundApplicationsView(generics.ListAPIView):  # type: ignore[type-arg]
    """The rows of the round page's table, a page at a time (the overview has the totals)."""

    permission_classes = (ReadsAll,)
    serializer_class = RoundLineSerializer
    filter_backends: list[Any] = []  # by cluster name, as on the round page

    def get_round(self) -> Round:
        if not hasattr(self, "_round"):
            rounds = Round.objects.select_related("programme")
            self._round = get_object_or_404(rounds, pk=self.kwargs["pk"])
        return self._round

    def known_count(self) -> int:
        """The round's stored sums know how many applications it has: no count query."""
        return round_totals([self.get_round()])[0].application_count

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular's stand-in view
            return Application.objects.none()
        return round_applications(self.get_round())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        round_ = self.get_round()
        page = self.paginate_queryset(round_applications(round_))
        rows = round_rows(round_, page or [])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
