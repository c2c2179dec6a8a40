"""Reads of an application's thread and documents, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from applications.models import Application

from .models import Document, DocumentKind, Message


def thread(application: Application) -> QuerySet[Message]:
    """The messages, oldest first, with their authors and attachments."""
    return (
        Message.objects.filter(application=application)
        .select_related("author")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by"))
        )
    )


def application_documents(application: Application) -> QuerySet[Document]:
    """Every document of the application (outline documents, attachments, receipts)."""
    return Document.objects.filter(application=application).select_related("uploaded_by", "message")


def outline_documents(application: Application) -> QuerySet[Document]:
    return application_documents(application).filter(kind=DocumentKind.OUTLINE)


def receipts(application: Application) -> QuerySet[Document]:
    """The receipts of the application's submissions, the latest first."""
    return (
        application_documents(application)
        .filter(kind=DocumentKind.RECEIPT)
        .order_by("-created_at", "-pk")
    )


def receipt_for(application: Application) -> Document | None:
    """The receipt of the application's latest submission (for the confirmation e-mail), or
    None if it has not been submitted."""
    return receipts(application).first()
