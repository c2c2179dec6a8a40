"""The one plan check, ``budgets.plan.check_plan``: it reads no database, leaves the plan it is
given as it was, and for random proposals it gives the summary the budget has after the real
write, and refuses exactly what the service refuses."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from applications.models import Application
from budgets.models import BudgetLine, GranteeTerms, Phase, ProjectPartner, RDProject
from budgets.plan import LineInput, PlanRefused, check_plan
from budgets.selectors import budget_plan, budget_summary
from budgets.services import budget_line_save, budget_lines_write, grantee_terms_ensure
from budgets.summary import Periods
from budgets.violations import Rule
from programmes.models import Organisation

from ..factories import CompanyFactory, position
from .conftest import last_month
from .support import euros

pytestmark = pytest.mark.django_db


def loaded(application: Application) -> Application:
    """The application with what the plan selector needs (programme, management)."""
    found: Application = Application.objects.with_programme().get(pk=application.pk)
    return found


def snapshot(plan: Any) -> Any:
    """What a plan holds, by value: a change to any of its objects shows."""
    return (
        [
            (
                line.pk,
                line.phase,
                line.rd_project_id,
                line.grantee_id,
                line.year,
                line.position_id,
                line.eligible_amount,
                line.justification,
            )
            for line in plan.lines
        ],
        {pk: (t.basis, t.funding_rate, t.has_projektpauschale) for pk, t in plan.terms.items()},
        [(p.pk, p.title, p.start_month, p.end_month) for p in plan.projects],
        {pk: [(p.organisation_id, p.is_lead) for p in ps] for pk, ps in plan.partners.items()},
        plan.periods,
    )


def test_check_plan_reads_no_database_and_leaves_the_plan_as_it_was(
    project, manager_a, company, university, django_assert_num_queries
):
    application = loaded(project.application)
    year = application.implementation_start_on.year
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=company,
        year=year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("1000.00"),
        by=manager_a,
    )
    plan = budget_plan(loaded(application))
    before = snapshot(plan)
    newcomer = CompanyFactory(name="Newcomer GmbH")
    staff, travel = position("AZK", "0837"), position("AZK", "0838")
    company_terms = plan.terms[company.pk]
    new_project = RDProject(
        application_id=application.pk,
        title="Second project",
        start_month=application.implementation_start_on,
        end_month=last_month(application),
    )
    partners = [
        *plan.partners[project.pk],
        ProjectPartner(project=project, organisation=newcomer, is_lead=False),
    ]
    periods = replace(plan.periods, implementation_end_on=date(year + 1, 12, 31))

    with django_assert_num_queries(0):
        check = check_plan(
            plan,
            writes=[
                LineInput(Phase.IMPLEMENTATION, newcomer, year, staff, Decimal("10.00"), project),
                LineInput(
                    Phase.IMPLEMENTATION, company, year + 2, travel, Decimal("5.00"), project
                ),
            ],
            deletes=[plan.lines[-1]],
            terms=[replace_terms(company_terms, has_projektpauschale=True)],
            projects=[new_project],
            partners={project.pk: partners},
            periods=periods,
        )
        messages = [violation.message for violation in check.violations]

    assert {v.rule for v in check.violations} >= {
        Rule.PROJEKTPAUSCHALE_NOT_APPLICABLE,  # the company's new terms
        Rule.YEAR_OUTSIDE_PHASE,  # the travel line after the shortened phase
        Rule.PROJECT_OUTSIDE_PHASE,
    }
    assert len(messages) == len(check.violations)
    # The newcomer's first line gives it the programme's terms for small companies.
    assert check.plan.terms[newcomer.pk].funding_rate == Decimal("70.00")
    assert [block.project.title for block in check.summary.implementation.projects] == [
        project.title,
        "Second project",
    ]
    # Partners as the selector orders them: the lead first, then by name.
    assert [o.name for o in check.summary.implementation.projects[0].partners] == [
        company.name,
        "CEA-Leti",
        "Newcomer GmbH",
        "TU Dresden",
    ]
    assert check.summary.implementation.total.figures.eligible_amount == Decimal("15.00")
    assert snapshot(plan) == before


def replace_terms(terms: GranteeTerms, **changes: Any) -> GranteeTerms:
    """A copy of unsaved terms with ``changes`` (the plan's own stay as they are)."""
    values = {
        "application_id": terms.application_id,
        "organisation": terms.organisation,
        "basis": terms.basis,
        "funding_rate": terms.funding_rate,
        "has_projektpauschale": terms.has_projektpauschale,
    }
    return GranteeTerms(pk=terms.pk, **{**values, **changes})


def test_check_plan_of_no_change_is_the_stored_summary(project, manager_a, university):
    application = loaded(project.application)
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=university,
        year=application.implementation_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("99999.99"),
        by=manager_a,
    )
    assert check_plan(budget_plan(application)).summary == budget_summary(application)


def test_check_plan_moves_periods_as_the_application_would(project, manager_a, company):
    """A shorter implementation phase leaves a year outside, as it would once stored."""
    application = loaded(project.application)
    last_year = project.end_month.year
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=company,
        year=last_year,
        position=position("AZK", "0837"),
        eligible_amount=Decimal("100.00"),
        by=manager_a,
    )
    plan = budget_plan(application)
    periods = Periods.of(application)
    shorter = replace(periods, implementation_end_on=date(last_year - 1, 12, 31))

    check = check_plan(plan, periods=shorter)

    assert (Rule.YEAR_OUTSIDE_PHASE, str(last_year)) in {
        (v.rule, v.scope) for v in check.violations
    }
    assert check.summary.implementation.end_on == shorter.implementation_end_on
    assert plan.periods == periods


