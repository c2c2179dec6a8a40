"""Back office for programmes, organisations and clusters: plain data, searchable and filterable.

Rounds are registered in ``applications.admin``: their list shows how many applications each has
selected, which only the workflow knows.
"""

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.admin_forms import (
    HistoryAdmin,
    MoneyAdmin,
    ReadOnlyAdmin,
    ServiceAdmin,
    ServiceForm,
    ServiceRefused,
    service_call,
)
from kernel.history import delete_with_history
from kernel.money import format_eur

from .models import Cluster, ClusterMembership, FundingRateDefault, Organisation, Programme
from .services import organisation_confirm, organisation_propose, organisation_update


class FundingRateDefaultInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FundingRateDefault
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(MoneyAdmin):
    list_display = [
        "short_name",
        "name",
        "concept_annual_cap",
        "concept_max_years",
        "max_rd_projects",
        "implementation_cap",
        "cluster_cap",
    ]
    search_fields = ["name", "short_name"]
    inlines = [FundingRateDefaultInline]

    @admin.display(description=_("concept phase: cap per year"))
    def concept_annual_cap(self, programme: Programme) -> str:
        return format_eur(programme.concept_annual_cap_amount)

    @admin.display(description=_("implementation cap"))
    def implementation_cap(self, programme: Programme) -> str:
        return format_eur(programme.implementation_cap_amount)

    @admin.display(description=_("cap per cluster"))
    def cluster_cap(self, programme: Programme) -> str:
        return format_eur(programme.cluster_cap_amount)


@admin.register(FundingRateDefault)
class FundingRateDefaultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "programme",
        "legal_form",
        "size_class",
        "basis",
        "funding_rate",
        "has_projektpauschale",
    ]
    list_filter = ["programme", "legal_form", "basis", "has_projektpauschale"]
    list_select_related = ["programme"]
    search_fields = ["programme__short_name", "programme__name", "legal_form"]


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("confirmed")), ("no", _("proposal, not confirmed yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> Any:
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin, HistoryAdmin):
    """Organisations with their history, written by the services as on the portal and the API:
    each save names the officer, a save that changes nothing writes nothing (no empty history
    row), and a new name or country that duplicates another organisation is refused. An
    organisation added here is confirmed by the officer who adds it; cluster managements'
    proposals are confirmed with the action."""

    list_display = [
        "name",
        "legal_form",
        "size_class",
        "country",
        "city",
        "proposed_by_cluster",
        "is_confirmed",
    ]
    list_filter = [ConfirmedFilter, "legal_form", "size_class", "country", "proposed_by_cluster"]
    list_select_related = ["proposed_by_cluster"]
    search_fields = ["name", "city", "country", "register_number", "vat_number"]
    readonly_fields = ["proposed_by_cluster", "confirmed_at", "confirmed_by"]
    actions = ["confirm"]
    history_list_display = ["name", "legal_form", "size_class", "country", "city", "confirmed_at"]

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed_at")
    def is_confirmed(self, organisation: Organisation) -> bool:
        return organisation.is_confirmed

    @admin.action(description=_("Confirm the selected proposals"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        try:
            with transaction.atomic(), service_call():
                for organisation in queryset.filter(confirmed_at__isnull=True):
                    organisation_confirm(organisation=organisation, by=request.user)
        except ServiceRefused as refused:
            self.message_user(request, " ".join(refused.reasons), messages.ERROR)

    def write(
        self, request: HttpRequest, original: Organisation | None, form: ServiceForm
    ) -> Organisation:
        given = form.cleaned_data
        if original is None:
            fields = ["name", "legal_form", "size_class", "country", "city"]
            optional = ["register_number", "vat_number"]
            return organisation_propose(
                by=request.user,
                **{name: given[name] for name in fields},
                **{name: given.get(name) or "" for name in optional},
            )
        changes = {name: given[name] for name in form.changed_data}
        return organisation_update(organisation=original, changes=changes, by=request.user)

    def remove(self, request: HttpRequest, original: Organisation) -> None:
        delete_with_history(original, by=request.user)


@admin.register(Organisation.history.model)
class HistoricalOrganisationAdmin(ReadOnlyAdmin):
    """Every change of every organisation: who, when, which values."""

    list_display = [
        "history_date",
        "history_type",
        "history_user",
        "name",
        "legal_form",
        "size_class",
        "country",
        "city",
        "proposed_by_cluster",
        "confirmed_at",
    ]
    list_filter = ["history_type", "legal_form", "country", "history_date"]
    list_select_related = ["history_user", "proposed_by_cluster"]
    search_fields = ["name", "city", "history_user__username"]
    date_hierarchy = "history_date"


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "sector", "location", "management_organisation"]
    list_filter = ["sector"]
    list_select_related = ["management_organisation"]
    search_fields = ["name", "sector", "location", "management_organisation__name"]
    autocomplete_fields = ["management_organisation"]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "cluster"]
    list_filter = ["cluster__sector"]
    list_select_related = ["user", "cluster"]
    search_fields = ["user__username", "user__email", "cluster__name"]
    autocomplete_fields = ["cluster"]
