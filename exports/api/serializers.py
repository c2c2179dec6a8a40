from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from ..models import ExportJob


class ExportJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A background export's status (shape only)."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    error = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = (
            "id",
            "kind",
            "state",
            "state_label",
            "done",
            "total",
            "percent",
            "error",
            "filename",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
            "page_url",
        )
        read_only_fields = fields

    def get_error(self, job: ExportJob) -> str:
        return gettext(job.error) if job.error else ""

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.state != ExportJob.State.DONE:
            return None
        return self._absolute(reverse("api:export-download", args=[job.pk]))

    def get_page_url(self, job: ExportJob) -> str:
        return self._absolute(reverse("exports:job", args=[job.pk]))

    def _absolute(self, path: str) -> str:
        request: Any = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
