"""Back office for applications and rounds.

The state is never a form field: it changes only through the transition buttons on the change
page, which post to :meth:`ApplicationAdmin.transition_view` and so to
``applications.services.application_transition``, the same service every interface uses. The
outline and its partner regions are written through ``applications.services`` too.
"""

from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from budgets.models import Phase
from budgets.selectors import budget_summary
from budgets.summary import Capped
from kernel.admin_forms import (
    ReadOnlyAdmin,
    ServiceAdmin,
    ServiceForm,
    fresh,
    related_filter,
    service_call,
)
from kernel.money import format_eur
from programmes.models import Round
from programmes.services import round_create, round_update

from . import access
from .models import Application, ApplicationTransition, PartnerRegion, RoundFigures
from .selectors import totals_of, transition_option, transition_options
from .services import (
    OUTLINE_FIELDS,
    PERIOD_FIELDS,
    TransitionError,
    application_create,
    application_transition,
    application_update,
    partner_region_add,
    partner_region_remove,
)
from .states import SELECTED_STATES

TRANSITION_DONE = gettext_noop("“%(transition)s” done: the application is now %(state)s.")

ROUND_FILTER = ("round", related_filter("programme"))


class RoundForm(ServiceForm):
    def _get_validation_exclusions(self) -> set[str]:
        # The number is ``round_create``/``round_update``'s: they check it under the
        # programme's lock and name the numbers taken (the form's check would only say "exists").
        return {*super()._get_validation_exclusions(), "number"}  # type: ignore[misc]


@admin.register(Round)
class RoundAdmin(ServiceAdmin):
    """Rounds, with how many clusters each has selected against its quota (here, not in
    ``programmes.admin``, because which states count as selected is the workflow's business).
    Added and changed through the services, with the rules of the portal and the API."""

    form = RoundForm

    list_display = [
        "__str__",
        "call_published_on",
        "outline_deadline_at",
        "funding_starts_on",
        "selected",
        "envelope",
    ]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["programme__short_name", "programme__name", "number"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        rounds: QuerySet[Round] = super().get_queryset(request)
        return rounds.annotate(
            selected_count=Count("applications", filter=Q(applications__state__in=SELECTED_STATES))
        )

    @admin.display(description=_("selected / quota"), ordering="selected_count")
    def selected(self, round_: Any) -> str:  # annotated by get_queryset
        return f"{round_.selected_count} / {round_.selection_quota}"

    @admin.display(description=_("envelope"), ordering="envelope_amount")
    def envelope(self, round_: Round) -> str:
        return format_eur(round_.envelope_amount)

    def get_readonly_fields(self, request: HttpRequest, obj: Round | None = None) -> Any:
        # A round's applications belong to its programme: it never moves to another.
        return ["programme"] if obj is not None else []

    def write(self, request: HttpRequest, original: Round | None, form: ServiceForm) -> Round:
        if original is None:
            return round_create(by=request.user, **form.cleaned_data)
        return round_update(round_=original, changes=_changes(form), by=request.user)

    def remove(self, request: HttpRequest, original: Round) -> None:
        # A round with applications is protected by the database; the refusal is reported.
        original.delete()


class PartnerRegionInline(admin.TabularInline):  # type: ignore[type-arg]
    """Added and removed through the services while the application is a draft; a region is
    never changed in place (remove it and add the right one)."""

    model = PartnerRegion
    extra = 0

    def _editable(self, request: HttpRequest, obj: Application | None) -> bool:
        return obj is None or access.can_edit_outline(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class ApplicationTransitionInline(admin.TabularInline):  # type: ignore[type-arg]
    """The application's history: every state change, who, when and why."""

    model = ApplicationTransition
    fields = ("at", "transition", "source_state", "target_state", "by", "comment")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("history")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApplicationTransition]:
        return super().get_queryset(request).select_related("by").order_by("at", "pk")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _budget_row(label: object, capped: Capped) -> tuple[str, str, str, str]:
    """A phase's funding, its cap and what is left, in the user's number format."""

    def money(amount: Decimal | None) -> str:
        return "–" if amount is None else format_eur(amount)

    return (
        str(label),
        money(capped.figures.funding_amount),
        money(capped.cap_amount),
        money(capped.headroom_amount),
    )


def _changes(form: ServiceForm) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
    }


