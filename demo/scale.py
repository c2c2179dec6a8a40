"""A database of any size for benchmarks and the two-size query-count tests: ``seed_scale``.

Adds ``applications`` applications spread over ``rounds`` new rounds of the programme (the
InterSpiN demo's when loaded, else one made here): a cluster per application and round, in the
states a real round reaches (drafts to completed), each with a concept budget of its management
organisation and, from the concept phase on, R&D projects with German partners and their
implementation budgets; ``lines`` budget lines per application on average. Everything is written
with ``bulk_create``, then the stored budget figures are computed by the budget summary
(``budgets.figures``), as every budget write does.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import cycle
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from applications.models import Application, ApplicationTransition
from applications.states import State
from budgets.figures import figures_rebuild
from budgets.models import (
    BudgetLine,
    BudgetPosition,
    GranteeTerms,
    Phase,
    ProjectPartner,
    RDProject,
)
from programmes.models import Cluster, LegalForm, Organisation, Programme, Round
from programmes.names import name_key

from .catalogue import PROGRAMME

# How a real round's applications are spread over the states (of every 20).
STATES = (
    [State.DRAFT] * 2
    + [State.SUBMITTED] * 2
    + [State.IN_REVIEW] * 3
    + [State.REJECTED] * 4
    + [State.WITHDRAWN]
    + [State.SELECTED]
    + [State.CONCEPT_PHASE] * 2
    + [State.IMPLEMENTATION_PROPOSED]
    + [State.IMPLEMENTATION_PHASE] * 2
    + [State.CLOSED]
    + [State.COMPLETED]
)
HAS_IMPLEMENTATION = {
    State.CONCEPT_PHASE,
    State.IMPLEMENTATION_PROPOSED,
    State.IMPLEMENTATION_PHASE,
    State.CLOSED,
    State.COMPLETED,
}
SECTORS = ("Mikroelektronik", "Life Sciences", "Mobilität", "Energie", "Produktion", "Digitales")
AZA_CODES = ("0812", "0817", "0822", "0831", "0834", "0835", "0843", "0846", "0850")
PROJECTS = 3
PARTNERS_PER_PROJECT = 3
BATCH = 10_000


@dataclass(frozen=True)
class Seeded:
    rounds: Sequence[Round]
    applications: int
    lines: int


def _operator() -> Any:
    """Who the seeded transitions name: a user without a role, who cannot log in."""
    user, created = get_user_model()._default_manager.get_or_create(username="seed-scale")
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _programme() -> Programme:
    existing = Programme.objects.filter(short_name=PROGRAMME["short_name"]).first()
    return existing or Programme.objects.create(**PROGRAMME)


def _rounds(programme: Programme, count: int) -> list[Round]:
    first = (programme.rounds.aggregate(last=Max("number"))["last"] or 0) + 1
    return Round.objects.bulk_create(
        Round(
            programme=programme,
            number=number,
            call_published_on=date(2030 + n, 1, 15),
            outline_deadline_at=datetime(2030 + n, 3, 1, 12, tzinfo=UTC),
            funding_starts_on=date(2031 + n, 1, 1),
            selection_quota=11,
            envelope_amount=Decimal("50000000.00"),
        )
        for n, number in enumerate(range(first, first + count))
    )


def _organisations(names: Sequence[str], legal_form: str, city: str) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        (
            Organisation(
                name=name, name_key=name_key(name), legal_form=legal_form, country="DE", city=city
            )
            for name in names
        ),
        batch_size=BATCH,
    )


def _batched(rows: Iterator[Any], save: Callable[[list[Any]], Any]) -> int:
    batch: list[Any] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            save(batch)
            count += len(batch)
            batch = []
    save(batch)
    return count + len(batch)


def seed_scale(
    *, applications: int, rounds: int = 1, lines: int = 100, into: Sequence[Round] = ()
) -> Seeded:
    """Add ``applications`` applications in ``rounds`` new rounds (or in the rounds ``into``)
    with about ``lines`` budget lines each."""
    tag = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")  # names stay unique seed after seed
    programme = _programme()
    with transaction.atomic():
        new_rounds = list(into) or _rounds(programme, rounds)
        rounds = len(new_rounds)
        per_round = -(-applications // rounds)
        managements = _organisations(
            [f"Clustermanagement {tag}-{n:05d} e.V." for n in range(per_round)],
            LegalForm.CLUSTER_MANAGEMENT,
            "Berlin",
        )
        clusters = Cluster.objects.bulk_create(
            Cluster(
                name=f"Cluster {tag}-{n:05d}",
                sector=SECTORS[n % len(SECTORS)],
                location="Berlin",
                management_organisation=management,
            )
            for n, management in enumerate(managements)
        )
        partners = _organisations(
            [f"Universität {tag}-{n:03d}" for n in range(PROJECTS * PARTNERS_PER_PROJECT)],
            LegalForm.UNIVERSITY,
            "Dresden",
        )
        states = cycle(STATES)
        made = []
        for number, round_ in enumerate(new_rounds):
            starts = round_.funding_starts_on
            made += [
                Application(
                    round=round_,
                    cluster=cluster,
                    title=f"{cluster.name} geht ins Ausland",
                    state=next(states),
                    concept_start_on=starts,
                    concept_end_on=starts.replace(year=starts.year + 2) - timedelta(days=1),
                    implementation_start_on=starts.replace(year=starts.year + 1),
                    implementation_end_on=starts.replace(year=starts.year + 4) - timedelta(days=1),
                    submitted_at=round_.outline_deadline_at - timedelta(days=1),
                )
                for cluster in clusters[: applications - number * per_round]
            ]
        created = Application.objects.bulk_create(made, batch_size=BATCH)
        operator = _operator()
        ApplicationTransition.objects.bulk_create(
            (
                ApplicationTransition(
                    application=application,
                    by=operator,
                    transition="seed_scale",
                    source_state=State.DRAFT,
                    target_state=application.state,
                    at=application.round.outline_deadline_at,
                    comment="seed_scale",
                )
                for application in created
                if application.state != State.DRAFT
            ),
            batch_size=BATCH,
        )
        line_count = _budgets(created, partners, lines)
    figures_rebuild(application.pk for application in created)
    return Seeded(new_rounds, len(created), line_count)


def _partners_of(partners: Sequence[Organisation], project_index: int) -> Sequence[Organisation]:
    """The German partners of an application's ``project_index``-th R&D project."""
    start = project_index * PARTNERS_PER_PROJECT
    return partners[start : start + PARTNERS_PER_PROJECT]


