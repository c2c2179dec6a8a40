"""The portal's drawdown pages: the cluster management's grant per grantee and year and its
requests, the officers' queues to check and to release (four eyes: the checker is offered no
release), payment runs, and what auditors read. Thin: access from ``access``, writes through
``services``, reads from ``selectors``."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application
from applications.services import TransitionError
from budgets.grantees import grantee_grants
from budgets.selectors import budget_summary
from kernel.downloads import xlsx_response
from kernel.roles import cluster_id_of

from . import access, selectors
from .forms import DrawdownForm, PaymentRunPayForm, SpentForm, TransitionForm
from .guards import RUNNING_APPLICATION_STATES, today
from .models import DrawdownPosition, DrawdownRequest, PaymentRun
from .services import (
    NOT_ENTERABLE,
    NOT_PAYMENT_OFFICER,
    drawdown_create,
    drawdown_report_spent,
    drawdown_transition,
    drawdown_update,
    payment_run_create,
    payment_run_mark_paid,
)
from .states import DrawdownState
from .workbook import build_payment_run_workbook, payment_run_filename

SAVED = gettext_noop("The drawdown request was saved.")
TRANSITION_DONE = gettext_noop("Done: %(transition)s.")
RUN_CREATED = gettext_noop("Payment run %(number)s was created.")
RUN_PAID = gettext_noop("Payment run %(number)s was marked paid.")
SPENT_SAVED = gettext_noop("The spending was recorded.")
RUNS_NOT_YOURS = gettext_noop("Only officers, payment officers and auditors see payment runs.")


def _drawdown(user: Any, pk: int) -> DrawdownRequest:
    """The request if ``user`` may read it; anything else is absent (404)."""
    positions = DrawdownPosition.objects.select_related("position")
    drawdown: DrawdownRequest = get_object_or_404(
        selectors.with_amounts(access.drawdowns_visible_to(user))
        .select_related("application__cluster__management_organisation", "checked_by")
        .prefetch_related(Prefetch("positions", queryset=positions)),
        pk=pk,
    )
    return drawdown


def _application(user: Any, pk: int) -> Application:
    application: Application = get_object_or_404(
        access.applications_with_drawdowns(user).with_programme(), pk=pk
    )
    return application


def _lists(user: Any) -> dict[str, QuerySet[DrawdownRequest]]:
    visible = selectors.with_amounts(access.drawdowns_visible_to(user))
    if not access.can_read_all_drawdowns(user):
        return {"requests": visible.order_by("-created_at", "-pk")}
    return {
        "to_check": visible.filter(state=DrawdownState.SUBMITTED).order_by("created_at", "pk"),
        "to_release": visible.filter(state=DrawdownState.CHECKED).order_by("created_at", "pk"),
        "to_pay": visible.filter(state=DrawdownState.RELEASED, payment_run__isnull=True),
        "spending_overdue": selectors.spending_overdue(access.drawdowns_visible_to(user)),
    }


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    """Cluster managements: the grant per grantee and year and their requests. Officers,
    payment officers and auditors: the queues and the flagged AZA payments."""
    user = request.user
    if not (access.can_read_all_drawdowns(user) or cluster_id_of(user) is not None):
        raise PermissionDenied(_(NOT_ENTERABLE))
    applications = list(
        access.applications_with_drawdowns(user)
        .filter(state__in=RUNNING_APPLICATION_STATES)
        .with_programme()
    )
    years = [] if access.can_read_all_drawdowns(user) else selectors.grantee_years(applications)
    return render(
        request,
        "disbursements/list.html",
        {
            "applications": applications,
            "years": years,
            "reads_all": access.can_read_all_drawdowns(user),
            "may_enter": not access.can_read_all_drawdowns(user),
            **_lists(user),
        },
    )


def _form_page(
    request: HttpRequest, application: Application, form: DrawdownForm, **context: Any
) -> HttpResponse:
    status = 400 if form.is_bound else 200
    return render(
        request,
        "disbursements/form.html",
        {"application": application, "form": form, **context},
        status=status,
    )


def _service_errors(form: DrawdownForm, error: Exception) -> None:
    if isinstance(error, TransitionError):
        for refusal in error.refusals or ():
            form.add_error(None, refusal.detail)
        if not error.refusals:
            form.add_error(None, error.detail)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def create_view(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = _application(request.user, application_pk)
    if not access.can_enter_drawdowns(request.user, application):
        raise PermissionDenied(_(NOT_ENTERABLE))
    grants = list(grantee_grants(budget_summary(application)))
    form = DrawdownForm(request.POST or None, grants=grants, editing=False)
    if request.method == "POST" and form.is_valid():
        grant = form.grant()
        try:
            drawdown = drawdown_create(
                application=application,
                phase=grant.phase,
                rd_project=application.rd_projects.filter(pk=grant.rd_project_id or 0).first(),
                grantee=grant.organisation,
                year=form.cleaned_data["year"],
                period_start_on=form.cleaned_data["period_start_on"],
                period_end_on=form.cleaned_data["period_end_on"],
                spend_by_on=form.cleaned_data["spend_by_on"],
                purpose=form.cleaned_data["purpose"],
                positions=form.positions(),
                by=request.user,
            )
        except (TransitionError, ValidationError) as error:
            _service_errors(form, error)
        else:
            messages.success(request, _(SAVED))
            return redirect("disbursements:detail", pk=drawdown.pk)
    return _form_page(request, application, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    drawdown = _drawdown(request.user, pk)
    if not access.can_edit_drawdown(request.user, drawdown):
        raise PermissionDenied(_(NOT_ENTERABLE))
    initial: dict[str, Any] = {
        "year": drawdown.year,
        "period_start_on": drawdown.period_start_on,
        "period_end_on": drawdown.period_end_on,
        "spend_by_on": drawdown.spend_by_on,
        "purpose": drawdown.purpose,
    }
    for row, (position, amount) in enumerate(drawdown.position_amounts(), start=1):
        initial |= {f"position_{row}": position, f"amount_{row}": amount}
    form = DrawdownForm(request.POST or None, initial=initial, grants=[], editing=True)
    if request.method == "POST" and form.is_valid():
        fields = ("year", "period_start_on", "period_end_on", "spend_by_on", "purpose")
        try:
            drawdown_update(
                drawdown=drawdown,
                by=request.user,
                positions=form.positions(),
                **{name: form.cleaned_data[name] for name in fields},
            )
        except (TransitionError, ValidationError) as error:
            _service_errors(form, error)
        else:
            messages.success(request, _(SAVED))
            return redirect("disbursements:detail", pk=drawdown.pk)
    return _form_page(request, drawdown.application, form, drawdown=drawdown)


def _detail_page(
    request: HttpRequest, drawdown: DrawdownRequest, errors: list[str], status: int = 200
) -> HttpResponse:
    user = request.user
    spend_days = drawdown.application.round.programme.aza_spend_days
    return render(
        request,
        "disbursements/detail.html",
        {
            "drawdown": drawdown,
            "history": selectors.drawdown_history(drawdown),
            "options": selectors.offered_transitions(drawdown, user),
            "can_edit": access.can_edit_drawdown(user, drawdown),
            "can_report_spent": access.can_report_spent(user, drawdown)
            and drawdown.state == DrawdownState.PAID
            and drawdown.spend_by_on is not None,
            "spending_overdue": selectors.is_spending_overdue(drawdown, spend_days, today()),
            "errors": errors,
            "form": TransitionForm(),
            "spent_form": SpentForm(),
        },
        status=status,
    )


@login_required
@require_GET
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _drawdown(request.user, pk), [])


@login_required
@require_POST
def transition_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    drawdown = _drawdown(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        changed = drawdown_transition(
            drawdown=drawdown,
            name=name,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
    except TransitionError as error:
        if error.code in ("not_permitted", "four_eyes"):
            raise PermissionDenied(error.detail) from None
        return _detail_page(request, drawdown, [error.detail], status=400)
    option = selectors.transition_option(changed, name, request.user)
    messages.success(request, _(TRANSITION_DONE) % {"transition": option.label})
    return redirect("disbursements:detail", pk=drawdown.pk)


@login_required
@require_POST
def spent_view(request: HttpRequest, pk: int) -> HttpResponse:
    drawdown = _drawdown(request.user, pk)
    if not access.can_report_spent(request.user, drawdown):
        raise PermissionDenied(_(NOT_ENTERABLE))
    form = SpentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, drawdown, [str(e) for e in form.errors.values()], 400)
    try:
        drawdown_report_spent(
            drawdown=drawdown, spent_on=form.cleaned_data["spent_reported_on"], by=request.user
        )
    except ValidationError as error:
        return _detail_page(request, drawdown, error.messages, status=400)
    messages.success(request, _(SPENT_SAVED))
    return redirect("disbursements:detail", pk=drawdown.pk)


def _runs_readable(user: Any) -> None:
    if not access.can_read_all_drawdowns(user):
        raise PermissionDenied(_(RUNS_NOT_YOURS))


@login_required
@require_http_methods(["GET", "POST"])
def runs_view(request: HttpRequest) -> HttpResponse:
    """The payment runs; payment officers group the released requests they tick into a new one."""
    user = request.user
    _runs_readable(user)
    errors: list[str] = []
    if request.method == "POST":
        if not access.can_manage_payment_runs(user):
            raise PermissionDenied(_(NOT_PAYMENT_OFFICER))
        ids = [int(pk) for pk in request.POST.getlist("drawdowns") if pk.isdigit()]
        try:
            run = payment_run_create(
                drawdowns=list(access.drawdowns_visible_to(user).filter(pk__in=ids)), by=user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _(RUN_CREATED) % {"number": run.pk})
            return redirect("disbursements:run", pk=run.pk)
    runs = selectors.payment_runs_with_totals(access.payment_runs_visible_to(user))
    released = selectors.with_amounts(
        access.drawdowns_visible_to(user).filter(
            state=DrawdownState.RELEASED, payment_run__isnull=True
        )
    )
    return render(
        request,
        "disbursements/runs.html",
        {
            "runs": runs.select_related("created_by"),
            "released": released,
            "may_manage": access.can_manage_payment_runs(user),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _run(user: Any, pk: int) -> PaymentRun:
    _runs_readable(user)
    run: PaymentRun = get_object_or_404(
        selectors.payment_runs_with_totals(access.payment_runs_visible_to(user)), pk=pk
    )
    return run


def _run_page(
    request: HttpRequest, run: PaymentRun, form: PaymentRunPayForm, errors: list[str]
) -> HttpResponse:
    return render(
        request,
        "disbursements/run.html",
        {
            "run": run,
            "rows": selectors.payment_run_rows(run),
            "may_manage": access.can_manage_payment_runs(request.user) and not run.is_paid,
            "form": form,
            "errors": errors,
        },
        status=400 if errors or form.errors else 200,
    )


@login_required
@require_GET
def run_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_page(request, _run(request.user, pk), PaymentRunPayForm(), [])


@login_required
@require_POST
def run_pay_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request.user, pk)
    if not access.can_manage_payment_runs(request.user):
        raise PermissionDenied(_(NOT_PAYMENT_OFFICER))
    form = PaymentRunPayForm(request.POST)
    if not form.is_valid():
        return _run_page(request, run, form, [])
    try:
        payment_run_mark_paid(
            run=run,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["payment_reference"],
            by=request.user,
        )
    except (TransitionError, ValidationError) as error:
        detail = error.detail if isinstance(error, TransitionError) else " ".join(error.messages)
        return _run_page(request, run, form, [detail])
    messages.success(request, _(RUN_PAID) % {"number": run.pk})
    return redirect("disbursements:run", pk=run.pk)


@login_required
@require_GET
def run_workbook_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request.user, pk)
    content = build_payment_run_workbook(run, list(selectors.payment_run_rows(run)))
    return xlsx_response(content, payment_run_filename(run))