@admin.register(Application)
class ApplicationAdmin(ServiceAdmin):
    list_display = ["cluster", "round", "title", "state", "submitted_at", "updated_at"]
    list_filter = ["state", ROUND_FILTER, "round__programme", "cluster__sector"]
    list_select_related = ["round__programme", "cluster"]
    search_fields = [
        "title",
        "cluster__name",
        "cluster__location",
        "cluster__management_organisation__name",
    ]
    exclude = ["state"]
    autocomplete_fields = ["cluster"]
    inlines = [PartnerRegionInline, ApplicationTransitionInline]

    add_fieldsets = [(None, {"fields": ["round", "cluster", "title", "strategy_summary"]})]
    change_fieldsets = [
        (None, {"fields": ["round", "cluster", "state", "title", "strategy_summary"]}),
        (
            _("Periods"),
            {
                "fields": [
                    ("concept_start_on", "concept_end_on"),
                    ("implementation_start_on", "implementation_end_on"),
                ]
            },
        ),
        (_("Record"), {"fields": ["submitted_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).with_programme()  # type: ignore[attr-defined,no-any-return]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """Only what the services would accept is editable: the outline of a draft, and a
        phase's period while its budget is open."""
        if obj is None:
            return []
        fixed = ["round", "cluster", "state", "submitted_at", "created_at", "updated_at"]
        if not access.can_edit_outline(request.user, obj):
            fixed += sorted(OUTLINE_FIELDS)
        for phase, fields in PERIOD_FIELDS.items():
            if not obj.is_budget_open(phase):
                fixed += sorted(fields)
        return fixed

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "round":
            kwargs["queryset"] = Round.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Applications leave the workflow by a transition (withdraw, reject), never by deletion.
        return False

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> Application:
        data = form.cleaned_data
        if original is None:
            return application_create(
                round=data["round"],
                cluster=data["cluster"],
                title=data.get("title", ""),
                strategy_summary=data.get("strategy_summary", ""),
                by=request.user,
            )
        changed = _changes(form)
        if not changed:
            unchanged: Application = original  # e.g. only partner regions changed
            return unchanged
        return application_update(application=original, by=request.user, **changed)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not PartnerRegion:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        application = fresh(form.instance)
        with service_call():
            for region in formset.deleted_objects:
                partner_region_remove(partner_region=region, by=request.user)
            for region in formset.new_objects:
                partner_region_add(
                    application=application,
                    country=region.country,
                    region=region.region,
                    partner_name=region.partner_name,
                    is_known_partner=region.is_known_partner,
                    by=request.user,
                )
        return None

    # The workflow on the change page.

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk is not None:
            context["workflow"] = self._workflow(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow(self, request: HttpRequest, application: Application) -> dict[str, Any]:
        """What the page shows of the workflow: the transitions this user may fire now, those
        they may not with the reasons, and the budget against the caps."""
        options = transition_options(application, request.user)
        summary = budget_summary(application)
        lines_url = reverse("admin:budgets_budgetline_changelist")
        return {
            "allowed": [option for option in options if option.allowed],
            "refused": [o for o in options if not o.allowed and o.code != "wrong_state"],
            "not_now": [o for o in options if o.code == "wrong_state"],
            "budget": [
                _budget_row(Phase.CONCEPT.label, summary.concept.total),
                _budget_row(Phase.IMPLEMENTATION.label, summary.implementation.total),
                _budget_row(gettext("both phases"), summary.total),
            ],
            "violations": [violation.message for violation in summary.violations],
            "lines_url": f"{lines_url}?application__id__exact={application.pk}",
        }

    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        """Fire a transition through the service; its refusal is shown as an error message.

        The service decides who may fire what (an auditor is refused there), so this view only
        hides applications the user may not see at all."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = self.get_object(request, unquote(object_id))
        if application is None or not self.has_view_permission(request, application):
            raise Http404
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[application.pk],
        )
        try:
            done = application_transition(
                application=application,
                name=name,
                by=request.user,
                comment=request.POST.get("comment", ""),
                # The state the page showed: someone may have moved the application on since.
                expected_state=request.POST.get("state"),
            )
        except TransitionError as error:
            self.message_user(request, error.detail, messages.ERROR)
        else:
            label = transition_option(done, name, request.user).label
            self.message_user(
                request,
                gettext(TRANSITION_DONE) % {"transition": label, "state": done.get_state_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)


@admin.register(PartnerRegion)
class PartnerRegionAdmin(ServiceAdmin):
    """Regions are added and removed through the services (drafts only), never changed."""

    list_display = ["partner_name", "region", "country", "is_known_partner", "application"]
    list_filter = [
        "country",
        "is_known_partner",
        ("application__round", related_filter("programme")),
    ]
    list_select_related = ["application__round__programme", "application__cluster"]
    search_fields = ["partner_name", "region", "application__title", "application__cluster__name"]
    autocomplete_fields = ["application"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_edit_outline(request.user, obj.application))

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> PartnerRegion:
        data = form.cleaned_data
        return partner_region_add(
            application=data["application"],
            country=data["country"],
            region=data["region"],
            partner_name=data["partner_name"],
            is_known_partner=data.get("is_known_partner", False),
            by=request.user,
        )

    def remove(self, request: HttpRequest, original: Any) -> None:
        partner_region_remove(partner_region=original, by=request.user)


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(ReadOnlyAdmin):
    """The workflow's history, written by the transition service only."""

    list_display = ["at", "application", "transition", "source_state", "target_state", "by"]
    list_filter = [
        "transition",
        "target_state",
        ("application__round", related_filter("programme")),
    ]
    list_select_related = ["application__round__programme", "application__cluster", "by"]
    search_fields = ["application__title", "application__cluster__name", "by__username", "comment"]
    date_hierarchy = "at"


@admin.register(RoundFigures)
class RoundFiguresAdmin(ReadOnlyAdmin):
    """Each round's applications and budget figures summed per state, what the round pages
    read: kept by every change of an application or its budget."""

    list_display = ["round", "applications", "committed"]
    list_select_related = ["round__programme"]
    search_fields = ["round__programme__short_name", "round__programme__name"]

    @admin.display(description=_("applications"))
    def applications(self, row: RoundFigures) -> int:
        return totals_of(row.round, row.by_sector).application_count

    @admin.display(description=_("committed funding"))
    def committed(self, row: RoundFigures) -> str:
        return format_eur(totals_of(row.round, row.by_sector).committed.funding_amount)
