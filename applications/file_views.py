"""Workbooks to download, and the budget import from the template (preview, then confirm).

The builders (``budgets.workbooks``) and the import service (``budgets.imports``) do all the
work; these views check who may ask, and stream or show the result. A refused upload shows its
problems with the status the API answers too (``budgets.imports.refusal_status``): 413 too
large, 415 not a workbook (or with macros), 422 problems in its content, 409 budget changed.
"""

import base64
from io import BytesIO
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from applications import access
from applications.models import Application
from applications.states import State, state_labels
from applications.views import require_write, visible_application
from budgets.imports import (
    Action,
    ImportRefused,
    budget_import_confirm,
    budget_import_preview,
    refusal_status,
)
from budgets.models import PlanVersion
from budgets.versions import version_asked
from budgets.workbooks import (
    application_workbook,
    application_workbook_filename,
    budget_template_data,
    budget_template_filename,
    export_budget_lines,
    export_budget_lines_filename,
    write_budget_template,
)
from kernel.downloads import xlsx_response
from programmes.models import Cluster, Programme, Round

# The previewed file waits in the session for the confirmation, so it is not uploaded twice;
# the preview's signed token (file digest, budget, user) is what makes it trusted.
SESSION_KEY = "budget-import"
NO_FILE = gettext_noop("Choose the Excel file (.xlsx) to import.")
PREVIEW_GONE = gettext_noop("The previewed file is no longer available; upload it again.")


@login_required
def application_workbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's budget workbook, for everyone who may read the application: of the
    current plan, or of an approved version of it (``?version=N``)."""
    application = visible_application(request.user, pk)
    try:
        version = version_asked(application, request.GET.get("version"))
    except PlanVersion.DoesNotExist as gone:
        raise Http404 from gone
    built = application_workbook(application, by=request.user, version=version)
    return xlsx_response(built.to_bytes(), application_workbook_filename(application))


class BudgetLineExportFilter(forms.Form):
    """Shape only: which lines to export; visibility narrows them further."""

    programme = forms.ModelChoiceField(Programme.objects.all(), required=False)
    round = forms.ModelChoiceField(Round.objects.select_related("programme"), required=False)
    cluster = forms.ModelChoiceField(Cluster.objects.all(), required=False)
    state = forms.MultipleChoiceField(choices=State.choices, required=False)


@login_required
def budget_lines_download(request: HttpRequest) -> HttpResponse:
    """Every budget line the user may read, one row each, within the filters in the query."""
    given = BudgetLineExportFilter(request.GET)
    if not given.is_valid():
        raise Http404
    filters = {
        "programme": given.cleaned_data["programme"],
        "round": given.cleaned_data["round"],
        "cluster": given.cleaned_data["cluster"],
        "states": given.cleaned_data["state"],
    }
    stream = BytesIO()
    export_budget_lines(
        stream,
        by=request.user,
        lines=access.budget_lines_visible_to(request.user),
        state_labels=state_labels(),
        **filters,
    )
    return xlsx_response(stream.getvalue(), export_budget_lines_filename(**filters))


@login_required
def budget_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The import template, filled with the application's budget as it is now."""
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    stream = BytesIO()
    write_budget_template(budget_template_data(application, by=request.user), stream)
    return xlsx_response(stream.getvalue(), budget_template_filename(application))


def _render(
    request: HttpRequest, application: Application, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        "budgets/import.html",
        {"application": application, "can_write": True, "Action": Action, **context},
        status=status,
    )


@login_required
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: the preview of the uploaded file (nothing is written)."""
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    if request.method != "POST":
        return _render(request, application)
    upload = request.FILES.get("file")
    if upload is None:
        return _render(request, application, status=400, error=_(NO_FILE))
    data = upload.read()
    preview = budget_import_preview(
        application=application, file=data, by=request.user, filename=upload.name
    )
    if preview.is_valid:
        request.session[SESSION_KEY] = {
            "application": application.pk,
            "filename": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
        }
    return _render(
        request,
        application,
        status=200 if preview.is_valid else refusal_status(preview.problems),
        preview=preview,
        filename=upload.name,
        counts={action: preview.count(action) for action in Action},
    )


@login_required
@require_POST
def budget_import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the previewed file: all rows or none."""
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("application") != application.pk:
        return _render(request, application, status=400, error=_(PREVIEW_GONE))
    try:
        result = budget_import_confirm(
            application=application,
            file=base64.b64decode(stored["data"]),
            token=request.POST.get("token", ""),
            by=request.user,
            filename=stored["filename"],
        )
    except ImportRefused as refused:
        status = refusal_status(refused.problems)
        return _render(request, application, status=status, problems=refused.problems)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported: %(created)s created, %(changed)s changed, %(deleted)s deleted.")
        % {"created": result.created, "changed": result.changed, "deleted": result.deleted},
    )
    return redirect("budgets:overview", pk=application.pk)
