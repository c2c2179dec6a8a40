"""Deadlines, the task list, the inbox and the e-mail preferences over the API.

An application's deadlines answer 404 to those who may not read its cluster; officers set and
move them (the permission class turns the others away). Notifications and preferences are the
caller's own: every role reads and marks its own, and another user's notification is absent."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from kernel.api.permissions import FundingRole, OfficerWrites

from .. import access, selectors
from ..models import Deadline, Notification
from ..services import deadline_set, mail_language_set, notifications_mark_read, preference_set
from .serializers import (
    DeadlineInput,
    DeadlineMoveInput,
    DeadlineSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    TaskSerializer,
    UnreadCountSerializer,
)

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class OwnInbox(FundingRole):
    """Every role reads and marks its own notifications and sets its own preferences."""

    def may_write(self, user: Any) -> bool:
        return True


class DeadlineScoped:
    kwargs: dict[str, Any]
    request: Any

    def get_application(self) -> Application:
        visible = access.applications_with_deadlines(self.request.user)
        application: Application = get_object_or_404(visible, pk=self.kwargs["application_pk"])
        return application


@extend_schema(parameters=[APPLICATION_ID])
class DeadlineListView(DeadlineScoped, generics.ListAPIView):  # type: ignore[type-arg]
    """The application's deadlines, by due date (the round's outline deadline is the round's)."""

    serializer_class = DeadlineSerializer
    permission_classes = [OfficerWrites]

    def get_queryset(self) -> QuerySet[Deadline]:
        if getattr(self, "swagger_fake_view", False):
            return Deadline.objects.none()
        return self.get_application().deadlines.select_related("set_by").order_by("due_on", "pk")

    @extend_schema(
        request=DeadlineInput,
        responses={201: DeadlineSerializer},
        summary="Set a deadline on the application, with a reason (officers)",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        given = DeadlineInput(data=request.data)
        given.is_valid(raise_exception=True)
        deadline = deadline_set(
            application=self.get_application(), by=request.user, **given.validated_data
        )
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[APPLICATION_ID])
class DeadlineDetailView(DeadlineScoped, APIView):
    permission_classes = [OfficerWrites]

    def get_deadline(self) -> Deadline:
        deadlines = self.get_application().deadlines.select_related("set_by")
        deadline: Deadline = get_object_or_404(deadlines, pk=self.kwargs["pk"])
        return deadline

    @extend_schema(responses=DeadlineSerializer, summary="One deadline")
    def get(self, request: Request, application_pk: int, pk: int) -> Response:
        return Response(DeadlineSerializer(self.get_deadline()).data)

    @extend_schema(
        request=DeadlineMoveInput,
        responses=DeadlineSerializer,
        summary="Move a deadline, with a reason (officers)",
    )
    def patch(self, request: Request, application_pk: int, pk: int) -> Response:
        given = DeadlineMoveInput(data=request.data)
        given.is_valid(raise_exception=True)
        deadline = deadline_set(
            application=self.get_application(),
            deadline=self.get_deadline(),
            by=request.user,
            **given.validated_data,
        )
        return Response(DeadlineSerializer(deadline).data)


class TaskListView(APIView):
    """What is due, by when, for which application: overdue first, then by date (the first
    100)."""

    @extend_schema(responses=TaskSerializer(many=True), summary="The caller's task list")
    def get(self, request: Request) -> Response:
        return Response(TaskSerializer(selectors.tasks_for(request.user), many=True).data)


class NotificationListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [OwnInbox]

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(self.request.user)


class NotificationReadView(APIView):
    permission_classes = [OwnInbox]

    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one as read")
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(access.notifications_of(request.user), pk=pk)
        notifications_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    permission_classes = [OwnInbox]

    @extend_schema(
        request=None,
        responses=UnreadCountSerializer,
        summary="Mark all as read",
        operation_id="notifications_read_all",
    )
    def post(self, request: Request) -> Response:
        notifications_mark_read(user=request.user)
        return Response({"unread": 0})


class UnreadCountView(APIView):
    permission_classes = [OwnInbox]

    @extend_schema(responses=UnreadCountSerializer, summary="How many are unread")
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request.user)})


class PreferencesView(APIView):
    """Per kind: ``at_once``, ``digest`` or ``off`` (the kinds the grant conditions require
    cannot be turned off: 400), and the language of the e-mails."""

    permission_classes = [OwnInbox]

    def _shown(self, user: Any) -> dict[str, Any]:
        chosen = selectors.preferences_of(user)
        language = chosen.pop("language")
        return {"language": language, "modes": chosen}

    @extend_schema(responses=PreferencesSerializer, summary="The caller's e-mail preferences")
    def get(self, request: Request) -> Response:
        return Response(self._shown(request.user))

    @extend_schema(
        request=PreferencesSerializer,
        responses=PreferencesSerializer,
        summary="Change the caller's e-mail preferences (kinds left out stay as they are)",
    )
    def put(self, request: Request) -> Response:
        given = PreferencesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        mail_language_set(user=request.user, language=given.validated_data["language"])
        for kind, mode in given.validated_data["modes"].items():
            preference_set(user=request.user, kind=kind, mode=mode)
        return Response(self._shown(request.user))
