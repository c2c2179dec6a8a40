"""Each round's stored per-state sums (``RoundFigures``) equal what summing its applications
gives, after every kind of change: a new application, a budget change, a transition, a
deletion; a refused change leaves them; a round without a row is summed when read."""

from decimal import Decimal

import pytest

from applications.models import Application, RoundFigures
from applications.round_figures import grouped, round_figures_fill_missing
from applications.selectors import round_totals
from applications.states import State
from budgets.models import BudgetLine
from budgets.services import budget_line_update
from budgets.violations import BudgetRuleError

from ..budgets.support import concept_line, select
from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def assert_stored_as_summed(round_) -> dict:
    """The stored sums equal summing now; per state over the sectors: [count, the six sums]."""
    stored = RoundFigures.objects.get(round=round_).by_sector
    assert stored == grouped([round_.pk])[round_.pk]
    per_state: dict = {}
    for by_state in stored.values():
        for state, (count, *sums) in by_state.items():
            known = per_state.setdefault(state, [0, *[Decimal(0)] * len(sums)])
            per_state[state] = [
                known[0] + count,
                *(a + Decimal(b) for a, b in zip(known[1:], sums, strict=True)),
            ]
    return per_state


def test_the_figures_follow_applications_budgets_and_transitions(
    application_a, manager_a, officer, open_round, cluster_b
):
    assert assert_stored_as_summed(open_round)[State.DRAFT][0] == 1

    concept_line(
        application_a,
        by=manager_a,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("1000.00"),
    )
    stored = assert_stored_as_summed(open_round)
    assert stored[State.DRAFT][1:3] == [Decimal("1000.00")] * 2  # eligible, grant (100 %)

    other = ApplicationFactory(round=open_round, cluster=cluster_b)
    assert assert_stored_as_summed(open_round)[State.DRAFT][0] == 2

    select(application_a, manager=manager_a, officer=officer)
    stored = assert_stored_as_summed(open_round)
    assert stored[State.SELECTED][0] == 1
    totals = round_totals([open_round])[0]
    assert totals.committed.funding_amount == Decimal("1000.00")
    assert totals.selected_count == 1
    assert totals.committed_by_sector == {application_a.cluster.sector: totals.committed}

    Application.objects.get(pk=other.pk).delete()
    assert State.DRAFT not in assert_stored_as_summed(open_round)


def test_a_refused_budget_change_leaves_the_round_figures(application_a, manager_a, open_round):
    concept_line(
        application_a,
        by=manager_a,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("1000.00"),
    )
    before = RoundFigures.objects.get(round=open_round).by_sector
    line = BudgetLine.objects.get(application=application_a)
    with pytest.raises(BudgetRuleError):
        budget_line_update(line=line, by=manager_a, eligible_amount=Decimal("900000.00"))
    assert RoundFigures.objects.get(round=open_round).by_sector == before


def test_a_round_without_its_row_is_summed_when_read(application_a, manager_a, open_round):
    concept_line(
        application_a,
        by=manager_a,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("250.00"),
    )
    read = round_totals([open_round])[0]
    RoundFigures.objects.all().delete()
    again = round_totals([open_round])[0]
    assert (again.state_counts, again.committed, again.planned) == (
        read.state_counts,
        read.committed,
        read.planned,
    )
    assert again.state_counts == {State.DRAFT: 1}
    sector = application_a.cluster.sector
    assert grouped([open_round.pk])[open_round.pk][sector][State.DRAFT][1] == "250.00"


def test_migrate_sums_the_rounds_a_database_from_before_lacked(application_a, open_round):
    RoundFigures.objects.all().delete()
    round_figures_fill_missing()
    assert assert_stored_as_summed(open_round)[State.DRAFT][0] == 1
