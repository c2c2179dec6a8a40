"""The shapes of messages and documents in the API (output), and of their input."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from ..models import Document, Message


class DocumentSerializer(serializers.ModelSerializer[Document]):
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "message",
            "original_name",
            "size",
            "file_type",
            "sha256",
            "uploaded_by",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, document: Document) -> str:
        """The path of the file (an access-checked download)."""
        return reverse(
            "api:application-document-download",
            kwargs={"application_pk": document.application_id, "pk": document.pk},
        )


class MessageSerializer(serializers.ModelSerializer[Message]):
    author = serializers.CharField(source="author.get_username", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "body", "created_at", "documents"]
        read_only_fields = fields


class MessageInput(serializers.Serializer[Any]):
    body = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class DocumentInput(serializers.Serializer[Any]):
    file = serializers.FileField()
