"""The portal's statement pages: the cluster management's statements and the grid of actuals,
the officers' review queue and settlements (four eyes: the preparer is offered no decision),
and what auditors read. Thin: access from ``access``, writes through ``services``, reads from
``selectors``."""

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.access import applications_visible_to
from applications.models import Application
from applications.services import TransitionError
from budgets.imports import ImportRefused, refusal_status
from budgets.selectors import budget_summary
from correspondence.downloads import document_response
from correspondence.filetypes import UploadRefused
from kernel.downloads import xlsx_response
from kernel.roles import cluster_id_of

from . import access, selectors
from .forms import ActualsForm, SettlementForm, StatementStartForm, TransitionForm
from .imports import actuals_import_confirm, actuals_import_preview, actuals_template
from .models import Settlement, Statement
from .services import (
    FUNDED_STATES,
    NOT_ENTERABLE,
    settlement_prepare,
    settlement_transition,
    statement_create,
    statement_document_attach,
    statement_lines_save,
    statement_transition,
    statement_update,
)
from .states import SettlementState, StatementKind, StatementState
from .workbook import statement_filename, statement_workbook

SAVED = gettext_noop("The statement was saved.")
TRANSITION_DONE = gettext_noop("Done: %(transition)s.")
SETTLEMENT_PREPARED = gettext_noop("The settlement was prepared; another officer decides it.")
NO_PLAN = gettext_noop("The grantee is no longer in the current plan.")
NOT_YOURS = gettext_noop("Statements are the cluster managements', officers' and auditors'.")

FUNDED = sorted({state for states in FUNDED_STATES.values() for state in states})


def _statement(user: Any, pk: int) -> Statement:
    """The statement if ``user`` may read it; anything else is absent (404)."""
    statement: Statement = get_object_or_404(
        selectors.with_totals(access.statements_visible_to(user)).select_related(
            "application__round__programme",
            "application__cluster__management_organisation",
            "settlement__prepared_by",
            "settlement__decided_by",
        ),
        pk=pk,
    )
    return statement


def _application(user: Any, pk: int) -> Application:
    visible = applications_visible_to(user).with_programme()
    application: Application = get_object_or_404(visible, pk=pk)
    return application


def _lists(user: Any) -> dict[str, QuerySet[Any]]:
    visible = selectors.with_totals(access.statements_visible_to(user))
    settlements = selectors.settlements_listed(access.settlements_visible_to(user))
    return {
        "to_review": visible.filter(state=StatementState.SUBMITTED).order_by("submitted_at", "pk"),
        "statements": visible.order_by("-created_at", "-pk")[:100],
        "to_decide": settlements.filter(state=SettlementState.PREPARED).order_by("prepared_at"),
        "settlements": settlements.filter(state=SettlementState.DECIDED)[:100],
    }


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    """Cluster managements: their statements and where to start one. Officers, payment officers
    and auditors: the statements to review, the settlements to decide, and all of them."""
    user = request.user
    reads_all = access.can_read_all_statements(user)
    cluster_id = cluster_id_of(user)
    if not reads_all and cluster_id is None:
        raise PermissionDenied(_(NOT_YOURS))
    applications = applications_visible_to(user).filter(state__in=FUNDED)
    if reads_all:
        applications = applications.none()
    return render(
        request,
        "statements/list.html",
        {"reads_all": reads_all, "applications": applications, **_lists(user)},
    )


