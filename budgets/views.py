"""The portal's budget pages: the summary with caps and headroom, the budget grid with its live
preview, R&D projects and their partners, and the grantees' funding terms.

Every write goes through ``budgets.services``; every figure comes from the budget summary.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application
from applications.views import require_write, visible_application
from programmes import access

from .forms import (
    BudgetGridForm,
    format_amount,
)
from .grid import (
    GridSpec,
    cap_rows,
    error_map,
    grid_blocks,
    grid_figures,
    grid_spec,
    invalid_cells,
)
from .models import Phase, RDProject
from .selectors import budget_summary, budget_summary_preview
from .services import (
    budget_lines_write,
    grantee_terms_ensure,
)
from .summary import BudgetSummary, plan_gaps
from .violations import BudgetRuleError, Violation


def project_of(application: Application, project_pk: int) -> RDProject:
    """The R&D project of this application (another application's: 404)."""
    return get_object_or_404(RDProject, pk=project_pk, application=application)


@login_required
def budget_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole budget: per phase, project, grantee, position and year, with every cap."""
    application = visible_application(request.user, pk)
    summary = budget_summary(application)
    return render(
        request,
        "budgets/overview.html",
        {
            "application": application,
            "summary": summary,
            "cap_rows": cap_rows(summary),
            "concept_gaps": plan_gaps(summary, Phase.CONCEPT),
            "implementation_gaps": plan_gaps(summary, Phase.IMPLEMENTATION),
            "can_write": access.can_write_cluster(request.user, application.cluster_id),
            "concept_open": application.is_budget_open(Phase.CONCEPT),
            "implementation_open": application.is_budget_open(Phase.IMPLEMENTATION),
        },
    )


def _preview(
    application: Application, spec: GridSpec, form: BudgetGridForm, user: Any
) -> tuple[BudgetSummary, list[Violation]]:
    """The figures the grid would give, and the rules saving it would break. The real service
    runs inside a transaction that is rolled back, so nothing is written."""
    with transaction.atomic():
        for grantee in spec.grantees:
            grantee_terms_ensure(application, grantee.organisation, by=user)
        summary = budget_summary_preview(application, writes=form.writes, deletes=form.deletes)
        try:
            budget_lines_write(
                application=application, writes=form.writes, deletes=form.deletes, by=user
            )
            refused: list[Violation] = []
        except BudgetRuleError as error:
            refused = error.violations
        transaction.set_rollback(True)
    return summary, refused


def _cell_errors(form: BudgetGridForm) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, messages_ in form.errors.items():
        target = f"errors-{name}" if name in form.fields else "errors-grid"
        errors.setdefault(target, []).extend(str(message) for message in messages_)
    return errors


def _grid(
    request: HttpRequest, application: Application, project: RDProject | None
) -> HttpResponse:
    """The grid page: GET shows the saved budget; POST saves every changed cell in one write
    (all or nothing) or shows, at the cells, why it was refused, with the figures it would
    have given."""
    require_write(request.user, application)
    phase = Phase.IMPLEMENTATION if project else Phase.CONCEPT
    closed = not application.is_budget_open(phase)
    spec = grid_spec(application, phase, project)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and closed:
        messages.error(
            request,
            _("This budget cannot be changed in the state “%(state)s”.")
            % {"state": application.get_state_display()},
        )
        return redirect(request.path)
    if request.method == "POST":
        form = BudgetGridForm(spec, request.POST, disabled=closed)
        if form.is_valid():
            try:
                budget_lines_write(
                    application=application,
                    writes=form.writes,
                    deletes=form.deletes,
                    by=request.user,
                )
            except BudgetRuleError:
                pass  # shown below, with the figures the grid would give
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The budget was saved."))
                return redirect(request.path)
        # The refused write may have touched the line objects: start again from the database.
        spec = grid_spec(application, phase, project)
        form = BudgetGridForm(spec, request.POST, disabled=closed)
        form.is_valid()
        summary, refused = _preview(application, spec, form, request.user)
        errors = {**_cell_errors(form)}
        for target, found in error_map(refused, spec).items():
            errors.setdefault(target, []).extend(found)
    else:
        form = BudgetGridForm(spec, disabled=closed)
        summary = budget_summary(application)
    figures = grid_figures(spec, summary)
    for name in invalid_cells(errors, spec, form):
        form.fields[name].widget.attrs["aria-invalid"] = "true"
    preview_url = (
        reverse("budgets:project-preview", args=[application.pk, project.pk])
        if project
        else reverse("budgets:concept-preview", args=[application.pk])
    )
    return render(
        request,
        "budgets/grid.html",
        {
            "application": application,
            "project": project,
            "spec": spec,
            "form": form,
            "blocks": grid_blocks(spec, form, figures),
            "figures": figures,
            "errors": errors,
            "year_errors": [
                (year, f"errors-year-{year}", errors.get(f"errors-year-{year}", []))
                for year in spec.years
            ],
            "grantee_errors": {
                g.organisation.pk: errors.get(f"errors-grantee-{g.organisation.pk}", [])
                for g in spec.grantees
            },
            "colspan": len(spec.years) + 2,
            "example": format_amount(Decimal("1234.56")),
            "preview_url": preview_url,
            "summary": summary,
            "cap_rows": cap_rows(summary),
            "is_open": not closed,
            "not_saved": request.method == "POST",
        },
    )


def _grid_preview(
    request: HttpRequest, application: Application, project: RDProject | None
) -> JsonResponse:
    """The figures and errors of the grid as typed, for the page's script to show."""
    require_write(request.user, application)
    spec = grid_spec(application, Phase.IMPLEMENTATION if project else Phase.CONCEPT, project)
    form = BudgetGridForm(spec, request.POST)
    form.is_valid()  # cells with errors are left out of the preview and marked
    summary, refused = _preview(application, spec, form, request.user)
    errors = _cell_errors(form)
    for target, found in error_map(refused, spec).items():
        errors.setdefault(target, []).extend(found)
    figures = grid_figures(spec, summary).all()
    panel = render_to_string(
        "budgets/_caps.html", {"summary": summary, "cap_rows": cap_rows(summary)}, request
    )
    return JsonResponse(
        {
            "figures": {figure.id: figure.text for figure in figures},
            "over": [figure.id for figure in figures if figure.is_over],
            "errors": errors,
            "invalid": invalid_cells(errors, spec, form),
            "panel": panel,
        }
    )


@login_required
def concept_grid(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid(request, visible_application(request.user, pk), None)


@login_required
@require_POST
def concept_preview(request: HttpRequest, pk: int) -> JsonResponse:
    return _grid_preview(request, visible_application(request.user, pk), None)


@login_required
def project_grid(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    return _grid(request, application, project_of(application, project_pk))


@login_required
@require_POST
def project_preview(request: HttpRequest, pk: int, project_pk: int) -> JsonResponse:
    application = visible_application(request.user, pk)
    return _grid_preview(request, application, project_of(application, project_pk))
