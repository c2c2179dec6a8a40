"""Load the InterSpiN demo data: the programme, its rounds, the 32 clusters, demo users and a
handful of applications. Running it again changes nothing: everything is looked up by its
natural key, and an application that exists for its round and cluster is left alone.

Applications are built only through the real services, with the clock set to each step's date,
so every guard and cap holds for the demo exactly as for real users. The current round (4) and
its drafts are dated from the day of the first load; see :func:`current_round_load` for what a
later load does.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from applications.guards import outline_is_complete
from applications.models import Application
from applications.services import application_create, application_transition, partner_region_add
from budgets.models import BudgetPosition, Phase, RDProject
from budgets.services import LineInput, budget_lines_write, project_partner_add, rd_project_create
from change_requests.proposal import CHANGEABLE_STATES
from competition.models import ConflictOfInterest, Review, ReviewCriterion
from competition.services import (
    ScoreInput,
    conflict_declare,
    criterion_create,
    review_save_draft,
    review_submit,
    reviewer_assign,
)
from disbursements.guards import RUNNING_APPLICATION_STATES
from kernel import clock
from programmes.access import Role
from programmes.models import (
    Cluster,
    ClusterMembership,
    FundingRateDefault,
    LegalForm,
    Organisation,
    Programme,
    Round,
)

from .catalogue import (
    CRITERIA,
    CURRENT_ROUND_NUMBER,
    ORGANISATIONS,
    PROGRAMME,
    RATE_DEFAULTS,
    ROUNDS,
    USERS,
    DemoUser,
    RoundSpec,
    current_round,
)
from .change_requests import change_requests_load
from .drawdowns import drawdowns_load
from .monitoring import monitoring_load
from .statements import statements_load
from .steps import (
    ConceptBudget,
    ConflictDeclared,
    Create,
    Draft,
    Fire,
    GranteeCosts,
    Project,
    ProjectRevision,
    Region,
    Reviewed,
    Step,
    Story,
)
from .stories import CURRENT_DRAFTS, STORIES

M = TypeVar("M", bound=models.Model)
Log = Callable[[str], None]

# The transitions a cluster management fires; the officer fires all others.
CLUSTER_MANAGEMENT_TRANSITIONS = frozenset({"submit", "withdraw", "propose_implementation"})


def _silent(_line: str) -> None:
    pass


def upsert(model: type[M], keys: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[M, bool]:
    """``update_or_create`` on a natural key, validating the row as a form would. A row that
    already has these values is not saved again (organisations would get an empty history
    row with every load)."""
    instance = model._default_manager.filter(**keys).first()
    created = instance is None
    if instance is None:
        instance = model(**keys)
    stored = {} if created else {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    if created or any(getattr(instance, name) != value for name, value in stored.items()):
        instance.save()
    return instance, created


def programme_load() -> Programme:
    """The InterSpiN programme with its caps and the federal funding-rate defaults."""
    programme, _created = upsert(
        Programme,
        {"short_name": PROGRAMME["short_name"]},
        {key: value for key, value in PROGRAMME.items() if key != "short_name"},
    )
    for default in RATE_DEFAULTS:
        upsert(
            FundingRateDefault,
            {
                "programme": programme,
                "legal_form": default.legal_form,
                "size_class": default.size_class,
            },
            {
                "basis": default.basis,
                "funding_rate": default.funding_rate,
                "has_projektpauschale": default.has_projektpauschale,
            },
        )
    return programme


def _round_values(spec: RoundSpec) -> dict[str, Any]:
    return {
        "call_published_on": spec.call_published_on,
        "outline_deadline_at": spec.outline_deadline_at,
        "funding_starts_on": spec.funding_starts_on,
        "selection_quota": spec.selection_quota,
        "envelope_amount": spec.envelope_amount,
    }


def rounds_load(programme: Programme) -> dict[int, Round]:
    """The historic rounds 1 to 3, exactly as the catalogue has them."""
    return {
        spec.number: upsert(
            Round, {"programme": programme, "number": spec.number}, _round_values(spec)
        )[0]
        for spec in ROUNDS
    }


def current_round_load(programme: Programme) -> Round:
    """Round 4, open for outlines. The first load creates it with its call published that day
    and outlines due eight weeks later at noon (Europe/Berlin). A later load never creates a
    second one and leaves it alone while its deadline lies ahead; once the deadline has
    passed, it moves the deadline (only) to eight weeks from that day again, so the demo stays
    open whenever it is loaded (``dev.py serve`` loads it on every start). The funding start
    moves with it only if it would otherwise come too soon after the new deadline."""
    now = clock.now()
    spec = current_round(now)
    round_ = Round.objects.filter(programme=programme, number=spec.number).first()
    if round_ is None:
        round_, _created = upsert(
            Round, {"programme": programme, "number": spec.number}, _round_values(spec)
        )
        return round_
    if now > round_.outline_deadline_at:
        round_.outline_deadline_at = spec.outline_deadline_at
        round_.funding_starts_on = max(round_.funding_starts_on, spec.funding_starts_on)
        round_.full_clean()
        round_.save(update_fields=["outline_deadline_at", "funding_starts_on"])
    return round_


def criteria_load(rounds: Mapping[int, Round], officer: Any) -> int:
    """The review criteria of each round that has none yet, through the service; returns how
    many were created. A round's criteria are the officers' data once set (and frozen once
    reviewed), so an existing set is left as it is."""
    created = 0
    for round_ in rounds.values():
        if ReviewCriterion.objects.filter(round=round_).exists():
            continue
        for order, spec in enumerate(CRITERIA):
            criterion_create(
                round=round_,
                name=spec.name,
                description=spec.description,
                weight=spec.weight,
                scale_min=spec.scale_min,
                scale_max=spec.scale_max,
                order=order,
                by=officer,
            )
            created += 1
    return created


def cluster_rows() -> list[dict[str, str]]:
    """The 32 clusters of Table 1 of the Kiel brief: sector, cluster, location."""
    text = (
        resources.files("applications")
        .joinpath("data", "interspin_clusters.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(io.StringIO(text)))


def clusters_load() -> tuple[dict[str, Cluster], int]:
    """Every cluster with its management organisation; returns them by name and how many are
    new."""
    clusters = {}
    created_count = 0
    for row in cluster_rows():
        name = row["cluster"].strip()
        location = row["location"].strip()
        management, _created = upsert(
            Organisation,
            {"name": f"{name} Clustermanagement", "country": "DE"},
            {"legal_form": LegalForm.CLUSTER_MANAGEMENT, "size_class": "", "city": location},
        )
        clusters[name], created = upsert(
            Cluster,
            {"name": name},
            {
                "sector": row["sector"].strip(),
                "location": location,
                "management_organisation": management,
            },
        )
        created_count += created
    return clusters, created_count


def organisations_load() -> dict[str, Organisation]:
    """The German grantees and partners abroad of the demo R&D projects, by catalogue key."""
    return {
        key: upsert(
            Organisation,
            {"name": spec.name, "country": spec.country},
            {"legal_form": spec.legal_form, "size_class": spec.size_class, "city": spec.city},
        )[0]
        for key, spec in ORGANISATIONS.items()
    }


def user_load(spec: DemoUser, clusters: Mapping[str, Cluster]) -> Any:
    """A demo login with its documented password, its one role and (for a cluster management)
    its cluster."""
    user, _created = get_user_model()._default_manager.get_or_create(username=spec.username)
    user.first_name = spec.first_name
    user.last_name = spec.last_name
    user.is_active = True
    user.is_staff = spec.is_staff
    user.is_superuser = False
    user.set_password(spec.password)
    user.save()
    user.groups.set([Group.objects.get(name=spec.role)])
    if spec.cluster:
        ClusterMembership.objects.update_or_create(
            user=user, defaults={"cluster": clusters[spec.cluster]}
        )
    else:
        ClusterMembership.objects.filter(user=user).delete()
    return user


@dataclass
class Cast:
    """Who acts in the stories, and what they act on."""

    officer: Any
    managers: Mapping[str, Any]
    rounds: Mapping[int, Round]
    clusters: Mapping[str, Cluster]
    organisations: Mapping[str, Organisation]
    bases: Mapping[tuple[str, str], str]
    positions: Mapping[tuple[str, str], BudgetPosition]

    def position(self, organisation: Organisation, code: str) -> BudgetPosition:
        """The position ``code`` of the basis the organisation's legal form accounts on."""
        basis = self.bases[(organisation.legal_form, organisation.size_class)]
        return self.positions[(basis, code)]


