"""Back office for programmes, organisations and clusters: plain data, searchable and filterable.

Rounds are registered in ``applications.admin``: their list shows how many applications each has
selected, which only the workflow knows.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kernel.money import format_eur

from .models import Cluster, ClusterMembership, FundingRateDefault, Organisation, Programme


class FundingRateDefaultInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FundingRateDefault
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "legal_form", "size_class", "country", "city"]
    list_filter = ["legal_form", "size_class", "country"]
    search_fields = ["name", "city", "country"]


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
