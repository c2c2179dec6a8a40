"""The shapes of deadlines, tasks, notifications and preferences in the API."""

from typing import Any

from django.conf import settings
from rest_framework import serializers

from ..models import Actor, Deadline, Mode, Notification, NotificationKind
from ..texts import notification_text


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    what = serializers.CharField(source="label", read_only=True)
    set_by = serializers.CharField(source="set_by.get_username", read_only=True, default=None)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "application",
            "kind",
            "year",
            "title",
            "what",
            "due_on",
            "actor",
            "reason",
            "set_by",
            "set_at",
            "done_at",
        ]
        read_only_fields = fields


class DeadlineInput(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    actor = serializers.ChoiceField(
        choices=[Actor.CLUSTER_MANAGEMENT, Actor.OFFICERS], default=Actor.CLUSTER_MANAGEMENT
    )
    due_on = serializers.DateField()
    reason = serializers.CharField()


class DeadlineMoveInput(serializers.Serializer[Any]):
    due_on = serializers.DateField()
    reason = serializers.CharField()


class TaskSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    what = serializers.CharField()
    application = serializers.IntegerField(source="application.pk")
    cluster = serializers.CharField(source="application.cluster.name")
    due_on = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    actor = serializers.CharField()
    deadline = serializers.IntegerField(source="deadline_id", allow_null=True)
    link = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "application", "text", "params", "link", "created_at", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        """The sentence in the request's language."""
        return notification_text(notification.kind, notification.params)


class UnreadCountSerializer(serializers.Serializer[Any]):
    unread = serializers.IntegerField()


class PreferencesSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES])
    modes = serializers.DictField(child=serializers.ChoiceField(choices=Mode.choices))

    def validate_modes(self, modes: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(modes) - set(NotificationKind.values))
        if unknown:
            raise serializers.ValidationError(f"Unknown kinds: {', '.join(unknown)}")
        return modes
