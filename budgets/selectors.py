"""Reads of budgets. The summary is fetched in a fixed number of queries, however many lines."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from programmes.access import organisations_usable_in
from programmes.models import Cluster, FundingRateDefault, Organisation

from .models import BudgetLine, BudgetPosition, GranteeTerms, Phase, ProjectPartner, RDProject
from .plan import Plan, line_order, summarise
from .protocols import BudgetedApplication
from .summary import BudgetSummary, Caps, Periods, plan_gaps
from .violations import Violation


def _projects(ids: Sequence[int]) -> list[RDProject]:
    """The applications' R&D projects, each with its partners (the lead first, then by name)."""
    partners = ProjectPartner.objects.select_related("organisation").order_by(
        "-is_lead", "organisation__name"
    )
    return list(
        RDProject.objects.filter(application_id__in=ids).prefetch_related(
            Prefetch("partners", queryset=partners)
        )
    )


def _lines(ids: Sequence[int], projects: Mapping[int, RDProject]) -> list[BudgetLine]:
    """The applications' lines with grantee, position and project, in the order of
    ``BudgetLine.Meta.ordering`` (``budgets.plan.line_order``)."""
    lines = list(BudgetLine.objects.filter(application_id__in=ids).order_by())
    # A few positions and grantees serve thousands of lines: load each once, not once per line.
    positions = BudgetPosition.objects.in_bulk({line.position_id for line in lines})
    grantees = Organisation.objects.in_bulk({line.grantee_id for line in lines})
    for line in lines:
        line.position = positions[line.position_id]
        line.grantee = grantees[line.grantee_id]
        if line.rd_project_id is not None:
            line.rd_project = projects[line.rd_project_id]
    return sorted(lines, key=lambda line: line_order(line, projects))


def budget_plans(applications: Sequence[BudgetedApplication]) -> dict[int, Plan]:
    """The budget plans of many applications in seven queries, however many lines. Pass
    applications with ``round__programme`` and ``cluster__management_organisation`` loaded."""
    ids = [application.pk for application in applications]
    projects = _projects(ids)
    projects_by_application: dict[int, list[RDProject]] = defaultdict(list)
    for project in projects:
        projects_by_application[project.application_id].append(project)
    lines_by_application: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in _lines(ids, {project.pk: project for project in projects}):
        lines_by_application[line.application_id].append(line)
    terms_by_application: dict[int, dict[int, GranteeTerms]] = defaultdict(dict)
    for terms in (
        GranteeTerms.objects.filter(application_id__in=ids)
        .select_related("organisation")
        .order_by("pk")
    ):
        terms_by_application[terms.application_id][terms.organisation_id] = terms
    defaults: dict[int, dict[tuple[str, str], FundingRateDefault]] = defaultdict(dict)
    programme_ids = {application.round.programme_id for application in applications}
    for default in FundingRateDefault.objects.filter(programme_id__in=programme_ids):
        defaults[default.programme_id][(default.legal_form, default.size_class)] = default
    return {
        application.pk: Plan(
            application_id=application.pk,
            periods=Periods.of(application),
            management_organisation=application.cluster.management_organisation,
            caps=Caps.of(application.round.programme),
            lines=lines_by_application[application.pk],
            terms=terms_by_application[application.pk],
            projects=projects_by_application[application.pk],
            partners={
                project.pk: list(project.partners.all())
                for project in projects_by_application[application.pk]
            },
            rate_defaults=defaults[application.round.programme_id],
        )
        for application in applications
    }


def budget_plan(application: BudgetedApplication) -> Plan:
    """Everything the budget rules read of one application (``budgets.plan.check_plan``)."""
    return budget_plans([application])[application.pk]


def budget_summaries(applications: Sequence[BudgetedApplication]) -> dict[int, BudgetSummary]:
    """Summaries of many applications in seven queries. Pass applications with
    ``round__programme`` and ``cluster__management_organisation`` already loaded."""
    return {pk: summarise(plan) for pk, plan in budget_plans(applications).items()}


def budget_summary(application: BudgetedApplication) -> BudgetSummary:
    """Every figure of one application's budget, with the rules it breaks."""
    return summarise(budget_plan(application))


def phase_plan_problems(application: BudgetedApplication, phase: str) -> list[Violation]:
    """Why a phase's plan cannot go ahead: broken rules first, then what it still lacks."""
    summary = budget_summary(application)
    return [*summary.violations, *plan_gaps(summary, phase)]


def budget_problems(application: BudgetedApplication) -> list[Violation]:
    """Every rule the whole budget breaks (both phases, all caps)."""
    summary = budget_summary(application)
    return [
        *summary.violations,
        *plan_gaps(summary, Phase.CONCEPT),
        *plan_gaps(summary, Phase.IMPLEMENTATION),
    ]


PICKER_LIMIT = 50  # organisations listed beyond the cluster's own; a search narrows them down


@dataclass(frozen=True)
class PartnerChoices:
    """The organisations a partner picker offers: the cluster's own first (its management
    organisation, partners in any of its applications, its proposals), then the others, at most
    ``PICKER_LIMIT`` of them."""

    own: Sequence[Organisation]
    others: Sequence[Organisation]
    has_more: bool


def partner_choices(user: Any, application: Any, *, search: str = "") -> PartnerChoices:
    """What ``user`` may make a partner in ``application`` (confirmed organisations, and the
    cluster's own proposals), matching ``search`` in name or city; two queries, however many
    organisations there are."""
    cluster_id = application.cluster_id
    usable = organisations_usable_in(user, cluster_id).select_related("proposed_by_cluster")
    if search := search.strip():
        usable = usable.filter(Q(name__icontains=search) | Q(city__icontains=search))
    partners = ProjectPartner.objects.filter(project__application__cluster_id=cluster_id)
    own_rows = (
        Q(pk__in=partners.values("organisation_id"))
        | Q(proposed_by_cluster_id=cluster_id)
        | Q(pk__in=Cluster.objects.filter(pk=cluster_id).values("management_organisation_id"))
    )
    own = list(usable.filter(own_rows).order_by("name", "country"))
    others = list(usable.exclude(own_rows).order_by("name", "country")[: PICKER_LIMIT + 1])
    return PartnerChoices(
        own=own, others=others[:PICKER_LIMIT], has_more=len(others) > PICKER_LIMIT
    )
