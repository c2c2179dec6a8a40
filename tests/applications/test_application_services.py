"""Starting an application (one per cluster and round, while the round accepts outlines) and
changing it (the outline while a draft; a phase's period only if the budget still fits)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from applications.models import Application
from applications.services import application_create, application_update
from applications.states import State
from budgets.violations import BudgetRuleError, Rule
from kernel import clock
from kernel.changes import NOT_CHANGEABLE

from ..factories import ApplicationFactory, ProgrammeFactory, RoundFactory
from .conftest import berlin, concept_budget_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_1(programme):
    """Round 1: outlines from 1 December 2014 to 28 February 2015, funding from 2016."""
    return RoundFactory(
        programme=programme,
        number=1,
        call_published_on=date(2014, 12, 1),
        outline_deadline_at=berlin(2015, 2, 28, 18, 0, 0),
        funding_starts_on=date(2016, 1, 1),
    )


IN_ROUND_1 = berlin(2015, 1, 15, 10, 0, 0)


# application_create


@pytest.mark.parametrize("user_name", ["manager_a", "officer"])
def test_application_create_starts_a_draft(user_name, open_round, cluster_a, request):
    user = request.getfixturevalue(user_name)

    application = application_create(
        round=open_round, cluster=cluster_a, by=user, title="Photonics goes to Lyon"
    )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.round, stored.cluster, stored.title, stored.state) == (
        open_round,
        cluster_a,
        "Photonics goes to Lyon",
        State.DRAFT,
    )
    assert not stored.transitions.exists()


def test_application_create_refuses_second_application(open_round, cluster_a, manager_a):
    application_create(round=open_round, cluster=cluster_a, by=manager_a)

    with pytest.raises(ValidationError) as refused:
        application_create(round=open_round, cluster=cluster_a, by=manager_a)

    assert refused.value.code == "already_applied"
    assert Application.objects.filter(round=open_round, cluster=cluster_a).count() == 1


def test_application_create_allows_same_cluster_in_another_round(
    open_round, programme, cluster_a, manager_a
):
    application_create(round=open_round, cluster=cluster_a, by=manager_a)
    next_round = RoundFactory(programme=programme, number=2)

    application_create(round=next_round, cluster=cluster_a, by=manager_a)

    assert Application.objects.filter(cluster=cluster_a).count() == 2


def test_application_one_per_cluster_and_round_is_a_database_constraint(open_round, cluster_a):
    """Imports and the admin bypass the service; the database still refuses a second row."""
    ApplicationFactory(round=open_round, cluster=cluster_a)

    with transaction.atomic(), pytest.raises(IntegrityError):
        ApplicationFactory(round=open_round, cluster=cluster_a)

    assert Application.objects.filter(round=open_round, cluster=cluster_a).count() == 1


@pytest.mark.parametrize("user_name", ["manager_b", "auditor", "anonymous"])
def test_application_create_refused_for_others(user_name, open_round, cluster_a, request):
    user = request.getfixturevalue(user_name)

    with pytest.raises(PermissionDenied):
        application_create(round=open_round, cluster=cluster_a, by=user)

    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (berlin(2014, 11, 30, 12, 0, 0), "round_not_open"),
        (berlin(2015, 2, 28, 18, 0, 1), "deadline_passed"),
    ],
    ids=["before-call", "after-deadline"],
)
def test_application_create_refused_outside_outline_window(
    moment, code, round_1, cluster_a, manager_a
):
    with clock.frozen_at(moment), pytest.raises(ValidationError) as refused:
        application_create(round=round_1, cluster=cluster_a, by=manager_a)

    assert refused.value.code == code
    assert not Application.objects.exists()


def test_application_create_default_periods(round_1, cluster_a, manager_a):
    """InterSpiN: concept phase 2 years from the round's funding start; implementation from a
    year later (overlapping), 3 years."""
    with clock.frozen_at(IN_ROUND_1):
        application = application_create(round=round_1, cluster=cluster_a, by=manager_a)

    assert (
        application.concept_start_on,
        application.concept_end_on,
        application.implementation_start_on,
        application.implementation_end_on,
    ) == (date(2016, 1, 1), date(2017, 12, 31), date(2017, 1, 1), date(2019, 12, 31))


def test_application_create_default_periods_follow_programme(cluster_a, manager_a):
    """Durations are the programme's data: 1 concept year and 2 implementation years here."""
    programme = ProgrammeFactory(
        name="Short programme", short_name="Short", concept_max_years=1, implementation_max_years=2
    )
    round_ = RoundFactory(programme=programme, number=1, funding_starts_on=date(2030, 7, 1))

    application = application_create(round=round_, cluster=cluster_a, by=manager_a)

    assert (
        application.concept_start_on,
        application.concept_end_on,
        application.implementation_start_on,
        application.implementation_end_on,
    ) == (date(2030, 7, 1), date(2031, 6, 30), date(2031, 7, 1), date(2033, 6, 30))


# application_update