def _years(start: date, end: date) -> range:
    return range(start.year, end.year + 1)


def _project_lines(
    cast: Cast, project: RDProject, budgets: Iterable[GranteeCosts]
) -> list[LineInput]:
    return [
        LineInput(
            phase=Phase.IMPLEMENTATION,
            rd_project=project,
            grantee=(grantee := cast.organisations[block.grantee]),
            year=year,
            position=cast.position(grantee, cost.code),
            eligible_amount=cost.annual_amount,
            justification=cost.justification,
        )
        for block in budgets
        for cost in block.costs
        for year in _years(project.start_month, project.end_month)
    ]


def _start(
    round_: Round,
    cluster: Cluster,
    manager: Any,
    *,
    title: str,
    strategy_summary: str,
    regions: Iterable[Region],
) -> Application:
    """The cluster management starts its draft and names its target partner regions."""
    application = application_create(
        round=round_, cluster=cluster, by=manager, title=title, strategy_summary=strategy_summary
    )
    for region in regions:
        partner_region_add(
            application=application,
            country=region.country,
            region=region.region,
            partner_name=region.partner_name,
            is_known_partner=region.is_known_partner,
            by=manager,
        )
    return application


def _perform(step: Step, story: Story, application: Application | None, cast: Cast) -> Application:
    manager = cast.managers[story.manager]
    if isinstance(step, Create):
        return _start(
            cast.rounds[story.round_number],
            cast.clusters[story.cluster],
            manager,
            title=story.title,
            strategy_summary=story.strategy_summary,
            regions=story.regions,
        )
    if application is None:
        raise ValueError(f"{story.cluster}: every story starts with Create().")
    if isinstance(step, Fire):
        by = manager if step.transition in CLUSTER_MANAGEMENT_TRANSITIONS else cast.officer
        return application_transition(
            application=application, name=step.transition, by=by, comment=step.comment
        )
    if isinstance(step, ConceptBudget):
        grantee = application.cluster.management_organisation
        writes = [
            LineInput(
                phase=Phase.CONCEPT,
                grantee=grantee,
                year=year,
                position=cast.position(grantee, cost.code),
                eligible_amount=cost.annual_amount,
                justification=cost.justification,
            )
            for cost in step.costs
            for year in _years(application.concept_start_on, application.concept_end_on)
        ]
        budget_lines_write(application=application, writes=writes, by=manager)
    elif isinstance(step, Project):
        project = rd_project_create(
            application=application,
            title=step.title,
            description=step.description,
            start_month=step.start_month,
            end_month=step.end_month,
            by=manager,
        )
        project_partner_add(
            project=project, organisation=cast.organisations[step.lead], is_lead=True, by=manager
        )
        for key in step.partners:
            project_partner_add(project=project, organisation=cast.organisations[key], by=manager)
        budget_lines_write(
            application=application, writes=_project_lines(cast, project, step.budgets), by=manager
        )
    elif isinstance(step, ProjectRevision):
        project = RDProject.objects.get(application=application, title=step.title)
        budget_lines_write(
            application=application, writes=_project_lines(cast, project, step.budgets), by=manager
        )
    elif isinstance(step, Reviewed):
        _review(step, application, cast)
    elif isinstance(step, ConflictDeclared):
        reviewer = cast.managers[step.reviewer]
        conflict_declare(
            reviewer=reviewer, cluster=application.cluster, reason=step.reason, by=reviewer
        )
    return application


