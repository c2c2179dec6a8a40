"""Members, activities, surveys and the indicators. Views parse, find the cluster or activity
among those the user may read (else 404), call the service and serialise; errors are mapped once,
in ``funding.api.errors``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.serializers import ErrorSerializer
from kernel.api.files import XLSX_RESPONSE
from kernel.api.permissions import FundingRole, ReadsAll
from kernel.downloads import xlsx_response
from programmes.models import Cluster, Programme

from .. import access, selectors
from ..models import Activity, Member, Survey
from ..services import (
    MAY_NOT_WRITE,
    ActivityInput,
    ContactInput,
    MemberInput,
    OutcomeInput,
    activity_record,
    contact_add,
    member_create,
    outcome_add,
    survey_send,
)
from ..workbooks import indicators_filename, indicators_workbook
from .serializers import (
    ActivitySerializer,
    ClusterIndicatorsSerializer,
    ContactSerializer,
    IndicatorsSerializer,
    MemberSerializer,
    OutcomeSerializer,
    SurveySendInput,
    SurveySerializer,
)

CLUSTER_ID = OpenApiParameter("cluster_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
PROGRAMME = OpenApiParameter(
    "programme",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="The programme to compare with; the cluster's by default.",
)


class ClusterScoped:
    """Views under ``clusters/<cluster_pk>/``: a cluster the user may read, or 404."""

    kwargs: dict[str, Any]
    request: Any

    def get_cluster(self) -> Cluster:
        cached: Cluster | None = getattr(self, "_cluster", None)
        if cached is None:
            visible = access.clusters_monitored_by(self.request.user)
            cached = get_object_or_404(visible, pk=self.kwargs["cluster_pk"])
            self._cluster = cached
        return cached

    def writable_cluster(self) -> Cluster:
        cluster = self.get_cluster()
        if not access.can_write(self.request.user, cluster):
            raise PermissionDenied(MAY_NOT_WRITE)
        return cluster


def _programme(cluster: Cluster, asked: Any) -> Programme:
    programme = selectors.programme_for(cluster, None if asked is None else str(asked))
    if programme is None:
        raise NotFound()
    return programme


@extend_schema(parameters=[CLUSTER_ID])
class MemberListView(ClusterScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = MemberSerializer
    permission_classes = [FundingRole]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Member]:
        if getattr(self, "swagger_fake_view", False):
            return Member.objects.none()
        return Member.objects.filter(cluster=self.get_cluster()).order_by("name", "pk")

    @extend_schema(summary="The cluster's member organisations")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MemberSerializer,
        responses={201: MemberSerializer, 400: ErrorSerializer},
        summary="Add a member organisation (its name unique within the cluster)",
    )
    def post(self, request: Request, cluster_pk: int) -> Response:
        cluster = self.writable_cluster()
        given = MemberSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        member = member_create(
            cluster=cluster, given=MemberInput(**given.validated_data), by=request.user
        )
        return Response(MemberSerializer(member).data, status.HTTP_201_CREATED)


def _activity_input(data: dict[str, Any]) -> ActivityInput:
    contacts = [ContactInput(**contact) for contact in data.pop("contacts", [])]
    outcomes = [OutcomeInput(**outcome) for outcome in data.pop("outcomes", [])]
    return ActivityInput(
        **{**data, "participants": list(data.pop("participants", []))},
        contacts=contacts,
        outcomes=outcomes,
    )


@extend_schema(parameters=[CLUSTER_ID])
class ActivityListView(ClusterScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ActivitySerializer
    permission_classes = [FundingRole]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Activity]:
        if getattr(self, "swagger_fake_view", False):
            return Activity.objects.none()
        activities = Activity.objects.filter(cluster=self.get_cluster())
        return selectors.activity_detail(activities).order_by("-held_on", "pk")

    @extend_schema(summary="The cluster's activities with participants, contacts and outcomes")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ActivitySerializer,
        responses={201: ActivitySerializer, 400: ErrorSerializer},
        summary="Record an activity with the members taking part, contacts and outcomes",
    )
    def post(self, request: Request, cluster_pk: int) -> Response:
        cluster = self.writable_cluster()
        given = ActivitySerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        activity = activity_record(
            cluster=cluster, given=_activity_input(dict(given.validated_data)), by=request.user
        )
        shown = selectors.activity_detail(Activity.objects.filter(pk=activity.pk)).get()
        return Response(ActivitySerializer(shown).data, status.HTTP_201_CREATED)


class ActivityDetailView(APIView):
    permission_classes = [FundingRole]

    @extend_schema(responses=ActivitySerializer, summary="An activity")
    def get(self, request: Request, pk: int) -> Response:
        visible = selectors.activity_detail(access.activities_visible_to(request.user))
        return Response(ActivitySerializer(get_object_or_404(visible, pk=pk)).data)


@extend_schema(parameters=[CLUSTER_ID])
class SurveyListView(ClusterScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = SurveySerializer
    permission_classes = [FundingRole]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Survey.objects.none()
        return selectors.surveys_of(self.get_cluster()).order_by("-sent_at", "pk")

    @extend_schema(summary="The cluster's surveys: how many were asked, how many answered")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=SurveySendInput,
        responses={201: SurveySerializer, 400: ErrorSerializer},
        summary="Send the anonymous survey to every member's contact address",
        description="Each address gets a single-use link by e-mail; 400 if no member has one.",
    )
    def post(self, request: Request, cluster_pk: int) -> Response:
        cluster = self.writable_cluster()
        given = SurveySendInput(data=request.data)
        given.is_valid(raise_exception=True)
        programme = _programme(cluster, given.validated_data.get("programme"))
        survey = survey_send(programme=programme, cluster=cluster, by=request.user)
        shown = selectors.surveys_of(cluster).get(pk=survey.pk)
        return Response(SurveySerializer(shown).data, status.HTTP_201_CREATED)


class ClusterIndicatorsView(ClusterScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        parameters=[CLUSTER_ID, PROGRAMME],
        responses=ClusterIndicatorsSerializer,
        summary="The cluster's indicators beside the programme's median and total",
        description="Survey shares are null where they rest on fewer than ``min_answers``.",
    )
    def get(self, request: Request, cluster_pk: int) -> Response:
        cluster = self.get_cluster()
        programme = _programme(cluster, request.query_params.get("programme"))
        figures = selectors.cluster_indicators(cluster, programme)
        return Response(ClusterIndicatorsSerializer(figures).data)


class ProgrammeIndicatorsView(APIView):
    permission_classes = [ReadsAll]

    @extend_schema(
        responses=IndicatorsSerializer,
        summary="The programme's indicators per cluster, round and year (officers, auditors)",
        description="Survey shares are null where they rest on fewer than ``min_answers``, "
        "or where they could be worked out from the totals.",
    )
    def get(self, request: Request, pk: int) -> Response:
        figures = selectors.programme_indicators(get_object_or_404(Programme, pk=pk))
        return Response(IndicatorsSerializer(figures).data)


class ProgrammeIndicatorsWorkbookView(APIView):
    permission_classes = [ReadsAll]

    @extend_schema(
        responses=XLSX_RESPONSE,
        summary="The programme's indicators as a workbook (officers, auditors)",
        description="Withheld survey results are written as the word, never as a number.",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        figures = selectors.programme_indicators(get_object_or_404(Programme, pk=pk))
        return xlsx_response(indicators_workbook(figures), indicators_filename(figures))


class ActivityScoped:
    kwargs: dict[str, Any]
    request: Any

    def writable_activity(self) -> Activity:
        """An activity the user may read (else 404) and write (else 403)."""
        visible = access.activities_visible_to(self.request.user).select_related("cluster")
        activity: Activity = get_object_or_404(visible, pk=self.kwargs["pk"])
        if not access.can_write(self.request.user, activity.cluster):
            raise PermissionDenied(MAY_NOT_WRITE)
        return activity


class ActivityContactsView(ActivityScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        request=ContactSerializer,
        responses={201: ContactSerializer, 400: ErrorSerializer},
        summary="Add a contact made at the activity (a partner abroad, known or new)",
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = self.writable_activity()
        given = ContactSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        contact = contact_add(
            activity=activity, given=ContactInput(**given.validated_data), by=request.user
        )
        return Response(ContactSerializer(contact).data, status.HTTP_201_CREATED)


class ActivityOutcomesView(ActivityScoped, APIView):
    permission_classes = [FundingRole]

    @extend_schema(
        request=OutcomeSerializer,
        responses={201: OutcomeSerializer, 400: ErrorSerializer},
        summary="Add an outcome that followed the activity (on or after its date)",
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = self.writable_activity()
        given = OutcomeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        outcome = outcome_add(
            activity=activity, given=OutcomeInput(**given.validated_data), by=request.user
        )
        return Response(OutcomeSerializer(outcome).data, status.HTTP_201_CREATED)
