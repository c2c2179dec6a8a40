"""Reads of budgets. The summary is fetched in a fixed number of queries, however many lines."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch

from programmes.models import Organisation

from .models import BudgetLine, BudgetPosition, GranteeTerms, Phase, ProjectPartner, RDProject
from .summary import BudgetSummary, Caps, build_summary, plan_gaps
from .violations import Violation


def budget_summaries(applications: Sequence[Any]) -> dict[int, BudgetSummary]:
    """Summaries of many applications in six queries. Pass applications with
    ``round__programme`` and ``cluster__management_organisation`` already loaded."""
    ids = [application.pk for application in applications]
    lines_by_application: dict[int, list[BudgetLine]] = defaultdict(list)
    lines = list(BudgetLine.objects.filter(application_id__in=ids))
    # A few positions and grantees serve thousands of lines: load each once, not once per line.
    positions = BudgetPosition.objects.in_bulk({line.position_id for line in lines})
    grantees = Organisation.objects.in_bulk({line.grantee_id for line in lines})
    for line in lines:
        line.position = positions[line.position_id]
        line.grantee = grantees[line.grantee_id]
        lines_by_application[line.application_id].append(line)
    terms_by_application: dict[int, dict[int, GranteeTerms]] = defaultdict(dict)
    for terms in GranteeTerms.objects.filter(application_id__in=ids).select_related("organisation"):
        terms_by_application[terms.application_id][terms.organisation_id] = terms
    projects_by_application: dict[int, list[RDProject]] = defaultdict(list)
    partners = ProjectPartner.objects.select_related("organisation").order_by(
        "-is_lead", "organisation__name"
    )
    for project in RDProject.objects.filter(application_id__in=ids).prefetch_related(
        Prefetch("partners", queryset=partners)
    ):
        projects_by_application[project.application_id].append(project)
    return {
        application.pk: build_summary(
            application=application,
            caps=Caps.of(application.round.programme),
            lines=lines_by_application[application.pk],
            terms=terms_by_application[application.pk],
            projects=projects_by_application[application.pk],
        )
        for application in applications
    }


def budget_summary(application: Any) -> BudgetSummary:
    """Every figure of one application's budget, with the rules it breaks."""
    return budget_summaries([application])[application.pk]


def phase_plan_problems(application: Any, phase: str) -> list[Violation]:
    """Why a phase's plan cannot go ahead: broken rules first, then what it still lacks."""
    summary = budget_summary(application)
    return [*summary.violations, *plan_gaps(summary, phase)]


def budget_problems(application: Any) -> list[Violation]:
    """Every rule the whole budget breaks (both phases, all caps)."""
    summary = budget_summary(application)
    return [
        *summary.violations,
        *plan_gaps(summary, Phase.CONCEPT),
        *plan_gaps(summary, Phase.IMPLEMENTATION),
    ]


def budget_summary_preview(
    application: Any, *, writes: Sequence[Any] = (), deletes: Sequence[BudgetLine] = ()
) -> BudgetSummary:
    """The summary the budget would have with ``writes`` made and ``deletes`` deleted; writes
    nothing. ``writes`` are ``budgets.services.LineInput``: a write replaces the line with the
    same key (phase, R&D project, grantee, year, position). Grantees need their terms in place.

    The budget grid shows this while the user types, so its figures (and the rules it breaks)
    come from the one summary even when a cap is exceeded and the write would be refused.
    """
    deleted = {line.pk for line in deletes}
    lines: dict[tuple[Any, ...], BudgetLine] = {}
    for line in BudgetLine.objects.filter(application_id=application.pk).select_related(
        "grantee", "position"
    ):
        if line.pk not in deleted:
            key = (line.phase, line.rd_project_id, line.grantee_id, line.year, line.position_id)
            lines[key] = line
    for item in writes:
        project_id = item.rd_project.pk if item.rd_project is not None else None
        key = (item.phase, project_id, item.grantee.pk, item.year, item.position.pk)
        lines[key] = BudgetLine(
            application_id=application.pk,
            phase=item.phase,
            rd_project=item.rd_project,
            grantee=item.grantee,
            year=item.year,
            position=item.position,
            eligible_amount=item.eligible_amount,
            justification=item.justification,
        )
    terms = {
        terms.organisation_id: terms
        for terms in GranteeTerms.objects.filter(application_id=application.pk).select_related(
            "organisation"
        )
    }
    partners = ProjectPartner.objects.select_related("organisation").order_by(
        "-is_lead", "organisation__name"
    )
    projects = list(
        RDProject.objects.filter(application_id=application.pk).prefetch_related(
            Prefetch("partners", queryset=partners)
        )
    )
    return build_summary(
        application=application,
        caps=Caps.of(application.round.programme),
        lines=list(lines.values()),
        terms=terms,
        projects=projects,
    )