def _review(step: Reviewed, application: Application, cast: Cast) -> None:
    """Assign the jury member, let them score and recommend, and submit unless a draft."""
    reviewer = cast.managers[step.reviewer]
    assignment = reviewer_assign(application=application, reviewer=reviewer, by=cast.officer)
    criteria = ReviewCriterion.objects.filter(round_id=application.round_id).order_by("order", "pk")
    draft = review_save_draft(
        assignment=assignment,
        scores=[
            ScoreInput(criterion, score)
            for criterion, score in zip(criteria, step.scores, strict=True)
        ],
        recommendation=step.recommendation,
        comment=step.comment,
        by=reviewer,
    )
    if not step.draft:
        review_submit(review=draft, by=reviewer)


def story_replay(story: Story, cast: Cast) -> Application | None:
    """Replay a story at its dates; None if the cluster already applied in that round."""
    if Application.objects.filter(
        round=cast.rounds[story.round_number], cluster=cast.clusters[story.cluster]
    ).exists():
        return None
    application: Application | None = None
    for moment, step in story.steps:
        with clock.frozen_at(moment):
            application = _perform(step, story, application, cast)
    return application


def draft_load(draft: Draft, cast: Cast) -> Application | None:
    """Start a draft of the current round now; None if the cluster already applied in it."""
    round_ = cast.rounds[CURRENT_ROUND_NUMBER]
    cluster = cast.clusters[draft.cluster]
    if Application.objects.filter(round=round_, cluster=cluster).exists():
        return None
    return _start(
        round_,
        cluster,
        cast.managers[draft.manager],
        title=draft.title,
        strategy_summary=draft.strategy_summary,
        regions=draft.regions,
    )


