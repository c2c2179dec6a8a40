"""Property-based tests: random sequences of budget writes, each checked against an independent
model in integer cents.

Each example starts from the same stored state (cluster A's application, with two R&D projects
and three German grantees) inside a transaction that is rolled back at its end. Its writes
(save, update and delete of concept and implementation lines, new R&D projects, by the cluster
management, an officer or an auditor) run first while the application is a draft, then in the
concept phase. After every write, accepted or refused:

(a) the stored rows keep every rule, recomputed here from the rows in integer cents;
(b) the summary's totals equal that integer-cent computation;
(c) a refused write left lines, history, terms and projects as they were;
and the write was accepted exactly when the model says its result keeps every rule, refused
with exactly the rules the model finds broken otherwise.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from applications.models import Application
from applications.states import BUDGET_OPEN_STATES, State
from budgets.models import (
    BudgetLine,
    BudgetPosition,
    GranteeTerms,
    Phase,
    ProjectPartner,
    RDProject,
)
from budgets.selectors import budget_summary
from budgets.services import (
    budget_line_delete,
    budget_line_save,
    budget_line_update,
    grantee_terms_ensure,
    project_partner_add,
    rd_project_create,
)
from budgets.violations import BudgetRuleError, Rule
from programmes.models import Programme

from ..factories import put_in_state_for_test
from .conftest import last_month
from .support import cents, euros, grant_cents, pauschale_cents

pytestmark = pytest.mark.django_db

GRANTEES = ("university", "company", "management")
WRITERS = ("manager_a", "officer", "auditor")
CODES = {"AZA": ("0812", "0846"), "AZK": ("0837", "0813")}
# Amounts that sit on the caps' edges for the grantees' rates (100 %, 100 % + 20 %, 70 %), and
# amounts whose 70 % grant ends in exactly half a cent after an even cent (15 → 10.5), where
# rounding half up and half to even differ.
EDGE_CENTS = [
    *(0, 1, 2, 15, 25_000_015),
    *(25_000_000, 41_666_667, 41_666_668, 42_857_143, 50_000_000, 50_000_001),
]


# The writes a sequence is made of.


@dataclass(frozen=True)
class Save:
    """A line by its key. Mostly in the phase that is open and for that phase's usual
    grantees; now and then in the closed phase or for any of the three grantees."""

    writer: str
    in_closed_phase: bool
    grantee: str | None  # None: the phase's usual grantee number ``usual_index``
    usual_index: int
    year_offset: int  # from the first year of the line's phase
    wrong_basis: bool
    code_index: int
    amount_cents: int
    project_index: int


@dataclass(frozen=True)
class Update:
    """A new amount, and perhaps a new year, for one of the stored lines."""

    writer: str
    pick: int
    amount_cents: int
    year_offset: int | None  # from the first year of the line's phase; None keeps the year


@dataclass(frozen=True)
class Delete:
    writer: str
    pick: int


@dataclass(frozen=True)
class CreateProject:
    writer: str


amounts = st.one_of(
    st.integers(0, 70_000_000),
    st.integers(20_000_000, 70_000_000),  # large enough to reach the caps in a few writes
    st.sampled_from(EDGE_CENTS),
)
writers = st.sampled_from(WRITERS + ("manager_a", "officer") * 4)  # auditors now and then


rarely = st.integers(0, 5).map(lambda n: n == 0)
# Mostly inside the phase (offsets 0 to 2), sometimes a year before or after it.
year_offsets = st.one_of(st.integers(0, 2), st.integers(-1, 3))

saves = st.builds(
    Save,
    writer=writers,
    in_closed_phase=rarely,
    grantee=st.sampled_from([None, None, None, *GRANTEES]),
    usual_index=st.integers(0, 1),
    year_offset=year_offsets,
    wrong_basis=rarely,
    code_index=st.integers(0, 1),
    amount_cents=amounts,
    project_index=st.integers(0, 2),
)


def manager_save(*, year_offset: int, amount_cents: int, usual_index: int = 0) -> Save:
    """The cluster management saves a line for the open phase's usual grantee, in the first
    (wide) project."""
    return Save(
        writer="manager_a",
        in_closed_phase=False,
        grantee=None,
        usual_index=usual_index,
        year_offset=year_offset,
        wrong_basis=False,
        code_index=0,
        amount_cents=amount_cents,
        project_index=0,
    )


KINDS = {
    "save": saves,
    "update": st.builds(
        Update,
        writer=writers,
        pick=st.integers(0, 30),
        amount_cents=amounts,
        year_offset=st.one_of(st.none(), year_offsets),
    ),
    "delete": st.builds(Delete, writer=writers, pick=st.integers(0, 30)),
    "project": st.builds(CreateProject, writer=writers),
}
# Saves build the budget up; the other writes work on what is there.
writes = st.sampled_from(["save"] * 6 + ["update"] * 2 + ["delete", "project"]).flatmap(
    KINDS.__getitem__
)


# The stored state, read back from the rows.


# A line's key: phase, R&D project, grantee, year, position. A grantee-year unit: phase, R&D
# project, grantee, year.
Key = tuple[str, int | None, int, int, int]
Unit = tuple[str, int | None, int, int]
Project = tuple[int, str, int, int, frozenset[int]]  # pk, title, first and last year, partners


@dataclass(frozen=True)
class Row:
    pk: int | None
    phase: str
    project_id: int | None
    grantee_id: int
    year: int
    position_id: int
    amount_cents: int

    @property
    def key(self) -> "Key":
        return (self.phase, self.project_id, self.grantee_id, self.year, self.position_id)


@dataclass
class World:
    """What the model needs: read from the database once per test, except the caps, which
    each example sets (``set_caps``)."""

    application: Application
    users: dict[str, Any]
    organisations: dict[str, Any]
    caps: dict[str, Any]
    concept_years: range
    implementation_years: range
    position_basis: dict[int, str]
    positions: dict[tuple[str, str], BudgetPosition]
    terms: dict[int, tuple[str, Any, bool]] = field(default_factory=dict)  # basis, rate, PP
    countries: dict[int, str] = field(default_factory=dict)

    @property
    def first_year(self) -> dict[str, int]:
        return {
            Phase.CONCEPT: self.concept_years.start,
            Phase.IMPLEMENTATION: self.implementation_years.start,
        }


@dataclass(frozen=True)
class Stored:
    rows: tuple[Row, ...]
    projects: tuple[Project, ...]
    history_count: int
    terms: tuple[tuple[Any, ...], ...]


def read_stored(world: World) -> Stored:
    application_id = world.application.pk
    stored_lines = (
        BudgetLine.objects.filter(application_id=application_id)
        .order_by("pk")
        .values_list(
            "pk", "phase", "rd_project_id", "grantee_id", "year", "position_id", "eligible_amount"
        )
    )
    rows = tuple(
        Row(pk, phase, project_id, grantee_id, year, position_id, cents(amount))
        for pk, phase, project_id, grantee_id, year, position_id, amount in stored_lines
    )
    partners: dict[int, set[int]] = defaultdict(set)
    for project_id, organisation_id in ProjectPartner.objects.filter(
        project__application_id=application_id
    ).values_list("project_id", "organisation_id"):
        partners[project_id].add(organisation_id)
    projects = tuple(
        (pk, title, start.year, end.year, frozenset(partners[pk]))
        for pk, title, start, end in RDProject.objects.filter(application_id=application_id)
        .order_by("pk")
        .values_list("pk", "title", "start_month", "end_month")
    )
    terms = tuple(
        GranteeTerms.objects.filter(application_id=application_id)
        .order_by("pk")
        .values_list("pk", "organisation_id", "basis", "funding_rate", "has_projektpauschale")
    )
    return Stored(
        rows=rows,
        projects=projects,
        history_count=BudgetLine.history.filter(application_id=application_id).count(),
        terms=terms,
    )


# The independent model: figures and rules in integer cents.


def unit_figures(world: World, rows: tuple[Row, ...]) -> dict[Unit, tuple[int, int, int]]:
    """(eligible, grant, Projektpauschale) per grantee-year unit: (phase, project, grantee,
    year). The grant is rounded once per unit, the Projektpauschale on that rounded grant."""
    eligible: dict[Unit, int] = defaultdict(int)
    for row in rows:
        eligible[row.phase, row.project_id, row.grantee_id, row.year] += row.amount_cents
    figures = {}
    for unit, amount in eligible.items():
        _basis, rate, has_pauschale = world.terms[unit[2]]
        grant = grant_cents(amount, rate)
        pauschale = (
            pauschale_cents(grant, world.caps["projektpauschale_rate"]) if has_pauschale else 0
        )
        figures[unit] = (amount, grant, pauschale)
    return figures


def funding(figures: dict[Unit, tuple[int, int, int]], **where: Any) -> int:
    index = {"phase": 0, "project": 1, "grantee": 2, "year": 3}
    return sum(
        grant + pauschale
        for unit, (_eligible, grant, pauschale) in figures.items()
        if all(unit[index[name]] == value for name, value in where.items())
    )


def broken_rules(world: World, rows: tuple[Row, ...], projects: tuple[Project, ...]) -> set[str]:
    """Every rule the state breaks, computed from the rows alone."""
    caps = world.caps
    figures = unit_figures(world, rows)
    broken: set[str] = set()
    concept = [row for row in rows if row.phase == Phase.CONCEPT]
    implementation = [row for row in rows if row.phase == Phase.IMPLEMENTATION]
    # A year that asks for no money (only 0.00 lines) is no concept year.
    concept_years = sorted({row.year for row in concept if row.amount_cents > 0})
    for year in concept_years:
        if funding(figures, phase=Phase.CONCEPT, year=year) > caps["concept_annual_cap"]:
            broken.add(Rule.CONCEPT_ANNUAL_CAP)
    if len(concept_years) > caps["concept_max_years"]:
        broken.add(Rule.CONCEPT_MAX_YEARS)
    if concept_years and concept_years[-1] - concept_years[0] + 1 != len(concept_years):
        broken.add(Rule.CONCEPT_YEARS_CONSECUTIVE)
    management_id = world.organisations["management"].pk
    if any(row.grantee_id != management_id for row in concept):
        broken.add(Rule.CONCEPT_GRANTEE)
    if any(row.year not in world.concept_years for row in concept):
        broken.add(Rule.YEAR_OUTSIDE_PHASE)
    if any(row.year not in world.implementation_years for row in implementation):
        broken.add(Rule.YEAR_OUTSIDE_PHASE)
    project_info = {pk: (first, last, partners) for pk, _title, first, last, partners in projects}
    for row in implementation:
        first, last, partners = project_info[row.project_id]
        if not first <= row.year <= last:
            broken.add(Rule.YEAR_OUTSIDE_PROJECT)
        if row.grantee_id not in partners:
            broken.add(Rule.GRANTEE_NOT_PROJECT_PARTNER)
    if len(projects) > caps["max_rd_projects"]:
        broken.add(Rule.IMPLEMENTATION_MAX_PROJECTS)
    if funding(figures, phase=Phase.IMPLEMENTATION) > caps["implementation_cap"]:
        broken.add(Rule.IMPLEMENTATION_CAP)
    if funding(figures) > caps["cluster_cap"]:
        broken.add(Rule.CLUSTER_CAP)
    for row in rows:
        if world.position_basis[row.position_id] != world.terms[row.grantee_id][0]:
            broken.add(Rule.POSITION_BASIS)
        if world.countries[row.grantee_id] != "DE":
            broken.add(Rule.PARTNER_ABROAD_FUNDED)
    return broken


# Running one write against the services and predicting its outcome.


@dataclass(frozen=True)
class Outcome:
    """``accepted``; or refused with ``rules`` (a BudgetRuleError), ``"denied"``
    (PermissionDenied) or ``"invalid"`` (another ValidationError: only an update that moves a
    line onto another line's key meets one, the generated amounts being valid)."""

    accepted: bool
    refusal: str = ""
    rules: frozenset[str] = frozenset()


ACCEPTED = Outcome(accepted=True)


def is_open(state: str, phase: str) -> bool:
    return state in BUDGET_OPEN_STATES[Phase(phase)]


def pick(rows: tuple[Row, ...], index: int) -> Row | None:
    return rows[index % len(rows)] if rows else None


def plan(world: World, write: Any, state: str, before: Stored) -> tuple[Any, Outcome, Any]:
    """The service call for ``write``, the outcome the model predicts, and the predicted rows
    and projects if it is accepted."""
    user = world.users[write.writer]
    denied = write.writer == "auditor"
    rows = before.rows
    projects = before.projects
    if isinstance(write, Save):
        open_phase = Phase.CONCEPT if is_open(state, Phase.CONCEPT) else Phase.IMPLEMENTATION
        closed_phase = Phase.IMPLEMENTATION if open_phase == Phase.CONCEPT else Phase.CONCEPT
        phase = closed_phase if write.in_closed_phase else open_phase
        usual = ("management",) if phase == Phase.CONCEPT else ("university", "company")
        grantee = world.organisations[write.grantee or usual[write.usual_index % len(usual)]]
        basis = world.terms[grantee.pk][0]
        if write.wrong_basis:
            basis = "AZK" if basis == "AZA" else "AZA"
        position = world.positions[basis, CODES[basis][write.code_index]]
        project_id = (
            projects[write.project_index % len(projects)][0]
            if phase == Phase.IMPLEMENTATION
            else None
        )
        new = Row(
            None,
            phase,
            project_id,
            grantee.pk,
            world.first_year[phase] + write.year_offset,
            position.pk,
            write.amount_cents,
        )
        existing = next((row for row in rows if row.key == new.key), None)
        predicted = tuple(
            Row(row.pk, *row.key, new.amount_cents) if row is existing else row for row in rows
        ) + (() if existing else (new,))

        def call() -> Any:
            return budget_line_save(
                application=world.application,
                phase=new.phase,
                rd_project=RDProject.objects.get(pk=project_id) if project_id else None,
                grantee=grantee,
                year=new.year,
                position=position,
                eligible_amount=euros(new.amount_cents),
                by=user,
            )

        phases = {new.phase}
    elif isinstance(write, Update):
        line = pick(rows, write.pick)
        if line is None:
            return None, ACCEPTED, (rows, projects)
        year = (
            line.year
            if write.year_offset is None
            else world.first_year[line.phase] + write.year_offset
        )
        changed = Row(
            line.pk,
            line.phase,
            line.project_id,
            line.grantee_id,
            year,
            line.position_id,
            write.amount_cents,
        )
        predicted = tuple(changed if row is line else row for row in rows)
        collides = any(row.key == changed.key for row in rows if row is not line)

        def call() -> Any:
            return budget_line_update(
                line=BudgetLine.objects.get(pk=line.pk),
                by=user,
                eligible_amount=euros(write.amount_cents),
                year=year,
            )

        phases = {line.phase}
        if collides and not denied and is_open(state, line.phase):
            return call, Outcome(False, "invalid"), None
    elif isinstance(write, Delete):
        line = pick(rows, write.pick)
        if line is None:
            return None, ACCEPTED, (rows, projects)
        predicted = tuple(row for row in rows if row is not line)

        def call() -> Any:
            return budget_line_delete(line=BudgetLine.objects.get(pk=line.pk), by=user)

        phases = {line.phase}
    else:
        title = f"Extra {len(projects) + 1}"
        start = world.application.implementation_start_on
        end = last_month(world.application)
        projects = (*projects, (-1, title, start.year, end.year, frozenset()))
        predicted = rows

        def call() -> Any:
            return rd_project_create(
                application=world.application,
                title=title,
                start_month=start,
                end_month=end,
                by=user,
            )

        phases = {Phase.IMPLEMENTATION}

    if denied:
        return call, Outcome(False, "denied"), None
    if not all(is_open(state, phase) for phase in phases):
        return call, Outcome(False, "rules", frozenset({Rule.BUDGET_CLOSED})), None
    broken = broken_rules(world, predicted, projects)
    if broken:
        return call, Outcome(False, "rules", frozenset(broken)), None
    return call, ACCEPTED, (predicted, projects)


def run(call: Any) -> Outcome:
    try:
        call()
    except BudgetRuleError as error:
        return Outcome(False, "rules", frozenset(str(v.rule) for v in error.violations))
    except ValidationError:
        return Outcome(False, "invalid")
    except PermissionDenied:
        return Outcome(False, "denied")
    return ACCEPTED


def same_rows_ignoring_new_pks(stored: tuple[Row, ...], predicted: tuple[Row, ...]) -> bool:
    def comparable(rows: tuple[Row, ...]) -> list[tuple[Key, int]]:
        return sorted((row.key, row.amount_cents) for row in rows)

    return comparable(stored) == comparable(predicted)


def check_summary_against_model(world: World, stored: Stored) -> None:
    """(b): the summary's totals are the integer-cent model's."""
    application = Application.objects.with_programme().get(pk=world.application.pk)
    summary = budget_summary(application)
    figures = unit_figures(world, stored.rows)

    def totals(**where: Any) -> tuple[int, int, int]:
        index = {"phase": 0, "project": 1, "year": 3}
        chosen = [
            values
            for unit, values in figures.items()
            if all(unit[index[name]] == value for name, value in where.items())
        ]
        return tuple(sum(values[i] for values in chosen) for i in range(3))

    def of(summary_figures: Any) -> tuple[int, int, int]:
        return (
            cents(summary_figures.eligible_amount),
            cents(summary_figures.grant_amount),
            cents(summary_figures.projektpauschale_amount),
        )

    assert of(summary.concept.total.figures) == totals(phase=Phase.CONCEPT)
    assert of(summary.implementation.total.figures) == totals(phase=Phase.IMPLEMENTATION)
    assert of(summary.total.figures) == totals()
    for year, capped in summary.concept.by_year.items():
        assert of(capped.figures) == totals(phase=Phase.CONCEPT, year=year)
    assert set(summary.concept.by_year) == {r.year for r in stored.rows if r.phase == Phase.CONCEPT}
    for year, capped in summary.implementation.by_year.items():
        assert of(capped.figures) == totals(phase=Phase.IMPLEMENTATION, year=year)
    for block in summary.implementation.projects:
        assert of(block.total) == totals(phase=Phase.IMPLEMENTATION, project=block.project.pk)
    headroom = world.caps["cluster_cap"] - sum(totals()[1:])
    assert cents(summary.total.headroom_amount) == headroom
    assert summary.violations == []


@pytest.fixture
def world(application_a, manager_a, officer, auditor, university, company, partner_abroad):
    """Cluster A's draft with two R&D projects: "Wide" over the whole implementation phase
    (company leads, university, French institute) and "Short" over its first two years
    (university leads, French institute); terms for all three German grantees."""
    application = application_a
    management = application.cluster.management_organisation
    # Projects can only be added in the concept phase; set the state for the set-up alone.
    put_in_state_for_test(application, State.CONCEPT_PHASE)
    start = application.implementation_start_on
    wide = rd_project_create(
        application=application,
        title="Wide",
        start_month=start,
        end_month=last_month(application),
        by=officer,
    )
    short = rd_project_create(
        application=application,
        title="Short",
        start_month=start,
        end_month=date(start.year + 1, 12, 1),
        by=officer,
    )
    for project, partners in (
        (wide, (company, university, partner_abroad)),
        (short, (university, partner_abroad)),
    ):
        for index, organisation in enumerate(partners):
            project_partner_add(
                project=project, organisation=organisation, is_lead=index == 0, by=officer
            )
    grantee_terms_ensure(application, management, by=officer)
    put_in_state_for_test(application, State.DRAFT)

    programme = application.round.programme
    organisations = {"university": university, "company": company, "management": management}
    positions = {(p.basis, p.code): p for p in BudgetPosition.objects.all()}
    world = World(
        application=application,
        users={"manager_a": manager_a, "officer": officer, "auditor": auditor},
        organisations=organisations,
        caps={
            "concept_annual_cap": cents(programme.concept_annual_cap_amount),
            "concept_max_years": programme.concept_max_years,
            "max_rd_projects": programme.max_rd_projects,
            "implementation_cap": cents(programme.implementation_cap_amount),
            "cluster_cap": cents(programme.cluster_cap_amount),
            "projektpauschale_rate": programme.projektpauschale_rate,
        },
        concept_years=range(application.concept_start_on.year, application.concept_end_on.year + 1),
        implementation_years=range(
            application.implementation_start_on.year, application.implementation_end_on.year + 1
        ),
        position_basis={p.pk: p.basis for p in positions.values()},
        positions=positions,
    )
    for organisation_id, basis, rate, has_pauschale, country in GranteeTerms.objects.filter(
        application=application
    ).values_list(
        "organisation_id", "basis", "funding_rate", "has_projektpauschale", "organisation__country"
    ):
        world.terms[organisation_id] = (basis, rate, has_pauschale)
        world.countries[organisation_id] = country
    assert world.terms[university.pk][2] is True  # the university carries the Projektpauschale
    return world


# The programme's caps are data; each example draws its own. The first choices are InterSpiN's
# (what examples shrink to). Under InterSpiN's caps alone the per-cluster cap can never bind
# first (2 × 500,000.00 + 3,000,000.00 is exactly 4,000,000.00); under the lower ones it does.
caps_choices = st.fixed_dictionaries(
    {
        "concept_annual_cap": st.sampled_from([50_000_000, 30_000_000]),
        "max_rd_projects": st.sampled_from([3, 2]),
        "implementation_cap": st.sampled_from([300_000_000, 120_000_000, 80_000_000]),
        "cluster_cap": st.sampled_from([400_000_000, 150_000_000, 110_000_000]),
    }
)
INTERSPIN_CAPS = {
    "concept_annual_cap": 50_000_000,
    "max_rd_projects": 3,
    "implementation_cap": 300_000_000,
    "cluster_cap": 400_000_000,
}


def set_caps(world: World, caps: dict[str, int]) -> None:
    """Store the caps on the programme row, where the engine reads them, and in the model."""
    Programme.objects.filter(pk=world.application.round.programme_id).update(
        concept_annual_cap_amount=euros(caps["concept_annual_cap"]),
        max_rd_projects=caps["max_rd_projects"],
        implementation_cap_amount=euros(caps["implementation_cap"]),
        cluster_cap_amount=euros(caps["cluster_cap"]),
    )
    world.caps = {**world.caps, **caps}


def check_write(world: World, write: Any, state: str) -> None:
    """Run one write and check its outcome and the stored state against the model."""
    before = read_stored(world)
    call, predicted, after_predicted = plan(world, write, state, before)
    if call is None:
        return
    outcome = run(call)
    after = read_stored(world)
    event(f"{type(write).__name__} in {state}: {outcome.refusal or 'accepted'}")
    for rule in sorted(outcome.rules):
        event(f"refused for {rule}")

    assert outcome == predicted, (write, state)
    if outcome.accepted:
        rows, projects = after_predicted
        assert same_rows_ignoring_new_pks(after.rows, rows), write
        assert len(after.projects) == len(projects)
        # A line write leaves one history row when it changes what is stored, none otherwise.
        changed = not same_rows_ignoring_new_pks(before.rows, rows)
        assert after.history_count == before.history_count + (
            1 if changed and not isinstance(write, CreateProject) else 0
        )
    else:
        # (c) nothing changed.
        assert after == before, write
    # (a) every rule holds in what is stored.
    assert broken_rules(world, after.rows, after.projects) == set()
    # (b) the summary agrees with the integer-cent model.
    check_summary_against_model(world, after)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    caps=caps_choices,
    draft_writes=st.lists(writes, min_size=1, max_size=8),
    concept_phase_writes=st.lists(writes, min_size=2, max_size=12),
)
@example(
    # A full concept year, then the small company's 490,000.00 grants in the wide project: the
    # second breaks the per-cluster cap of 1,100,000.00 before the implementation cap.
    caps={**INTERSPIN_CAPS, "cluster_cap": 110_000_000},
    draft_writes=[manager_save(year_offset=0, amount_cents=50_000_000)],
    concept_phase_writes=[
        manager_save(year_offset=offset, amount_cents=70_000_000, usual_index=1)
        for offset in (0, 1, 2)
    ],
)
@example(
    # Moving the second year's line onto the first year's key is refused as invalid.
    caps=INTERSPIN_CAPS,
    draft_writes=[
        manager_save(year_offset=0, amount_cents=10_000),
        manager_save(year_offset=1, amount_cents=20_000),
        Update(writer="manager_a", pick=1, amount_cents=30_000, year_offset=0),
    ],
    concept_phase_writes=[],
)
def test_random_writes_keep_every_rule_and_the_summary_exact(
    world, caps, draft_writes, concept_phase_writes
):
    with transaction.atomic():
        set_caps(world, caps)
        for write in draft_writes:
            check_write(world, write, State.DRAFT)
        put_in_state_for_test(world.application, State.CONCEPT_PHASE)
        for write in concept_phase_writes:
            check_write(world, write, State.CONCEPT_PHASE)
        transaction.set_rollback(True)