def test_application_update_changes_outline_of_draft(application_a, manager_a):
    application_update(
        application=application_a, by=manager_a, title="New title", strategy_summary="New plan"
    )

    stored = Application.objects.get(pk=application_a.pk)
    assert (stored.title, stored.strategy_summary) == ("New title", "New plan")


@pytest.mark.parametrize("state", [State.SUBMITTED, State.IN_REVIEW, State.SELECTED])
@pytest.mark.parametrize("user_name", ["manager_a", "officer"])
def test_application_update_refuses_outline_after_draft(
    state, user_name, application_a, advance, request
):
    application = advance(application_a, state)
    user = request.getfixturevalue(user_name)

    with pytest.raises(PermissionDenied):
        application_update(application=application, by=user, title="Changed after the fact")

    assert Application.objects.get(pk=application.pk).title == application_a.title


@pytest.mark.parametrize("user_name", ["manager_b", "auditor"])
def test_application_update_refused_for_others(user_name, application_a, request):
    user = request.getfixturevalue(user_name)

    with pytest.raises(PermissionDenied):
        application_update(application=application_a, by=user, title="Not mine")

    assert Application.objects.get(pk=application_a.pk).title == application_a.title


def test_application_update_refuses_period_excluding_budget_lines(application_a, manager_a):
    """Shortening the concept phase to one year would leave the second year's line outside."""
    concept_budget_add(application_a, manager_a)
    first_year = application_a.concept_start_on.year

    with pytest.raises(BudgetRuleError) as refused:
        application_update(
            application=application_a, by=manager_a, concept_end_on=date(first_year, 12, 31)
        )

    assert [(v.rule, v.scope) for v in refused.value.violations] == [
        (Rule.YEAR_OUTSIDE_PHASE, str(first_year + 1))
    ]
    assert Application.objects.get(pk=application_a.pk).concept_end_on == date(
        first_year + 1, 12, 31
    )


def test_application_update_accepts_period_keeping_budget_lines(application_a, manager_a):
    concept_budget_add(application_a, manager_a)
    first_year = application_a.concept_start_on.year

    application_update(
        application=application_a,
        by=manager_a,
        concept_start_on=date(first_year, 7, 1),
        concept_end_on=date(first_year + 2, 6, 30),
    )

    stored = Application.objects.get(pk=application_a.pk)
    assert (stored.concept_start_on, stored.concept_end_on) == (
        date(first_year, 7, 1),
        date(first_year + 2, 6, 30),
    )
    assert stored.budget_lines.count() == 2


def test_application_update_refuses_period_of_closed_budget(application_a, advance, manager_a):
    """After submission the concept budget (and so its period) is closed until selection."""
    application = advance(application_a, State.SUBMITTED)
    end = application.concept_end_on

    with pytest.raises(BudgetRuleError) as refused:
        application_update(
            application=application, by=manager_a, concept_end_on=date(end.year - 1, 12, 31)
        )

    assert [v.rule for v in refused.value.violations] == [Rule.BUDGET_CLOSED]
    assert Application.objects.get(pk=application.pk).concept_end_on == end


def test_application_update_refuses_phase_ending_before_start(application_a, manager_a):
    start = application_a.concept_start_on

    with pytest.raises(ValidationError) as refused:
        application_update(
            application=application_a, by=manager_a, concept_end_on=date(start.year - 1, 12, 31)
        )

    assert "concept_end_on" in refused.value.message_dict
    assert Application.objects.get(pk=application_a.pk).concept_end_on != date(
        start.year - 1, 12, 31
    )


def test_application_update_refuses_other_fields(application_a, officer):
    with pytest.raises(ValidationError) as refused:
        application_update(application=application_a, by=officer, state=State.SELECTED)

    assert refused.value.message_dict == {"state": [NOT_CHANGEABLE]}
    assert Application.objects.get(pk=application_a.pk).state == State.DRAFT


def test_application_update_accepts_full_length_period_starting_on_31st(application_a, manager_a):
    """31 January to 30 January two years later is exactly two years, not more."""
    year = application_a.concept_start_on.year

    application_update(
        application=application_a,
        by=manager_a,
        concept_start_on=date(year, 1, 31),
        concept_end_on=date(year + 2, 1, 30),
    )

    assert Application.objects.get(pk=application_a.pk).concept_end_on == date(year + 2, 1, 30)


def test_application_update_money_untouched_by_refused_period(application_a, manager_a):
    """A refused period change rolls back as a whole: the budget lines stay as they were."""
    lines = concept_budget_add(application_a, manager_a)
    first_year = application_a.concept_start_on.year

    with pytest.raises(BudgetRuleError):
        application_update(
            application=application_a,
            by=manager_a,
            concept_start_on=date(first_year + 1, 1, 1),
            concept_end_on=date(first_year + 2, 12, 31),
        )

    assert sorted(application_a.budget_lines.values_list("year", "eligible_amount")) == sorted(
        (line.year, Decimal(line.eligible_amount)) for line in lines
    )
