"""The portal's R&D project pages (projects, their partners, a new organisation proposed for
them) and the grantees' funding terms.

Every write goes through ``budgets.services`` (organisations: ``programmes.services``); their
refusals are shown at the field.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from applications import access
from applications.budget_views import project_of
from applications.models import Application
from applications.views import require_write, visible_application
from budgets.forms import (
    PROJECT_FIELDS,
    TERMS_FIELDS,
    GranteeTermsForm,
    ProjectPartnerForm,
    RDProjectForm,
    add_service_error,
)
from budgets.grid import default_rates, terms_of
from budgets.models import GranteeTerms, Phase, ProjectPartner, RDProject
from budgets.selectors import budget_summary, partner_choices
from budgets.services import (
    grantee_terms_set,
    project_partner_add,
    project_partner_remove,
    rd_project_create,
    rd_project_delete,
    rd_project_update,
)
from budgets.violations import BudgetRuleError, Rule
from kernel.money import format_percent
from programmes.access import can_read_all, organisations_usable_in
from programmes.forms import OrganisationProposalForm
from programmes.models import Organisation
from programmes.services import organisation_propose

RATE_ABOVE_DEFAULT = gettext_noop(
    "The funding rate of %(rate)s is above the programme's default of %(default)s for this "
    "legal form and size class. Reason given: %(reason)s"
)
NO_REASON = gettext_noop("none")


def _project_error(form: RDProjectForm, error: ValidationError) -> None:
    if isinstance(error, BudgetRuleError):
        add_service_error(form, error, error.violations, PROJECT_FIELDS)
    else:
        add_service_error(form, error)


@login_required
def project_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The R&D projects of the implementation phase, and a form to add one."""
    application = visible_application(request.user, pk)
    form = RDProjectForm(request.POST or None)
    if request.method == "POST":
        require_write(request.user, application)
        if form.is_valid():
            try:
                project = rd_project_create(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _project_error(form, error)
            else:
                messages.success(request, _("The R&D project was added."))
                return redirect("budgets:project", pk=application.pk, project_pk=project.pk)
    summary = budget_summary(application)
    return render(
        request,
        "budgets/projects.html",
        {
            "application": application,
            "projects": summary.implementation.projects,
            "summary": summary,
            "form": form,
            "can_write": access.can_write_application(request.user, application),
            "is_open": application.is_budget_open(Phase.IMPLEMENTATION),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    """One R&D project: its dates and description, and its partners."""
    application = visible_application(request.user, pk)
    project = project_of(application, project_pk)
    initial = {
        "title": project.title,
        "description": project.description,
        "start_month": project.start_month,
        "end_month": project.end_month,
    }
    form = RDProjectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_write(request.user, application)
        if form.is_valid():
            try:
                rd_project_update(project=project, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _project_error(form, error)
            else:
                messages.success(request, _("The R&D project was saved."))
                return redirect("budgets:project", pk=application.pk, project_pk=project.pk)
    return _render_project(request, application, project, form=form)


def _render_project(
    request: HttpRequest,
    application: Application,
    project: RDProject,
    *,
    form: RDProjectForm | None = None,
    partner_form: ProjectPartnerForm | None = None,
) -> HttpResponse:
    can_write = access.can_write_application(request.user, application)
    is_open = application.is_budget_open(Phase.IMPLEMENTATION)
    search = request.GET.get("q", "").strip()
    choices = None
    if can_write and is_open:
        if partner_form is None:
            partner_form = _partner_form(
                request, application, initial={"organisation": request.GET.get("organisation")}
            )
        choices = partner_choices(request.user, application, search=search)
        partner_form.offer(choices)
    return render(
        request,
        "budgets/project.html",
        {
            "application": application,
            "project": project,
            "form": form or RDProjectForm(),
            "partner_form": partner_form,
            "search": search,
            "choices": choices,
            "partners": project.partners.select_related(
                "organisation__proposed_by_cluster"
            ).order_by("-is_lead", "organisation__name"),
            "can_write": can_write,
            "is_open": is_open,
        },
    )


def _partner_form(
    request: HttpRequest, application: Application, **kwargs: Any
) -> ProjectPartnerForm:
    """The partner picker: what the user may make a partner in this application."""
    usable = organisations_usable_in(request.user, application.cluster_id)
    return ProjectPartnerForm(organisations=usable, **kwargs)


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    project = project_of(application, project_pk)
    try:
        rd_project_delete(project=project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("budgets:project", pk=application.pk, project_pk=project.pk)
    messages.success(request, _("The R&D project was deleted."))
    return redirect("budgets:projects", pk=application.pk)


@login_required
@require_POST
def partner_add(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    project = project_of(application, project_pk)
    form = _partner_form(request, application, data=request.POST)
    if form.is_valid():
        try:
            project_partner_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            violations = error.violations if isinstance(error, BudgetRuleError) else ()
            add_service_error(form, error, violations, {Rule.PARTNER_ABROAD_FUNDED: "organisation"})
        else:
            messages.success(request, _("The partner was added."))
            return redirect("budgets:project", pk=application.pk, project_pk=project.pk)
    initial = RDProjectForm(
        initial={
            "title": project.title,
            "description": project.description,
            "start_month": project.start_month,
            "end_month": project.end_month,
        }
    )
    return _render_project(request, application, project, form=initial, partner_form=form)


@login_required
@require_POST
def partner_remove(request: HttpRequest, pk: int, project_pk: int, partner_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    project = project_of(application, project_pk)
    partner = get_object_or_404(ProjectPartner, pk=partner_pk, project=project)
    try:
        project_partner_remove(partner=partner, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The partner was removed."))
    return redirect("budgets:project", pk=application.pk, project_pk=project.pk)


@login_required
def organisation_propose_view(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    """Add an organisation the project needs and the picker does not list: a cluster
    management's is its proposal (usable in its own applications at once), an officer's is
    confirmed at once. Then back to the project, with it chosen in the picker."""
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    project = project_of(application, project_pk)
    form = OrganisationProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_propose(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if organisation.is_confirmed:
                text = _("%(organisation)s was added; choose it as a partner below.")
            else:
                text = _(
                    "%(organisation)s was proposed; choose it as a partner below. Other clusters "
                    "see it once a ministry officer has confirmed it."
                )
            messages.success(request, text % {"organisation": organisation.name})
            url = reverse("budgets:project", args=[application.pk, project.pk])
            return redirect(f"{url}?organisation={organisation.pk}#add-partner")
    return render(
        request,
        "budgets/organisation_propose.html",
        {"application": application, "project": project, "form": form},
    )


def _grantees(application: Application) -> list[Organisation]:
    """Who may receive money in this application: the cluster management organisation and the
    German partners of its R&D projects."""
    partners = Organisation.objects.filter(
        project_partnerships__project__application=application, country="DE"
    ).distinct()
    return [application.cluster.management_organisation, *partners.order_by("name")]


@login_required
def grantee_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """How each grantee is funded: basis, funding rate and Projektpauschale."""
    application = visible_application(request.user, pk)
    return _render_terms(request, application)


def _render_terms(
    request: HttpRequest,
    application: Application,
    bound: tuple[int, GranteeTermsForm] | None = None,
) -> HttpResponse:
    organisations = list(dict.fromkeys(_grantees(application)))
    terms = terms_of(application, organisations)
    defaults = default_rates(application, organisations)
    # Officers (and auditors, who read all they read) see each rate above the default, with its
    # reason, as a warning.
    officer_view = can_read_all(request.user)
    rows = []
    for organisation in organisations:
        current = terms[organisation.pk]
        form = (
            bound[1]
            if bound and bound[0] == organisation.pk
            else GranteeTermsForm(
                prefix=f"terms-{organisation.pk}",
                initial={
                    "basis": current.basis,
                    "funding_rate": current.funding_rate,
                    "has_projektpauschale": current.has_projektpauschale,
                    "rate_reason": current.rate_reason,
                },
            )
        )
        default = defaults[organisation.pk]
        warning = None
        if officer_view and default is not None and current.funding_rate > default:
            warning = _rate_warning(current, default)
        rows.append((organisation, current, form, warning))
    return render(
        request,
        "budgets/terms.html",
        {
            "application": application,
            "rows": rows,
            "can_write": access.can_write_application(request.user, application),
        },
    )


def _rate_warning(terms: GranteeTerms, default: Decimal) -> str:
    return _(RATE_ABOVE_DEFAULT) % {
        "rate": format_percent(terms.funding_rate),
        "default": format_percent(default),
        "reason": terms.rate_reason or _(NO_REASON),
    }


@login_required
@require_POST
def grantee_terms_set_view(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    application = visible_application(request.user, pk)
    require_write(request.user, application)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if organisation not in _grantees(application):
        raise Http404
    form = GranteeTermsForm(request.POST, prefix=f"terms-{organisation.pk}")
    if form.is_valid():
        try:
            grantee_terms_set(
                application=application,
                organisation=organisation,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            violations = error.violations if isinstance(error, BudgetRuleError) else ()
            add_service_error(form, error, violations, TERMS_FIELDS)
        else:
            messages.success(
                request, _("The terms of %(grantee)s were saved.") % {"grantee": organisation}
            )
            return redirect("budgets:terms", pk=application.pk)
    return _render_terms(request, application, bound=(organisation.pk, form))
