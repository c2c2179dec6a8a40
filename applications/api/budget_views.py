"""An application's budget: its R&D projects and their partners, the grantees' terms, and the
budget summary. Every write goes through ``budgets.services`` (which locks the application and
checks every rule before it writes); the summary is the one the pages and workbooks read."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.serializers import (
    BudgetSummarySerializer,
    GranteeTermsChange,
    GranteeTermsInput,
    GranteeTermsSerializer,
    ProjectPartnerInput,
    ProjectPartnerSerializer,
    RDProjectInput,
    RDProjectSerializer,
)
from budgets.models import GranteeTerms, ProjectPartner, RDProject
from budgets.selectors import budget_summary
from budgets.services import (
    grantee_terms_set,
    project_partner_add,
    project_partner_remove,
    rd_project_create,
    rd_project_delete,
    rd_project_update,
)

from ..models import Application
from .scope import ApplicationScoped
from .views import APPLICATION_ID

PROJECT_ID = OpenApiParameter("project_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def projects_of(application: Application) -> QuerySet[RDProject]:
    partners = ProjectPartner.objects.select_related("organisation").order_by(
        "-is_lead", "organisation__name"
    )
    return RDProject.objects.filter(application=application).prefetch_related(
        Prefetch("partners", queryset=partners)
    )


@extend_schema_view(
    create=extend_schema(request=RDProjectInput, summary="Add an R&D project"),
    partial_update=extend_schema(request=RDProjectInput(partial=True), summary="Change it"),
    destroy=extend_schema(summary="Delete it with its budget lines"),
)
@extend_schema(parameters=[APPLICATION_ID])
class RDProjectViewSet(
    ApplicationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The implementation phase's joint R&D projects (at most the programme's maximum)."""

    serializer_class = RDProjectSerializer
    lookup_url_kwarg = "project_pk"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["start_month", "title"]

    def get_queryset(self) -> QuerySet[RDProject]:
        if self.is_schema_view:
            return RDProject.objects.none()
        return projects_of(self.get_application())

    def _data(self, project: RDProject) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=project.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = RDProjectInput(data=request.data)
        given.is_valid(raise_exception=True)
        project = rd_project_create(
            application=self.get_application(), by=request.user, **given.validated_data
        )
        return Response(self._data(project), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project = self.get_object()
        given = RDProjectInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        rd_project_update(project=project, by=request.user, **given.validated_data)
        return Response(self._data(project))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rd_project_delete(project=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=ProjectPartnerInput,
        responses={
            201: ProjectPartnerSerializer,
            200: OpenApiResponse(ProjectPartnerSerializer, "Already a partner: lead updated."),
        },
        summary="Add a partner (a lead replaces the earlier lead)",
    ),
    destroy=extend_schema(summary="Remove a partner without budget lines in the project"),
)
@extend_schema(parameters=[APPLICATION_ID, PROJECT_ID])
class ProjectPartnerViewSet(
    ApplicationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ProjectPartnerSerializer
    ordering_fields = ["organisation__name", "is_lead"]

    def get_project(self) -> RDProject:
        return get_object_or_404(
            RDProject, application=self.get_application(), pk=self.kwargs["project_pk"]
        )

    def get_queryset(self) -> QuerySet[ProjectPartner]:
        if self.is_schema_view:
            return ProjectPartner.objects.none()
        return (
            ProjectPartner.objects.filter(project=self.get_project())
            .select_related("organisation")
            .order_by("-is_lead", "organisation__name", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project = self.get_project()
        given = ProjectPartnerInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        existed = project.partners.filter(
            organisation=given.validated_data["organisation"]
        ).exists()
        partner = project_partner_add(project=project, by=request.user, **given.validated_data)
        return Response(
            self.get_serializer(partner).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project_partner_remove(partner=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=GranteeTermsInput,
        responses={
            201: GranteeTermsSerializer,
            200: OpenApiResponse(GranteeTermsSerializer, "The organisation's terms changed."),
        },
        summary="Set how an organisation is funded in this application",
    ),
    partial_update=extend_schema(
        request=GranteeTermsChange,
        summary="Change these terms (a rate above the programme's default needs a reason)",
    ),
)
@extend_schema(parameters=[APPLICATION_ID])
class GranteeTermsViewSet(
    ApplicationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = GranteeTermsSerializer
    ordering_fields = ["organisation__name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[GranteeTerms]:
        if self.is_schema_view:
            return GranteeTerms.objects.none()
        return (
            GranteeTerms.objects.filter(application=self.get_application())
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        given = GranteeTermsInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        existed = (
            self.get_queryset().filter(organisation=given.validated_data["organisation"]).exists()
        )
        terms = grantee_terms_set(application=application, by=request.user, **given.validated_data)
        return Response(
            self.get_serializer(terms).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        given = GranteeTermsChange(data=request.data)
        given.is_valid(raise_exception=True)
        wanted = {
            "basis": current.basis,
            "funding_rate": current.funding_rate,
            "has_projektpauschale": current.has_projektpauschale,
            "rate_reason": current.rate_reason,
        } | dict(given.validated_data)
        terms = grantee_terms_set(
            application=self.get_application(),
            organisation=current.organisation,
            by=request.user,
            **wanted,
        )
        return Response(self.get_serializer(terms).data)


class BudgetSummaryView(ApplicationScoped, APIView):
    @extend_schema(
        parameters=[APPLICATION_ID],
        responses=BudgetSummarySerializer,
        summary="The budget summary: phases, years, projects, grantees, positions, caps",
    )
    def get(self, request: Request, application_pk: int) -> Response:
        summary = budget_summary(self.get_application())
        return Response(BudgetSummarySerializer(summary).data)
