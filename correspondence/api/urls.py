"""Messages and documents under ``applications/<id>/`` (included from funding/api/urls.py)."""

from django.urls import path

from .views import DocumentDetailView, DocumentDownloadView, DocumentListView, MessageListView

urlpatterns = [
    path(
        "applications/<int:application_pk>/messages/",
        MessageListView.as_view(),
        name="application-messages",
    ),
    path(
        "applications/<int:application_pk>/documents/",
        DocumentListView.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<int:application_pk>/documents/<int:pk>/",
        DocumentDetailView.as_view(),
        name="application-document",
    ),
    path(
        "applications/<int:application_pk>/documents/<int:pk>/download/",
        DocumentDownloadView.as_view(),
        name="application-document-download",
    ),
]
