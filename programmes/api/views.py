"""Programmes are read here (officers keep them in the back office); rounds are read by every
role and created by officers (``programmes.services.round_create``); clusters are read by every
role and created or edited by officers. Organisations are read as
``programmes.access.organisations_visible_to`` allows; cluster managements propose new ones and
officers add them (``programmes.services.organisation_propose``), confirm proposals and edit.

Clusters, and officers' edits of organisations, have no services yet: these writes validate the
whole row with
``full_clean()`` (field rules, ``clean()``, uniqueness, constraints) as the admin's forms do,
then save, in one transaction, with the writer in the row's history (organisations keep one);
a change to the values a row has already writes nothing.
"""

from typing import Any

from django.db import models, transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from kernel.api.permissions import FundingRole, OfficerWrites
from kernel.history import save_with_history

from ..access import organisations_visible_to
from ..models import Cluster, Organisation, Programme, Round
from ..services import organisation_confirm, organisation_propose, organisation_update, round_create
from .filters import ClusterFilter, OrganisationFilter, RoundFilter
from .serializers import (
    ClusterInput,
    ClusterSerializer,
    OrganisationInput,
    OrganisationProposal,
    OrganisationSerializer,
    ProgrammeSerializer,
    RoundInput,
    RoundSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List programmes"),
    retrieve=extend_schema(summary="A programme with its caps"),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Programme.objects.prefetch_related("funding_rate_defaults")
    serializer_class = ProgrammeSerializer
    lookup_value_converter = "int"
    ordering_fields = ["name", "short_name"]


@extend_schema_view(
    list=extend_schema(summary="List rounds"),
    retrieve=extend_schema(),
    create=extend_schema(
        request=RoundInput,
        responses={201: RoundSerializer},
        summary="Open a new round of a programme (officers)",
    ),
)
class RoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    queryset = Round.objects.all()
    serializer_class = RoundSerializer
    permission_classes = (OfficerWrites,)
    filterset_class = RoundFilter
    lookup_value_converter = "int"
    ordering_fields = ["number", "call_published_on", "outline_deadline_at", "funding_starts_on"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = RoundInput(data=request.data)
        given.is_valid(raise_exception=True)
        created = round_create(by=request.user, **given.validated_data)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


def _save(instance: models.Model, changes: dict[str, Any], *, by: Any) -> models.Model:
    """Apply the changes and save the row, by ``by``, if it is valid as a whole and changed."""
    adding = instance._state.adding
    with transaction.atomic():
        stored = {} if adding else {name: getattr(instance, name) for name in changes}
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.full_clean()  # first, as it normalises values (country codes)
        if adding or any(getattr(instance, name) != value for name, value in stored.items()):
            save_with_history(instance, by=by)
    return instance


class ReferenceDataViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    permission_classes = (OfficerWrites,)
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter, filters.SearchFilter]
    lookup_value_converter = "int"
    input_class: type[Serializer]  # type: ignore[type-arg]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.input_class(data=request.data)
        given.is_valid(raise_exception=True)
        model = self.get_queryset().model
        saved = _save(model(), dict(given.validated_data), by=request.user)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        given = self.input_class(instance, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        saved = _save(instance, dict(given.validated_data), by=request.user)
        return Response(self.get_serializer(saved).data)


@extend_schema_view(
    list=extend_schema(summary="Organisations you may see (another cluster's proposals: not)"),
    create=extend_schema(
        request=OrganisationProposal,
        summary="Add an organisation: an officer's is confirmed, a cluster's is its proposal",
    ),
    partial_update=extend_schema(request=OrganisationInput, summary="Edit (officers)"),
)
class OrganisationViewSet(ReferenceDataViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    input_class = OrganisationInput
    filterset_class = OrganisationFilter
    search_fields = ["name", "city"]
    ordering_fields = ["name", "country", "legal_form"]

    def get_queryset(self) -> Any:
        if self.is_schema_view:
            return Organisation.objects.none()
        return organisations_visible_to(self.request.user)

    @property
    def is_schema_view(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))

    def get_permissions(self) -> list[BasePermission]:
        # Cluster managements propose organisations; changing one stays the officers' (403).
        if self.action == "create":
            return [FundingRole()]
        return [OfficerWrites()]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = OrganisationProposal(data=request.data)
        given.is_valid(raise_exception=True)
        organisation = organisation_propose(by=request.user, **given.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        given = self.input_class(instance, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        organisation = organisation_update(
            organisation=instance, changes=dict(given.validated_data), by=request.user
        )
        return Response(self.get_serializer(organisation).data)

    @extend_schema(request=None, summary="Confirm a cluster's proposal (officers)")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int) -> Response:
        organisation = organisation_confirm(organisation=self.get_object(), by=request.user)
        return Response(self.get_serializer(organisation).data)


@extend_schema_view(
    create=extend_schema(request=ClusterInput, summary="Add a cluster (officers)"),
    partial_update=extend_schema(request=ClusterInput, summary="Edit (officers)"),
)
class ClusterViewSet(ReferenceDataViewSet):
    queryset = Cluster.objects.select_related("management_organisation")
    serializer_class = ClusterSerializer
    input_class = ClusterInput
    filterset_class = ClusterFilter
    search_fields = ["name", "location"]
    ordering_fields = ["name", "sector", "location"]
