"""Back office for budgets. Every write goes through ``budgets.services``, so the application is
locked and every cap is checked before anything is written; a broken rule shows as a form error
with its numbers."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.admin_forms import (
    HistoryAdmin,
    ReadOnlyAdmin,
    ServiceAdmin,
    ServiceForm,
    related_filter,
)
from kernel.money import format_eur

from .figures import stored
from .models import (
    BudgetFigures,
    BudgetLine,
    BudgetPosition,
    GranteeTerms,
    Phase,
    PlanVersion,
    PlanVersionLine,
    ProjectPartner,
    RDProject,
)
from .services import (
    budget_line_delete,
    budget_line_save,
    budget_line_update,
    grantee_terms_set,
    project_partner_add,
    project_partner_remove,
    rd_project_create,
    rd_project_delete,
    rd_project_update,
)

# Application.__str__ names the round (with its programme) and the cluster.
APPLICATION = ("application__round__programme", "application__cluster")
APPLICATION_FILTER = ("application__round", related_filter("programme"))
APPLICATION_SEARCH = ["application__title", "application__cluster__name"]


def changes(form: ServiceForm, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the user changed, with their new values."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if name in form.cleaned_data and name not in leave_out
    }


@admin.register(BudgetPosition)
class BudgetPositionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["basis", "code", "name_de", "name_en"]
    list_filter = ["basis"]
    search_fields = ["code", "name_de", "name_en"]


class ProjectPartnerInline(admin.TabularInline):  # type: ignore[type-arg]
    """Shown on the project; partners are added and removed on their own page (through rules)."""

    model = ProjectPartner
    fields = ("organisation", "is_lead")
    readonly_fields = ("organisation", "is_lead")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProjectPartner]:
        return super().get_queryset(request).select_related("organisation")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RDProject)
class RDProjectAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["title", "application", "start_month", "end_month", "partner_count"]
    list_filter = [APPLICATION_FILTER]
    list_select_related = APPLICATION
    search_fields = ["title", *APPLICATION_SEARCH]
    autocomplete_fields = ["application"]
    inlines = [ProjectPartnerInline]
    history_list_display = ["title", "start_month", "end_month"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return list(self.inlines) if obj else []  # a new project has no partners yet

    def get_queryset(self, request: HttpRequest) -> QuerySet[RDProject]:
        projects: QuerySet[RDProject] = super().get_queryset(request)
        return projects.annotate(partner_count=Count("partners"))

    @admin.display(description=_("partners"), ordering="partner_count")
    def partner_count(self, project: Any) -> int:  # annotated by get_queryset
        return int(project.partner_count)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["application"] if obj else []

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> RDProject:
        if original is None:
            data = form.cleaned_data
            return rd_project_create(
                application=data["application"],
                title=data["title"],
                description=data.get("description", ""),
                start_month=data["start_month"],
                end_month=data["end_month"],
                by=request.user,
            )
        return rd_project_update(project=original, by=request.user, **changes(form))

    def remove(self, request: HttpRequest, original: Any) -> None:
        rd_project_delete(project=original, by=request.user)


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["organisation", "project", "is_lead"]
    list_filter = ["is_lead", "organisation__country", "organisation__legal_form"]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "project__title", "project__application__cluster__name"]
    autocomplete_fields = ["project", "organisation"]
    history_list_display = ["is_lead"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["project", "organisation"] if obj else []

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> ProjectPartner:
        data = form.cleaned_data
        return project_partner_add(
            project=original.project if original else data["project"],
            organisation=original.organisation if original else data["organisation"],
            is_lead=data.get("is_lead", False),
            by=request.user,
        )

    def remove(self, request: HttpRequest, original: Any) -> None:
        project_partner_remove(partner=original, by=request.user)


@admin.register(GranteeTerms)
class GranteeTermsAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["organisation", "application", "basis", "funding_rate", "has_projektpauschale"]
    list_filter = ["basis", "has_projektpauschale", "organisation__legal_form", APPLICATION_FILTER]
    list_select_related = [*APPLICATION, "organisation"]
    search_fields = ["organisation__name", *APPLICATION_SEARCH]
    autocomplete_fields = ["application", "organisation"]
    history_list_display = ["basis", "funding_rate", "has_projektpauschale"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["application", "organisation"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Terms exist as long as the organisation takes part; there is no service to drop them.
        return False

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> GranteeTerms:
        data = form.cleaned_data
        return grantee_terms_set(
            application=original.application if original else data["application"],
            organisation=original.organisation if original else data["organisation"],
            basis=data["basis"],
            funding_rate=data["funding_rate"],
            has_projektpauschale=data.get("has_projektpauschale", False),
            rate_reason=data.get("rate_reason", ""),
            by=request.user,
        )


@admin.register(BudgetLine)
class BudgetLineAdmin(ServiceAdmin, HistoryAdmin):
    list_display = [
        "application",
        "phase",
        "rd_project",
        "grantee",
        "year",
        "position",
        "eligible",
        "updated_at",
    ]
    list_filter = ["phase", "year", "position__basis", APPLICATION_FILTER]
    list_select_related = [*APPLICATION, "rd_project", "grantee", "position"]
    search_fields = [
        "grantee__name",
        "position__code",
        "rd_project__title",
        "justification",
        *APPLICATION_SEARCH,
    ]
    autocomplete_fields = ["application", "rd_project", "grantee"]
    history_list_display = ["eligible_amount"]

    @admin.display(description=_("eligible amount"), ordering="eligible_amount")
    def eligible(self, line: BudgetLine) -> str:
        return format_eur(line.eligible_amount)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a line to another application would escape that application's checks.
        return ["application"] if obj else []

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> BudgetLine:
        if original is None:
            data = form.cleaned_data
            return budget_line_save(
                application=data["application"],
                phase=data["phase"],
                rd_project=data.get("rd_project"),
                grantee=data["grantee"],
                year=data["year"],
                position=data["position"],
                eligible_amount=data["eligible_amount"],
                justification=data.get("justification", ""),
                by=request.user,
            )
        return budget_line_update(line=original, by=request.user, **changes(form))

    def remove(self, request: HttpRequest, original: Any) -> None:
        budget_line_delete(line=original, by=request.user)


HistoricalBudgetLine = BudgetLine.history.model


@admin.register(HistoricalBudgetLine)
class HistoricalBudgetLineAdmin(ReadOnlyAdmin):
    """Every change of every budget line, deleted lines included: who, when, which values."""

    list_display = [
        "history_date",
        "history_type",
        "history_user",
        "application",
        "phase",
        "rd_project",
        "grantee",
        "year",
        "position",
        "eligible",
    ]
    list_filter = ["history_type", "phase", "year", "history_date"]
    list_select_related = [*APPLICATION, "history_user", "rd_project", "grantee", "position"]
    search_fields = ["grantee__name", "history_user__username", *APPLICATION_SEARCH]
    date_hierarchy = "history_date"

    @admin.display(description=_("eligible amount"), ordering="eligible_amount")
    def eligible(self, line: BudgetLine) -> str:
        return format_eur(line.eligible_amount)


@admin.register(GranteeTerms.history.model)
class HistoricalGranteeTermsAdmin(ReadOnlyAdmin):
    """Every change of every grantee's terms: who, when, which basis, rate and Pauschale."""

    list_display = [
        "history_date",
        "history_type",
        "history_user",
        "application",
        "organisation",
        "basis",
        "funding_rate",
        "has_projektpauschale",
    ]
    list_filter = ["history_type", "basis", "has_projektpauschale", "history_date"]
    list_select_related = [*APPLICATION, "history_user", "organisation"]
    search_fields = ["organisation__name", "history_user__username", *APPLICATION_SEARCH]
    date_hierarchy = "history_date"