# Random proposals against the service: implementation lines of the project fixture, for its
# partners, the management (no partner) and a newcomer (no partner, no terms yet), on positions
# of either basis, in years in and beyond the project, small amounts and ones over the caps.


@dataclass(frozen=True)
class Write:
    grantee: str
    position: tuple[str, str]
    year_offset: int
    amount_cents: int


writes_strategy = st.builds(
    Write,
    grantee=st.sampled_from(["company", "university", "management", "newcomer"]),
    position=st.sampled_from([("AZK", "0837"), ("AZK", "0838"), ("AZA", "0812"), ("AZA", "0846")]),
    year_offset=st.integers(min_value=0, max_value=4),
    amount_cents=st.one_of(
        st.integers(min_value=0, max_value=10_000_000),
        st.integers(min_value=50_000_000, max_value=400_000_000),
    ),
)


@pytest.fixture
def world(project, manager_a, company, university, management) -> dict[str, Any]:
    return {
        "application": loaded(project.application),
        "project": project,
        "manager": manager_a,
        "organisations": {
            "company": company,
            "university": university,
            "management": management,
            "newcomer": CompanyFactory(name="Newcomer GmbH"),
        },
        "positions": {
            key: position(*key)
            for key in [("AZK", "0837"), ("AZK", "0838"), ("AZA", "0812"), ("AZA", "0846")]
        },
    }


def line_inputs(world: dict[str, Any], writes: list[Write]) -> list[LineInput]:
    first_year = world["application"].implementation_start_on.year
    return [
        LineInput(
            phase=Phase.IMPLEMENTATION,
            rd_project=world["project"],
            grantee=world["organisations"][write.grantee],
            year=first_year + write.year_offset,
            position=world["positions"][write.position],
            eligible_amount=euros(write.amount_cents),
        )
        for write in writes
    ]


def stored(application: Application) -> Any:
    lines = BudgetLine.objects.filter(application=application).order_by("pk")
    return (
        list(lines.values_list("pk", "grantee_id", "year", "position_id", "eligible_amount")),
        BudgetLine.history.filter(application_id=application.pk).count(),
        sorted(
            GranteeTerms.objects.filter(application=application).values_list(
                "organisation_id", "funding_rate"
            )
        ),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(writes_strategy, max_size=6),
    proposal=st.lists(writes_strategy, max_size=6),
    deleted=st.lists(st.integers(min_value=0, max_value=20), max_size=3),
)
def test_check_plan_is_what_the_write_gives(world, start, proposal, deleted):
    application, manager = world["application"], world["manager"]
    BudgetLine.objects.filter(application=application, phase=Phase.IMPLEMENTATION).delete()
    newcomer: Organisation = world["organisations"]["newcomer"]
    GranteeTerms.objects.filter(application=application, organisation=newcomer).delete()
    attempt(application, line_inputs(world, start), [], manager)  # a start the rules accept
    plan = budget_plan(application)
    implementation = [line for line in plan.lines if line.phase == Phase.IMPLEMENTATION]
    picked = [implementation[i % len(implementation)] for i in deleted] if implementation else []
    deletes = list({line.pk: line for line in picked}.values())
    writes = line_inputs(world, proposal)
    before = stored(application)

    check = check_plan(plan, writes=writes, deletes=deletes)
    refused = attempt(application, writes, deletes, manager)

    event("refused" if refused else "written")
    if refused is None:
        assert not check.violations
        assert budget_summary(application) == check.summary
    else:
        assert check.violations, "refused, yet the check found nothing"
        assert refused.violations == list(check.violations)
        assert refused.check.summary == check.summary
        assert stored(application) == before


def store(application: Application, writes: list[LineInput]) -> None:
    """Store the lines as they are, with no rule checked: terms as a write gives them, then
    each line created or changed by its key."""
    for item in writes:
        grantee_terms_ensure(application, item.grantee, by=None)
        BudgetLine.objects.update_or_create(
            application=application,
            phase=item.phase,
            rd_project=item.rd_project,
            grantee=item.grantee,
            year=item.year,
            position=item.position,
            defaults={"eligible_amount": item.eligible_amount},
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(writes_strategy, max_size=6),
    proposal=st.lists(writes_strategy, min_size=1, max_size=6),
    deleted=st.lists(st.integers(min_value=0, max_value=20), max_size=3),
)
def test_check_plan_is_the_summary_of_the_lines_stored_whatever_rules_they_break(
    world, start, proposal, deleted
):
    """Figures, violations and their order: as the summary reads them from the database."""
    application = world["application"]
    BudgetLine.objects.filter(application=application, phase=Phase.IMPLEMENTATION).delete()
    newcomer: Organisation = world["organisations"]["newcomer"]
    GranteeTerms.objects.filter(application=application, organisation=newcomer).delete()
    store(application, line_inputs(world, start))
    plan = budget_plan(application)
    implementation = [line for line in plan.lines if line.phase == Phase.IMPLEMENTATION]
    picked = [implementation[i % len(implementation)] for i in deleted] if implementation else []
    deletes = list({line.pk: line for line in picked}.values())
    writes = line_inputs(world, proposal)

    check = check_plan(plan, writes=writes, deletes=deletes)
    BudgetLine.objects.filter(pk__in=[line.pk for line in deletes]).delete()
    store(application, writes)

    event(f"{len(check.violations)} violations")
    assert budget_summary(application) == check.summary


def attempt(
    application: Application, writes: list[LineInput], deletes: list[BudgetLine], by: Any
) -> PlanRefused | None:
    """Write through the service; its refusal, if it refuses."""
    try:
        budget_lines_write(application=application, writes=writes, deletes=deletes, by=by)
    except PlanRefused as refused:
        return refused
    return None