def _errors_of(error: Exception) -> list[str]:
    if isinstance(error, TransitionError):
        return [refusal.detail for refusal in error.refusals] or [error.detail]
    assert isinstance(error, ValidationError)
    return list(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def create_view(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = _application(request.user, application_pk)
    if not access.can_enter_statements(request.user, application):
        raise PermissionDenied(_(NOT_ENTERABLE))
    grantees = list(selectors.grantee_blocks(budget_summary(application)))
    form = StatementStartForm(request.POST or None, grantees=grantees)
    if request.method == "POST" and form.is_valid():
        phase, project_id, block = form.chosen()
        try:
            statement = statement_create(
                application=application,
                kind=form.cleaned_data["kind"],
                phase=phase,
                rd_project=application.rd_projects.filter(pk=project_id or 0).first(),
                grantee=block.organisation,
                year=form.cleaned_data["year"],
                narrative=form.cleaned_data["narrative"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _(SAVED))
            return redirect("statements:detail", pk=statement.pk)
    return render(
        request,
        "statements/start.html",
        {"application": application, "form": form},
        status=400 if form.is_bound else 200,
    )


def _detail_page(
    request: HttpRequest, statement: Statement, errors: list[str], status: int = 200
) -> HttpResponse:
    user = request.user
    view = selectors.figures_of(statement)
    settlement: Settlement | None = getattr(statement, "settlement", None)
    options = [
        selectors.transition_option(statement, name, user)
        for name in selectors.STATEMENT_TRANSITIONS
    ]
    decisions = (
        [selectors.transition_option(settlement, n, user) for n in selectors.SETTLEMENT_TRANSITIONS]
        if settlement is not None
        else []
    )
    return render(
        request,
        "statements/detail.html",
        {
            "statement": statement,
            "figures": view.figures,
            "history": selectors.statement_history(statement),
            "documents": statement.documents.select_related("uploaded_by").order_by("pk"),
            "options": [option for option in options if option.allowed],
            "can_edit": access.can_edit_statement(user, statement),
            "settlement": settlement,
            "decisions": [option for option in decisions if option.allowed],
            "may_settle": settlement is None
            and access.can_settle(user)
            and statement.kind == StatementKind.FINAL
            and statement.state == StatementState.ACCEPTED,
            "errors": errors,
            "form": TransitionForm(),
            "settlement_form": SettlementForm(),
        },
        status=status,
    )


@login_required
@require_GET
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _statement(request.user, pk), [])


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid of actuals per position and year, with the narrative report."""
    statement = _statement(request.user, pk)
    if not access.can_edit_statement(request.user, statement):
        raise PermissionDenied(_(NOT_ENTERABLE))
    view = selectors.figures_of(statement)
    positions = [row.position for row in view.block.positions] if view.block else []
    years = selectors.statement_years(statement)
    initial: dict[str, Any] = {"narrative": statement.narrative}
    for line in statement.lines.all():
        initial[f"actual_{line.position_id}_{line.year}"] = line.actual_amount
    form = ActualsForm(request.POST or None, initial=initial, positions=positions, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            statement_update(
                statement=statement, narrative=form.cleaned_data["narrative"], by=request.user
            )
            statement_lines_save(statement=statement, lines=form.lines(), by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _(SAVED))
            return redirect("statements:detail", pk=statement.pk)
    return render(
        request,
        "statements/edit.html",
        {"statement": statement, "form": form, "years": years, "positions": positions},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def transition_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    statement = _statement(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        changed = statement_transition(
            statement=statement,
            name=name,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
    except TransitionError as error:
        if error.code in ("not_permitted", "four_eyes"):
            raise PermissionDenied(error.detail) from None
        return _detail_page(request, statement, _errors_of(error), status=400)
    option = selectors.transition_option(changed, name, request.user)
    messages.success(request, _(TRANSITION_DONE) % {"transition": option.label})
    return redirect("statements:detail", pk=statement.pk)


@login_required
@require_POST
def settle_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request.user, pk)
    form = SettlementForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, statement, [str(e) for e in form.errors.values()], 400)
    try:
        settlement_prepare(
            statement=statement,
            by=request.user,
            settled_amount=form.cleaned_data["settled_amount"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        return _detail_page(request, statement, _errors_of(error), status=400)
    messages.success(request, _(SETTLEMENT_PREPARED))
    return redirect("statements:detail", pk=statement.pk)


@login_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request.user, pk)
    settlement = get_object_or_404(access.settlements_visible_to(request.user), statement=statement)
    try:
        settlement_transition(settlement=settlement, name="decide", by=request.user)
    except TransitionError as error:
        if error.code in ("not_permitted", "four_eyes"):
            raise PermissionDenied(error.detail) from None
        return _detail_page(request, statement, _errors_of(error), status=400)
    option = selectors.transition_option(settlement, "decide", request.user)
    messages.success(request, _(TRANSITION_DONE) % {"transition": option.label})
    return redirect("statements:detail", pk=statement.pk)


@login_required
@require_GET
def workbook_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request.user, pk)
    content = statement_workbook(statement)
    if content is None:
        raise Http404(_(NO_PLAN))
    return xlsx_response(content, statement_filename(statement))


SESSION_KEY = "statements.actuals_import"
NO_FILE = gettext_noop("Choose a file.")
PREVIEW_GONE = gettext_noop("The preview is gone; upload the file again.")
IMPORTED = gettext_noop("Imported: %(count)s lines of actuals.")
ATTACHED = gettext_noop("The document was attached.")


def _writable(request: HttpRequest, pk: int) -> Statement:
    statement = _statement(request.user, pk)
    if not access.can_edit_statement(request.user, statement):
        raise PermissionDenied(_(NOT_ENTERABLE))
    return statement


@login_required
@require_GET
def actuals_template_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _writable(request, pk)
    return xlsx_response(actuals_template(statement), f"statement-{statement.pk}-actuals.xlsx")


def _import_page(
    request: HttpRequest, statement: Statement, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request, "statements/import.html", {"statement": statement, **context}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: the preview of the uploaded file (nothing is written); the
    file waits in the session for the confirmation."""
    statement = _writable(request, pk)
    if request.method != "POST":
        return _import_page(request, statement)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, statement, status=400, error=_(NO_FILE))
    data = upload.read()
    preview = actuals_import_preview(statement=statement, file=data, by=request.user)
    if preview.is_valid:
        encoded = base64.b64encode(data).decode("ascii")
        request.session[SESSION_KEY] = {"statement": statement.pk, "data": encoded}
    status = 200 if preview.is_valid else refusal_status(preview.problems)
    return _import_page(request, statement, status=status, preview=preview)


@login_required
@require_POST
def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the previewed file: all lines or none."""
    statement = _writable(request, pk)
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("statement") != statement.pk:
        return _import_page(request, statement, status=400, error=_(PREVIEW_GONE))
    try:
        lines = actuals_import_confirm(
            statement=statement,
            file=base64.b64decode(stored["data"]),
            token=request.POST.get("token", ""),
            by=request.user,
        )
    except ImportRefused as refused:
        status = refusal_status(refused.problems)
        return _import_page(request, statement, status=status, problems=refused.problems)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _(IMPORTED) % {"count": len(lines)})
    return redirect("statements:detail", pk=statement.pk)


@login_required
@require_POST
def attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _writable(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _detail_page(request, statement, [_(NO_FILE)], status=400)
    try:
        statement_document_attach(statement=statement, file=upload, by=request.user)
    except UploadRefused as refused:
        return _detail_page(request, statement, [refused.detail], status=refused.status)
    messages.success(request, _(ATTACHED))
    return redirect("statements:detail", pk=statement.pk)


@login_required
@require_GET
def document_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = get_object_or_404(_statement(request.user, pk).documents, pk=document_pk)
    # A statement's document has the fields the correspondence's response reads.
    return document_response(document)  # type: ignore[arg-type]
