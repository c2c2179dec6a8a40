from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("applications/<int:pk>/deadlines/", views.deadlines_view, name="deadlines"),
    path("applications/<int:pk>/deadlines/new/", views.deadline_add_view, name="deadline-add"),
    path(
        "applications/<int:pk>/deadlines/<int:deadline_pk>/move/",
        views.deadline_move_view,
        name="deadline-move",
    ),
    path(
        "applications/<int:pk>/deadlines/<int:deadline_pk>/done/",
        views.deadline_done_view,
        name="deadline-done",
    ),
    path("notifications/", views.inbox_view, name="inbox"),
    path("notifications/<int:notification_pk>/read/", views.mark_read_view, name="mark-read"),
    path("notifications/read/", views.mark_all_read_view, name="mark-all-read"),
    path("notifications/preferences/", views.preferences_view, name="preferences"),
    path("notifications/failed/", views.failed_deliveries_view, name="failed"),
    path(
        "notifications/failed/<int:delivery_pk>/retry/",
        views.delivery_retry_view,
        name="delivery-retry",
    ),
]
