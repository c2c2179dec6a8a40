"""An application's messages and documents over the API: list and write the thread (with
attachments, multipart), attach documents to the outline, and download any document.

The application must be one whose thread the user may read (``correspondence.access``), or the
answer is 404; auditors and jury members are turned away from writes by the permission class.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application

from .. import access, selectors
from ..downloads import document_response
from ..filetypes import MEDIA_TYPES, UploadRefused
from ..models import Document, Message
from ..services import document_attach, document_remove, message_post
from .serializers import DocumentInput, DocumentSerializer, MessageInput, MessageSerializer

APPLICATION_ID = OpenApiParameter("application_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
REFUSED = {
    code: OpenApiResponse(description=why)
    for code, why in (
        (400, "Empty file or message."),
        (413, "A file is larger than the limit (20 MB); nothing was stored."),
        (415, "Not a PDF, XLSX, DOCX or ODT file by its content; nothing was stored."),
    )
}


def refusal(refused: UploadRefused) -> Response:
    return Response({"code": refused.code, "detail": refused.detail}, status=refused.status)


class CorrespondenceScoped:
    """Views under ``applications/<application_pk>/`` for messages and documents."""

    kwargs: dict[str, Any]
    request: Any

    def get_application(self) -> Application:
        cached: Application | None = getattr(self, "_application", None)
        if cached is None:
            visible = access.applications_with_correspondence(self.request.user)
            cached = get_object_or_404(visible, pk=self.kwargs["application_pk"])
            self._application = cached
        return cached

    @property
    def is_schema_view(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))


@extend_schema(parameters=[APPLICATION_ID])
class MessageListView(CorrespondenceScoped, generics.ListAPIView):  # type: ignore[type-arg]
    """The thread between the officers and the cluster management, oldest first."""

    serializer_class = MessageSerializer
    parser_classes = [MultiPartParser, JSONParser]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Message]:
        if self.is_schema_view:
            return Message.objects.none()
        return selectors.thread(self.get_application())

    @extend_schema(
        request={"multipart/form-data": MessageInput, "application/json": MessageInput},
        responses={201: MessageSerializer, **REFUSED},
        summary="Write a message, with attachments (officers and the cluster's management)",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        given = MessageInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            message = message_post(
                application=self.get_application(),
                body=given.validated_data["body"],
                files=request.FILES.getlist("files"),
                by=request.user,
            )
        except UploadRefused as refused:
            return refusal(refused)
        shown = selectors.thread(message.application).get(pk=message.pk)
        return Response(MessageSerializer(shown).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[APPLICATION_ID])
class DocumentListView(CorrespondenceScoped, generics.ListAPIView):  # type: ignore[type-arg]
    """Every document of the application: the outline's, the messages' attachments and the
    receipts of its submissions."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]
    ordering_fields = ["created_at", "original_name"]

    def get_queryset(self) -> QuerySet[Document]:
        if self.is_schema_view:
            return Document.objects.none()
        return selectors.application_documents(self.get_application())

    @extend_schema(
        request={"multipart/form-data": DocumentInput},
        responses={201: DocumentSerializer, **REFUSED},
        summary="Attach a document to the outline (drafts only)",
    )
    def post(self, request: Request, application_pk: int) -> Response:
        given = DocumentInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            document = document_attach(
                application=self.get_application(),
                file=given.validated_data["file"],
                by=request.user,
            )
        except UploadRefused as refused:
            return refusal(refused)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentScoped(CorrespondenceScoped):
    def get_document(self) -> Document:
        documents = selectors.application_documents(self.get_application())
        document: Document = get_object_or_404(documents, pk=self.kwargs["pk"])
        return document


@extend_schema(parameters=[APPLICATION_ID])
class DocumentDetailView(DocumentScoped, APIView):
    @extend_schema(responses=DocumentSerializer, summary="One document's details")
    def get(self, request: Request, application_pk: int, pk: int) -> Response:
        return Response(DocumentSerializer(self.get_document()).data)

    @extend_schema(responses={204: None}, summary="Remove a document of the outline (drafts only)")
    def delete(self, request: Request, application_pk: int, pk: int) -> Response:
        document_remove(document=self.get_document(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[APPLICATION_ID])
class DocumentDownloadView(DocumentScoped, APIView):
    @extend_schema(
        responses={(200, media): OpenApiTypes.BINARY for media in MEDIA_TYPES.values()},
        summary="The document's file, as a download (never shown inline)",
    )
    def get(self, request: Request, application_pk: int, pk: int) -> HttpResponse:
        return document_response(self.get_document())
