"""Deadlines under ``applications/<id>/``, the task list, the inbox and the preferences
(included from funding/api/urls.py)."""

from django.urls import path

from .views import (
    DeadlineDetailView,
    DeadlineListView,
    NotificationListView,
    NotificationReadAllView,
    NotificationReadView,
    PreferencesView,
    TaskListView,
    UnreadCountView,
)

urlpatterns = [
    path(
        "applications/<int:application_pk>/deadlines/",
        DeadlineListView.as_view(),
        name="application-deadlines",
    ),
    path(
        "applications/<int:application_pk>/deadlines/<int:pk>/",
        DeadlineDetailView.as_view(),
        name="application-deadline",
    ),
    path("tasks/", TaskListView.as_view(), name="tasks"),
    path("notifications/", NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/", UnreadCountView.as_view(), name="notifications-unread-count"
    ),
    path("notifications/read/", NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", NotificationReadView.as_view(), name="notification-read"),
    path("notification-preferences/", PreferencesView.as_view(), name="notification-preferences"),
]
