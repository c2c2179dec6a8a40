"""The portal's application pages. Views connect forms to the services and selectors: every
write goes through a service, every figure comes from a selector, every rule from the core."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from budgets.forms import add_service_error
from budgets.grid import cap_rows
from budgets.selectors import budget_summary
from budgets.violations import BudgetRuleError, Rule
from kernel.paging import IdsFirstPaginator
from kernel.roles import is_payment_officer
from programmes.access import cluster_id_of, is_auditor, is_cluster_manager, is_officer, is_reviewer
from programmes.models import Cluster, Round

from . import access
from .forms import (
    ApplicationForm,
    PartnerRegionForm,
    QueueFilterForm,
    TransitionForm,
    editable_fields,
)
from .models import Application, PartnerRegion
from .selectors import (
    TRANSITION_NAMES,
    TransitionOption,
    application_history,
    application_queue,
    cluster_sectors,
    queue_state_counts,
    rounds_open_for_outlines,
    stored_total,
    transition_option,
    transition_options,
)
from .services import (
    PERIOD_FIELDS,
    TransitionError,
    TransitionNotPermitted,
    application_create,
    application_transition,
    application_update,
    partner_region_add,
    partner_region_remove,
)
from .states import State

PAGE_SIZE = 25
# Transitions confirmed on a page of their own before they happen: those that cannot be taken
# back (submitting, withdrawing, rejecting, deciding on the implementation).
CONFIRM_FIRST = frozenset(
    {"submit", "withdraw", "reject", "approve_implementation", "decline_implementation"}
)
# Steps that end or set back an application: their buttons are shown as dangerous.
DESTRUCTIVE = frozenset({"withdraw", "reject", "decline_implementation"})
# Refusal codes that mean "not this user's step" rather than "not yet".
NOT_YOUR_STEP = frozenset({"wrong_state", "not_permitted"})
NOT_WRITABLE = gettext_noop("You may read this application but not change it.")


def visible_application(user: Any, pk: int) -> Application:
    """The application if ``user`` may read it; anything else is absent (404)."""
    application: Application = get_object_or_404(
        access.applications_visible_to(user).with_programme(), pk=pk
    )
    return application


def require_write(user: Any, application: Application) -> None:
    """Auditors (and anyone else who may only read) get 403 on pages that change things."""
    if not access.can_write_application(user, application):
        raise PermissionDenied(_(NOT_WRITABLE))


@dataclass(frozen=True)
class NextSteps:
    """What a user can do with an application now, what blocks them, and whose turn it is."""

    allowed: Sequence[TransitionOption]
    blocked: Sequence[TransitionOption]
    waiting_for: Sequence[TransitionOption]

    @classmethod
    def of(cls, options: Sequence[TransitionOption]) -> "NextSteps":
        return cls(
            allowed=[o for o in options if o.allowed],
            blocked=[o for o in options if not o.allowed and o.code not in NOT_YOUR_STEP],
            waiting_for=[o for o in options if o.code == "not_permitted"],
        )

    @property
    def main(self) -> TransitionOption | None:
        """The step that moves the application forward (withdrawing does not)."""
        forward = [o for o in [*self.allowed, *self.blocked] if o.name != "withdraw"]
        return forward[0] if forward else None


@dataclass(frozen=True)
class HomeRow:
    application: Application
    steps: NextSteps
    deadline: datetime | None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Cluster managements see their applications; officers the review queue; auditors the
    rounds; reviewers the applications assigned to them."""
    user = request.user
    if is_cluster_manager(user):
        return _cluster_home(request)
    if is_officer(user):
        return redirect("applications:list")
    if is_auditor(user):
        return redirect("reports:rounds")
    if is_reviewer(user):
        return redirect("competition:reviews")
    if is_payment_officer(user):
        return redirect("disbursements:list")
    return render(request, "applications/home_no_role.html")