@admin.register(RDProject.history.model)
class HistoricalRDProjectAdmin(ReadOnlyAdmin):
    """Every change of every R&D project, deleted projects included."""

    list_display = [
        "history_date",
        "history_type",
        "history_user",
        "title",
        "application",
        "start_month",
        "end_month",
    ]
    list_filter = ["history_type", "history_date"]
    list_select_related = [*APPLICATION, "history_user"]
    search_fields = ["title", "history_user__username", *APPLICATION_SEARCH]
    date_hierarchy = "history_date"


@admin.register(ProjectPartner.history.model)
class HistoricalProjectPartnerAdmin(ReadOnlyAdmin):
    """Every partner added to, changed in or removed from a project."""

    list_display = [
        "history_date",
        "history_type",
        "history_user",
        "organisation",
        "project",
        "is_lead",
    ]
    list_filter = ["history_type", "is_lead", "history_date"]
    list_select_related = ["history_user", "organisation", "project"]
    search_fields = [
        "organisation__name",
        "project__title",
        "history_user__username",
        "project__application__cluster__name",
    ]
    date_hierarchy = "history_date"


@admin.register(BudgetFigures)
class BudgetFiguresAdmin(ReadOnlyAdmin):
    """Each application's stored budget totals, what the round pages sum: written by every
    budget change, rebuilt or checked by ``manage.py budget_figures``."""

    list_display = ["application", "concept_funding", "implementation_funding"]
    list_filter = [APPLICATION_FILTER]
    list_select_related = APPLICATION
    search_fields = APPLICATION_SEARCH

    @admin.display(description=_("concept phase: funding"))
    def concept_funding(self, row: BudgetFigures) -> str:
        return format_eur(stored(row, Phase.CONCEPT).funding_amount)

    @admin.display(description=_("implementation phase: funding"))
    def implementation_funding(self, row: BudgetFigures) -> str:
        return format_eur(stored(row, Phase.IMPLEMENTATION).funding_amount)


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    """The approved versions of each plan, written by approved change requests
    (``budgets.versions``): read here, changed by nobody."""

    list_display = ["application", "number", "proposed_by", "approved_by", "approved_at"]
    list_filter = [APPLICATION_FILTER]
    list_select_related = [*APPLICATION, "proposed_by", "approved_by"]
    search_fields = APPLICATION_SEARCH


@admin.register(PlanVersionLine)
class PlanVersionLineAdmin(ReadOnlyAdmin):
    """The lines of a plan version, as they were approved."""

    list_display = ["version", "phase", "grantee", "year", "position", "eligible_amount"]
    list_select_related = ["version", "grantee", "position"]
    search_fields = ["version__application__cluster__name", "grantee__name"]
