from django.urls import path

from . import views

app_name = "correspondence"

urlpatterns = [
    path("<int:pk>/messages/", views.thread_view, name="thread"),
    path("<int:pk>/messages/new/", views.message_post_view, name="message-post"),
    path("<int:pk>/documents/", views.document_attach_view, name="document-attach"),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        views.document_remove_view,
        name="document-remove",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/download/",
        views.document_download_view,
        name="document-download",
    ),
]
