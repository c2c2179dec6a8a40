"""Statements of the demo applications, through the real services at dates after the years
they cover: one of each state, so each role sees something at once (the officer a statement to
review, the cluster managements a statement returned with questions and one overdue, the
auditors a final statement settled with a repayment claim, decided by a second officer)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from applications.models import Application
from budgets.models import BudgetPosition, Phase
from budgets.selectors import budget_summary
from kernel import clock
from statements.models import Statement
from statements.selectors import grantee_blocks
from statements.services import (
    FUNDED_STATES,
    settlement_prepare,
    settlement_transition,
    statement_create,
    statement_lines_save,
    statement_transition,
)

QUESTIONS = "Bitte die Reisekosten der Delegation nach Detroit belegen."


@dataclass(frozen=True)
class StatementStory:
    cluster: str
    phase: str
    grantee_index: int  # the grantee's place among the phase's grantees of the plan
    year: int | None  # None: the final statement
    written_on: date
    actual: Decimal  # on the grantee's first position
    transitions: tuple[tuple[str, date], ...]
    settled_on: date | None = None


STORIES: Sequence[StatementStory] = (
    # ARENA2036's concept phase: both years accepted, the final statement settled: 24,000.00
    # were paid in 2016, the actuals carry 20,000.00, so 4,000.00 are claimed back.
    StatementStory(
        "ARENA2036",
        Phase.CONCEPT,
        0,
        2016,
        date(2017, 3, 15),
        Decimal("15000.00"),
        (("submit", date(2017, 3, 20)), ("accept", date(2017, 4, 3))),
    ),
    StatementStory(
        "ARENA2036",
        Phase.CONCEPT,
        0,
        2017,
        date(2018, 3, 15),
        Decimal("5000.00"),
        (("submit", date(2018, 3, 20)), ("accept", date(2018, 4, 4))),
    ),
    StatementStory(
        "ARENA2036",
        Phase.CONCEPT,
        0,
        None,
        date(2018, 5, 15),
        Decimal("0.00"),  # the final statement starts from the accepted interim actuals
        (("submit", date(2018, 5, 28)), ("accept", date(2018, 6, 12))),
        settled_on=date(2018, 7, 10),
    ),
    # BioM's 2016 waits for the officer's review.
    StatementStory(
        "BioM",
        Phase.CONCEPT,
        0,
        2016,
        date(2017, 4, 10),
        Decimal("312000.00"),
        (("submit", date(2017, 4, 12)),),
    ),
    # Software-Cluster's 2017 came back with questions (its 2018 has not been sent: overdue).
    StatementStory(
        "Software-Cluster",
        Phase.CONCEPT,
        0,
        2017,
        date(2018, 4, 20),
        Decimal("421337.50"),
        (("submit", date(2018, 4, 24)), ("return_with_questions", date(2018, 5, 3))),
    ),
    # it's OWL: the university's 2017 of the first project, begun but never sent (overdue).
    StatementStory("it's OWL", Phase.IMPLEMENTATION, 1, 2017, date(2018, 4, 20), Decimal("0"), ()),
)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _story(story: StatementStory, application: Application, people: Mapping[str, Any]) -> None:
    blocks = [
        (project_id, block)
        for phase, project_id, block in grantee_blocks(budget_summary(application))
        if phase == story.phase
    ]
    project_id, block = blocks[story.grantee_index]
    manager, officer = people["manager"], people["officer"]
    with clock.frozen_at(_moment(story.written_on)):
        statement = statement_create(
            application=application,
            kind="interim" if story.year else "final",
            phase=story.phase,
            rd_project=application.rd_projects.filter(pk=project_id or 0).first(),
            grantee=block.organisation,
            year=story.year,
            narrative="Delegationsreise, Matchmaking-Veranstaltung und Partnerbesuche.",
            by=manager,
        )
        if story.year is not None and story.actual:
            position: BudgetPosition = block.positions[0].position
            statement_lines_save(
                statement=statement, lines=[(position, story.year, story.actual)], by=manager
            )
    for name, day in story.transitions:
        with clock.frozen_at(_moment(day)):
            by = manager if name == "submit" else officer
            comment = QUESTIONS if name == "return_with_questions" else ""
            statement = statement_transition(statement=statement, name=name, by=by, comment=comment)
    if story.settled_on is not None:
        with clock.frozen_at(_moment(story.settled_on)):
            settlement = settlement_prepare(statement=statement, by=officer)
            settlement_transition(settlement=settlement, name="decide", by=people["officer-2"])


def statements_load(
    applications: Sequence[Application],
    *,
    managers: Mapping[int, Any],
    officers: tuple[Any, Any],
) -> int:
    """The stories of the applications that have no statements yet; ``managers``: the cluster
    management's user by cluster id."""
    funded = {state for states in FUNDED_STATES.values() for state in states}
    by_cluster = {a.cluster.name: a for a in applications if a.state in funded}
    done = set(
        Statement.objects.filter(application__in=applications).values_list(
            "application__cluster__name", flat=True
        )
    )
    created = 0
    for story in STORIES:
        application = by_cluster.get(story.cluster)
        if application is None or story.cluster in done:
            continue
        people = {
            "manager": managers[application.cluster_id],
            "officer": officers[0],
            "officer-2": officers[1],
        }
        _story(story, application, people)
        created += 1
    return created
