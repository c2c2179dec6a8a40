"""Who may see and change deadlines, notifications and deliveries: the one place the pages, the
API and the services ask. Built on the roles of ``programmes.access``.

An application's deadlines are read by whoever reads its cluster (officers, auditors, its own
management) and set or moved by officers; to anyone else they are absent (404). Notifications
are their recipient's alone. Failed deliveries are for officers.
"""

from typing import Any

from django.db.models import QuerySet

from applications.models import Application
from programmes import access as roles

from .models import Deadline, Notification


def applications_with_deadlines(user: Any) -> QuerySet[Application]:
    applications = Application.objects.all()
    if roles.can_read_all(user):
        return applications
    cluster_id = roles.cluster_id_of(user)
    return applications.none() if cluster_id is None else applications.filter(cluster_id=cluster_id)


def deadlines_visible_to(user: Any) -> QuerySet[Deadline]:
    return Deadline.objects.filter(application__in=applications_with_deadlines(user))


def can_set_deadline(user: Any, application: Application) -> bool:
    """Officers set and move deadlines; everyone else only reads them."""
    return roles.is_officer(user) and application.pk is not None


def notifications_of(user: Any) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def can_see_deliveries(user: Any) -> bool:
    return roles.is_officer(user)