def _budgets(created: Sequence[Application], partners: Sequence[Organisation], lines: int) -> int:
    positions = {p.code: p for p in BudgetPosition.objects.filter(basis="AZA")}
    codes = [code for code in AZA_CODES if code in positions]
    terms = []
    for application in created:
        terms.append(
            GranteeTerms(
                application=application,
                organisation=application.cluster.management_organisation,
                basis="AZA",
                funding_rate=Decimal("100.00"),
            )
        )
    implementing = [a for a in created if a.state in HAS_IMPLEMENTATION]
    projects = RDProject.objects.bulk_create(
        (
            RDProject(
                application=application,
                title=f"Projekt {p + 1}",
                start_month=application.implementation_start_on,
                end_month=application.implementation_end_on.replace(day=1),
            )
            for application in implementing
            for p in range(PROJECTS)
        ),
        batch_size=BATCH,
    )
    by_application: dict[int, list[RDProject]] = {}
    partner_rows = []
    for project in projects:
        by_application.setdefault(project.application_id, []).append(project)
        index = len(by_application[project.application_id]) - 1
        partner_rows += [
            ProjectPartner(project=project, organisation=organisation, is_lead=n == 0)
            for n, organisation in enumerate(_partners_of(partners, index))
        ]
    for application in implementing:
        terms += [
            GranteeTerms(
                application=application,
                organisation=organisation,
                basis="AZA",
                funding_rate=Decimal("100.00"),
                has_projektpauschale=True,
            )
            for organisation in partners
        ]
    GranteeTerms.objects.bulk_create(terms, batch_size=BATCH)
    ProjectPartner.objects.bulk_create(partner_rows, batch_size=BATCH)

    concept_lines = 2 * len(codes[: max(1, lines // 5)])
    # The applications with R&D projects carry the rest, so that the average is ``lines``.
    implementation_lines = round(
        max(0, lines - concept_lines) * len(created) / max(1, len(implementing))
    )

    def rows() -> Iterator[BudgetLine]:
        for application in created:
            start = application.concept_start_on.year
            concept = [
                (year, code) for year in (start, start + 1) for code in codes[: max(1, lines // 5)]
            ]
            for n, (year, code) in enumerate(concept):
                yield BudgetLine(
                    application=application,
                    phase=Phase.CONCEPT,
                    grantee=application.cluster.management_organisation,
                    year=year,
                    position=positions[code],
                    eligible_amount=Decimal("12000.00") + n,
                    justification="seed_scale",
                )
            projects_of = by_application.get(application.pk, [])
            wanted = implementation_lines if projects_of else 0
            years = range(application.implementation_start_on.year, start + 4)
            slots = [
                (project, organisation, year, code)
                for index, project in enumerate(projects_of)
                for organisation in _partners_of(partners, index)
                for year in years
                for code in codes
            ]
            for n, (project, organisation, year, code) in enumerate(slots[:wanted]):
                yield BudgetLine(
                    application=application,
                    phase=Phase.IMPLEMENTATION,
                    rd_project=project,
                    grantee=organisation,
                    year=year,
                    position=positions[code],
                    eligible_amount=Decimal("8000.00") + n % 997,
                    justification="seed_scale",
                )

    return _batched(rows(), lambda batch: BudgetLine.objects.bulk_create(batch))
