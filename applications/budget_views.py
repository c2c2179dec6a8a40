"""The portal's budget pages: the summary with caps and headroom, the budget grid with its live
preview, R&D projects and their partners, and the grantees' funding terms.

Every write goes through ``budgets.services``; every figure comes from the budget summary.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import access
from applications.models import Application
from applications.views import require_write, visible_application
from budgets.forms import BudgetGridForm
from budgets.grid import (
    GridSpec,
    cap_rows,
    error_map,
    grid_blocks,
    grid_figures,
    grid_spec,
    invalid_cells,
)
from budgets.models import Phase, RDProject
from budgets.plan import Plan, PlanRefused, check_plan, summarise
from budgets.selectors import budget_plan, budget_summary
from budgets.services import budget_closed, budget_lines_write
from budgets.summary import BudgetSummary, plan_gaps
from budgets.violations import BudgetRuleError, Violation
from kernel.forms import format_amount

Errors = dict[str, list[str]]  # messages by the id of the element they are shown at


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
            "can_write": access.can_write_application(request.user, application),
            "concept_open": application.is_budget_open(Phase.CONCEPT),
            "implementation_open": application.is_budget_open(Phase.IMPLEMENTATION),
        },
    )


def _preview(
    application: Application, plan: Plan, form: BudgetGridForm
) -> tuple[BudgetSummary, list[Violation]]:
    """The figures the grid as typed would give, and the rules saving it would break, from the
    check the write makes (``check_plan``); nothing is written."""
    check = check_plan(plan, writes=form.writes, deletes=form.deletes)
    phases = {line.phase for line in [*form.writes, *form.deletes]}
    return check.summary, budget_closed(application, phases) or list(check.violations)


def _save(
    application: Application, plan: Plan, form: BudgetGridForm, user: Any
) -> tuple[BudgetSummary, list[Violation]] | None:
    """Save the grid in one write (all or nothing): None when saved, else the figures it would
    have given and the rules it breaks (a refusal of a single cell shows on the form)."""
    if form.is_valid():
        try:
            budget_lines_write(
                application=application, writes=form.writes, deletes=form.deletes, by=user
            )
        except PlanRefused as refused:
            return refused.check.summary, list(refused.violations)
        except BudgetRuleError as error:  # a phase closed meanwhile
            return _preview(application, plan, form)[0], list(error.violations)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return None
    return _preview(application, plan, form)


def _cell_errors(form: BudgetGridForm) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, messages_ in form.errors.items():
        target = f"errors-{name}" if name in form.fields else "errors-grid"
        errors.setdefault(target, []).extend(str(message) for message in messages_)
    return errors


def _errors(form: BudgetGridForm, refused: Sequence[Violation], spec: GridSpec) -> Errors:
    """The grid's errors by the id of the element they are shown at: the cells' own, then the
    rules the grid breaks."""
    errors = _cell_errors(form)
    for target, found in error_map(refused, spec).items():
        errors.setdefault(target, []).extend(found)
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
    if request.method == "POST" and closed:
        messages.error(
            request,
            _("This budget cannot be changed in the state “%(state)s”.")
            % {"state": application.get_state_display()},
        )
        return redirect(request.path)
    plan = budget_plan(application)
    spec = grid_spec(plan, phase, project)
    if request.method != "POST":
        form = BudgetGridForm(spec, disabled=closed)
        return _render_grid(request, application, spec, form, summarise(plan), errors={})
    form = BudgetGridForm(spec, request.POST)
    refusal = _save(application, plan, form, request.user)
    if refusal is None:
        messages.success(request, _("The budget was saved."))
        return redirect(request.path)
    summary, refused = refusal
    return _render_grid(
        request, application, spec, form, summary, errors=_errors(form, refused, spec)
    )


def _render_grid(
    request: HttpRequest,
    application: Application,
    spec: GridSpec,
    form: BudgetGridForm,
    summary: BudgetSummary,
    *,
    errors: Errors,
) -> HttpResponse:
    """The grid with its figures from ``summary``; cells in a year, at a grantee or in a grid
    with an error are marked invalid."""
    figures = grid_figures(spec, summary)
    for name in invalid_cells(errors, spec, form):
        form.fields[name].widget.attrs["aria-invalid"] = "true"
    project = spec.project
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
            "is_open": application.is_budget_open(spec.phase),
            "not_saved": request.method == "POST",
        },
    )


def _grid_preview(
    request: HttpRequest, application: Application, project: RDProject | None
) -> JsonResponse:
    """The figures and errors of the grid as typed, for the page's script to show."""
    require_write(request.user, application)
    plan = budget_plan(application)
    spec = grid_spec(plan, Phase.IMPLEMENTATION if project else Phase.CONCEPT, project)
    form = BudgetGridForm(spec, request.POST)
    form.is_valid()  # cells with errors are left out of the preview and marked
    summary, refused = _preview(application, plan, form)
    errors = _errors(form, refused, spec)
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