@dataclass(frozen=True)
class DemoReport:
    """What the demo database holds after loading, and the logins to try it with."""

    programme: Programme
    rounds: list[Round]
    cluster_count: int
    clusters_created: int
    applications_created: int
    applications_skipped: int
    state_counts: dict[str, int]
    reviews_submitted: int
    review_drafts: int
    conflicts_declared: int
    logins: list[DemoUser]

    def summary_lines(self) -> list[str]:
        states = ", ".join(f"{state} {count}" for state, count in sorted(self.state_counts.items()))
        lines = [
            f"Programme: {self.programme.short_name} ({self.programme.name})",
            "Rounds: "
            + "; ".join(
                f"R{r.number} quota {r.selection_quota}, outlines due "
                f"{timezone.localtime(r.outline_deadline_at):%Y-%m-%d %H:%M} {settings.TIME_ZONE}"
                + (" (open now)" if r.number == CURRENT_ROUND_NUMBER else "")
                for r in self.rounds
            ),
            f"Clusters: {self.cluster_count} ({self.clusters_created} new)",
            f"Applications: {sum(self.state_counts.values())} "
            f"({self.applications_created} new, {self.applications_skipped} already there): "
            f"{states}",
            f"Reviews: {self.reviews_submitted} submitted, {self.review_drafts} draft; "
            f"{self.conflicts_declared} conflict(s) of interest declared",
            "Demo logins (user / password):",
        ]
        for user in self.logins:
            where = f", {user.cluster}" if user.cluster else ""
            where += ", uses /admin/" if user.is_staff else ""
            lines.append(f"  {user.username} / {user.password}  ({user.role}{where})")
        return lines


