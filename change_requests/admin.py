"""Change requests in the back office: read here; proposed and decided on the portal and in
the API, through the services that check every rule."""

from django.contrib import admin

from kernel.admin_forms import ReadOnlyAdmin

from .models import ChangeRequest, ChangeRequestTransition


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "application", "state", "created_by", "decided_by", "version"]
    list_filter = ["state"]
    list_select_related = [
        "application__round__programme",
        "application__cluster",
        "created_by",
        "decided_by",
        "version",
    ]
    search_fields = ["application__title", "application__cluster__name"]


@admin.register(ChangeRequestTransition)
class ChangeRequestTransitionAdmin(ReadOnlyAdmin):
    list_display = ["change_request", "transition", "source_state", "target_state", "by", "at"]
    list_select_related = ["change_request", "by"]
