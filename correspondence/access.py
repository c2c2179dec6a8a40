"""Who may read and write an application's messages and documents: the one place its pages, API
and services ask. Built on the roles of ``programmes.access``.

The thread is between the officers and the cluster's own management: they read and write it,
auditors read along, and to anyone else (another cluster, a jury member) it is absent (404).
Documents of the outline are attached and removed while the outline is a draft, by those who may
edit it; attachments to messages and receipts stay.
"""

from typing import Any

from django.db.models import QuerySet

from applications.access import can_edit_outline
from applications.models import Application
from programmes import access as roles

from .models import Document, DocumentKind, Message


def applications_with_correspondence(user: Any) -> QuerySet[Application]:
    """The applications whose thread and documents ``user`` may read."""
    applications = Application.objects.all()
    if roles.can_read_all(user):
        return applications
    cluster_id = roles.cluster_id_of(user)
    return applications.none() if cluster_id is None else applications.filter(cluster_id=cluster_id)


def can_read_correspondence(user: Any, application: Application) -> bool:
    return roles.can_read_cluster(user, application.cluster_id)


def can_write_message(user: Any, application: Application) -> bool:
    """Officers and the cluster's own management; never auditors."""
    return roles.can_write_cluster(user, application.cluster_id)


def can_attach_to_outline(user: Any, application: Application) -> bool:
    """While the outline is a draft, those who may edit it."""
    return can_edit_outline(user, application)


def can_remove_document(user: Any, document: Document) -> bool:
    """Only documents of the outline, while it is a draft; what was sent or submitted stays."""
    return document.kind == DocumentKind.OUTLINE and can_edit_outline(user, document.application)


def messages_visible_to(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(application__in=applications_with_correspondence(user))


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(application__in=applications_with_correspondence(user))