@transaction.atomic
def demo_load(*, log: Log = _silent) -> DemoReport:
    """Load (or refresh) the InterSpiN demo data, all or nothing."""
    programme = programme_load()
    rounds = rounds_load(programme)
    rounds[CURRENT_ROUND_NUMBER] = current_round_load(programme)
    log(f"Programme {programme.short_name} with {len(rounds)} rounds.")
    clusters, clusters_created = clusters_load()
    log(f"{len(clusters)} clusters with their management organisations.")
    users = {spec.username: user_load(spec, clusters) for spec in USERS}
    log(f"{len(users)} demo users.")
    officer = users[next(spec.username for spec in USERS if spec.role == Role.OFFICER)]
    log(f"{criteria_load(rounds, officer)} new review criteria.")
    cast = Cast(
        officer=officer,
        managers=users,
        rounds=rounds,
        clusters=clusters,
        organisations=organisations_load(),
        bases={
            (default.legal_form, default.size_class): default.basis
            for default in programme.funding_rate_defaults.all()
        },
        positions={(p.basis, p.code): p for p in BudgetPosition.objects.all()},
    )
    created = skipped = 0
    for story in STORIES:
        application = story_replay(story, cast)
        label = f"R{story.round_number} {story.cluster}"
        if application is None:
            skipped += 1
            log(f"  {label}: already there, left as it is.")
        else:
            created += 1
            steps = len(story.transitions)
            log(f"  {label}: {application.state} after {steps} transition{'s' * (steps != 1)}.")
    for draft in CURRENT_DRAFTS:
        application = draft_load(draft, cast)
        label = f"R{CURRENT_ROUND_NUMBER} {draft.cluster}"
        if application is None:
            skipped += 1
            log(f"  {label}: already there, left as it is.")
        else:
            created += 1
            missing = [refusal.code for refusal in outline_is_complete.refusals(application)]
            readiness = f"not ready ({', '.join(missing)})" if missing else "ready to submit"
            log(f"  {label}: draft, {readiness}.")
    applications = Application.objects.filter(round__programme=programme)
    drawdowns = drawdowns_load(
        list(
            applications.filter(state__in=RUNNING_APPLICATION_STATES)
            .with_programme()
            .order_by("pk")
        ),
        managers={
            clusters[spec.cluster].pk: users[spec.username] for spec in USERS if spec.cluster
        },
        officer=officer,
        payers=(users["payments"], users["payments-2"]),
    )
    log(f"{drawdowns} new drawdown requests of the running phases.")
    change_requests = change_requests_load(
        list(applications.filter(state__in=CHANGEABLE_STATES).with_programme().order_by("pk")),
        managers={
            clusters[spec.cluster].pk: users[spec.username] for spec in USERS if spec.cluster
        },
        officer=officer,
    )
    log(f"{change_requests} new change requests of the approved plans.")
    # The clusters as a whole (issue 17): members, activities, the member survey.
    monitored = monitoring_load(
        programme,
        clusters,
        {spec.cluster: users[spec.username] for spec in USERS if spec.cluster},
        log,
    )
    log(f"{monitored} clusters with new members, activities and survey answers.")
    statements = statements_load(
        list(applications.with_programme().select_related("cluster").order_by("pk")),
        managers={
            clusters[spec.cluster].pk: users[spec.username] for spec in USERS if spec.cluster
        },
        officers=(officer, users["officer-2"]),
    )
    log(f"{statements} new statements.")
    reviews = Review.objects.filter(assignment__application__round__programme=programme)
    return DemoReport(
        programme=programme,
        rounds=[rounds[number] for number in sorted(rounds)],
        cluster_count=len(clusters),
        clusters_created=clusters_created,
        applications_created=created,
        applications_skipped=skipped,
        state_counts=dict(Counter(applications.values_list("state", flat=True))),
        reviews_submitted=reviews.submitted().count(),
        review_drafts=reviews.filter(submitted_at__isnull=True).count(),
        conflicts_declared=ConflictOfInterest.objects.count(),
        logins=list(USERS),
    )