def _cluster_home(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/home.html", cluster_home_context(request))


def cluster_home_context(request: HttpRequest) -> dict[str, Any]:
    """The cluster management's applications, next steps and open calls (the notifications'
    home page adds the task list to them)."""
    user = request.user
    cluster_id = cluster_id_of(user)
    applications = access.applications_visible_to(user).with_programme().order_by("-round__number")
    rows = [
        HomeRow(
            application=application,
            steps=NextSteps.of(transition_options(application, user)),
            deadline=application.round.outline_deadline_at
            if application.state == State.DRAFT
            else None,
        )
        for application in applications
    ]
    return {
        "rows": rows,
        "cluster": Cluster.objects.filter(pk=cluster_id).first() if cluster_id else None,
        "open_rounds": rounds_open_for_outlines(cluster_id) if cluster_id else [],
    }


@login_required
@require_POST
def application_create_view(request: HttpRequest, round_pk: int) -> HttpResponse:
    """A cluster management starts its draft in a round; the cluster is theirs, never posted."""
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=round_pk)
    cluster_id = cluster_id_of(request.user)
    if cluster_id is None:
        raise PermissionDenied(_(NOT_WRITABLE))
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    try:
        application = application_create(round=round_, cluster=cluster, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("home")
    messages.success(request, _("Your draft for round %(round)s is ready.") % {"round": round_})
    return redirect("applications:edit", pk=application.pk)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The review queue: filters, search, counts per state, pages of 25 (flat query count)."""
    filters = QueueFilterForm(
        request.GET or None,
        sectors=cluster_sectors(),
        rounds=Round.objects.select_related("programme").order_by("programme__name", "number"),
    )
    filters.is_valid()
    chosen = getattr(filters, "cleaned_data", {})
    chosen_round = chosen.get("round")
    sector: str = chosen.get("sector") or ""
    round_id: int | None = chosen_round.pk if chosen_round else None
    search: str = (chosen.get("q") or "").strip()
    base = application_queue(request.user, sector=sector, round_id=round_id, search=search)
    counts = queue_state_counts(request.user, sector=sector, round_id=round_id, search=search)
    state = chosen.get("state") or ""
    listed = (base.in_states([state]) if state else base).select_related("budget_figures")
    paginator = IdsFirstPaginator(listed, PAGE_SIZE)
    paginator.count = counts.get(state, 0) if state else sum(counts.values())  # known already
    page = paginator.get_page(request.GET.get("page"))
    applications = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    without_state = query.copy()
    without_state.pop("state", None)
    return render(
        request,
        "applications/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(a, stored_total(a)) for a in applications],
            "state_counts": [(s, counts.get(s.value, 0)) for s in State],
            "total_count": sum(counts.values()),
            "chosen_state": state,
            "query": query.urlencode(),
            "query_without_state": without_state.urlencode(),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything submitted, the budget with caps and headroom, the history, and the steps this
    user may take now (with the reason for those they may not)."""
    application = visible_application(request.user, pk)
    options = transition_options(application, request.user)
    summary = budget_summary(application)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "steps": NextSteps.of(options),
            "confirm_first": CONFIRM_FIRST,
            "destructive": DESTRUCTIVE,
            "summary": summary,
            "cap_rows": cap_rows(summary),
            "history": application_history(application),
            "regions": application.partner_regions.all(),
            "can_write": access.can_write_application(request.user, application),
            "can_edit_outline": access.can_edit_outline(request.user, application),
            "reviews_it": is_reviewer(request.user)
            and application.reviewer_assignments.filter(reviewer_id=request.user.pk).exists(),
        },
    )


@login_required
def application_transition_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """GET: confirm a step (with its comment box). POST: fire it through the service."""
    application = visible_application(request.user, pk)
    if name not in TRANSITION_NAMES:
        raise Http404
    option = transition_option(application, name, request.user)
    if option.code == "not_permitted":
        raise PermissionDenied(option.refusals[0].detail)
    form = TransitionForm(request.POST or None, initial={"seen_state": application.state})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_transition(
                application=application,
                name=name,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_state=form.cleaned_data["seen_state"],
            )
        except TransitionNotPermitted as error:
            raise PermissionDenied(error.detail) from error
        except TransitionError as error:
            field = "comment" if error.code == "comment_required" else None
            details = [r.detail for r in error.refusals] or [error.detail]
            for detail in details:
                form.add_error(field, detail)
        else:
            messages.success(
                request,
                _("%(step)s: done. The application is now %(state)s.")
                % {"step": option.label, "state": application.get_state_display()},
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/transition.html",
        {
            "application": application,
            "option": option,
            "form": form,
            "destructive": DESTRUCTIVE,
            "can_write": access.can_write_application(request.user, application),
        },
    )


def _render_edit(
    request: HttpRequest,
    application: Application,
    form: ApplicationForm | None = None,
    region_form: PartnerRegionForm | None = None,
) -> HttpResponse:
    can_edit_outline = access.can_edit_outline(request.user, application)
    editable = editable_fields(application, outline=can_edit_outline)
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "form": form or ApplicationForm(instance=application, editable=editable),
            "region_form": region_form or PartnerRegionForm(prefix="region"),
            "regions": application.partner_regions.all(),
            "can_edit_outline": can_edit_outline,
        },
    )


def _period_field(changes: dict[str, Any]) -> str | None:
    """Period errors are shown at the end date of the phase whose period was changed."""
    changed = [phase for phase, fields in PERIOD_FIELDS.items() if set(changes) & fields]
    return f"{changed[0]}_end_on" if len(changed) == 1 else None


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline (while a draft) and the periods of the phases whose budget is open."""
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    if request.method != "POST":
        return _render_edit(request, application)
    editable = editable_fields(
        application, outline=access.can_edit_outline(request.user, application)
    )
    form = ApplicationForm(request.POST, instance=application, editable=editable)
    if form.is_valid():
        changes = form.changes()
        try:
            if changes:
                application_update(application=application, by=request.user, **changes)
        except BudgetRuleError as error:
            field = _period_field(changes)
            add_service_error(
                form,
                error,
                error.violations,
                {rule: field for rule in Rule} if field else None,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The application was saved."))
            return redirect("applications:edit", pk=application.pk)
    return _render_edit(request, application, form=form)


@login_required
@require_POST
def partner_region_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    form = PartnerRegionForm(request.POST, prefix="region")
    if form.is_valid():
        try:
            partner_region_add(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The partner region was added."))
            return redirect("applications:edit", pk=application.pk)
    return _render_edit(request, application, region_form=form)


@login_required
@require_POST
def partner_region_delete_view(request: HttpRequest, pk: int, region_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    region = get_object_or_404(PartnerRegion, pk=region_pk, application=application)
    partner_region_remove(partner_region=region, by=request.user)
    messages.success(request, _("The partner region was removed."))
    return redirect("applications:edit", pk=application.pk)
