"""The guards: the round's dates, a complete outline, the comment, the quota, and the budget
checks before the concept phase, the implementation proposal and its approval."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from applications.guards import DEADLINE_PASSED, ROUND_NOT_OPEN
from applications.models import Application
from applications.services import TransitionRefused
from applications.states import State
from budgets.models import Phase
from budgets.services import budget_line_save
from budgets.violations import Rule
from kernel import clock

from ..competition.support import JUSTIFICATION, reviews_for_selection
from ..factories import ApplicationFactory, RoundFactory, position
from .conftest import (
    CONCEPT_AMOUNT_PER_YEAR,
    IMPLEMENTATION_AMOUNT,
    berlin,
    bring_to,
    fire,
    rd_project_add,
)

pytestmark = pytest.mark.django_db

# Round 1 of InterSpiN: call published in December 2014, outlines due on 28 February 2015.
CALL_PUBLISHED_ON = date(2014, 12, 1)
DEADLINE = berlin(2015, 2, 28, 18, 0, 0)
SECOND = timedelta(seconds=1)


@pytest.fixture
def round_1(programme):
    return RoundFactory(
        programme=programme,
        number=1,
        call_published_on=CALL_PUBLISHED_ON,
        outline_deadline_at=DEADLINE,
        funding_starts_on=date(2016, 1, 1),
    )


@pytest.fixture
def outline(round_1, cluster_a):
    """Cluster A's complete outline in round 1."""
    return ApplicationFactory(round=round_1, cluster=cluster_a, with_region=True)


def refusal_codes(refused: pytest.ExceptionInfo[TransitionRefused]) -> list[str]:
    return [refusal.code for refusal in refused.value.refusals]


# The round's dates


def test_submit_refused_before_call_is_published(outline, manager_a):
    with clock.frozen_at(berlin(2014, 11, 30, 23, 59, 59)), pytest.raises(TransitionRefused) as r:
        fire(outline, "submit", manager_a)

    assert r.value.code == "round_not_open"
    assert Application.objects.get(pk=outline.pk).state == State.DRAFT


@pytest.mark.parametrize(("language", "published"), [("en", "1 Dec 2014"), ("de", "01.12.2014")])
def test_not_open_refusal_names_the_call_date_in_the_users_style(
    outline, manager_a, language, published
):
    with translation.override(language):
        with clock.frozen_at(berlin(2014, 11, 30, 12)), pytest.raises(TransitionRefused) as refused:
            fire(outline, "submit", manager_a)
        expected = translation.gettext(ROUND_NOT_OPEN) % {"round": 1, "published": published}

    assert refused.value.detail == expected


def test_submit_accepted_from_midnight_berlin_on_the_day_of_the_call(outline, manager_a):
    """00:00:01 in Berlin is still the previous day in UTC; the call date is a German date."""
    with clock.frozen_at(berlin(2014, 12, 1, 0, 0, 1)):
        submitted = fire(outline, "submit", manager_a)

    assert submitted.state == State.SUBMITTED


def test_submit_accepted_one_second_before_deadline(outline, manager_a):
    with clock.frozen_at(DEADLINE - SECOND):
        submitted = fire(outline, "submit", manager_a)

    assert submitted.state == State.SUBMITTED
    assert Application.objects.get(pk=outline.pk).submitted_at == DEADLINE - SECOND


def test_submit_refused_one_second_after_deadline(outline, manager_a):
    with clock.frozen_at(DEADLINE + SECOND), pytest.raises(TransitionRefused) as refused:
        fire(outline, "submit", manager_a)

    assert refused.value.code == "deadline_passed"
    assert Application.objects.get(pk=outline.pk).state == State.DRAFT


def test_submit_refusal_names_deadline_in_local_time(outline, manager_a):
    """18:00 in Berlin (CET) is 17:00 UTC; the user is told the German time."""
    with (
        translation.override("de"),
        clock.frozen_at(DEADLINE + SECOND),
        pytest.raises(TransitionRefused) as refused,
    ):
        fire(outline, "submit", manager_a)

    assert "28.02.2015, 18:00:00" in refused.value.detail
    assert "28.02.2015, 18:00:01" in refused.value.detail
    assert "17:00" not in refused.value.detail


def test_submit_refusal_names_deadline_in_english_style(outline, manager_a):
    with clock.frozen_at(DEADLINE + SECOND), pytest.raises(TransitionRefused) as refused:
        fire(outline, "submit", manager_a)

    assert refused.value.detail == DEADLINE_PASSED % {
        "round": outline.round.number,
        "deadline": "28 Feb 2015, 18:00:00",
        "now": "28 Feb 2015, 18:00:01",
    }


# A complete outline


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": ""}, "title_missing"),
        ({"title": "  \t"}, "title_missing"),
        ({"strategy_summary": ""}, "strategy_missing"),
        ({"strategy_summary": "\n "}, "strategy_missing"),
        ({"with_region": False}, "partner_regions_missing"),
    ],
    ids=["no-title", "blank-title", "no-strategy", "blank-strategy", "no-region"],
)
def test_submit_refused_for_incomplete_outline(open_round, cluster_a, manager_a, changes, code):
    application = ApplicationFactory(
        round=open_round, cluster=cluster_a, **{"with_region": True, **changes}
    )

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "submit", manager_a)

    assert refused.value.code == code
    assert refusal_codes(refused) == [code]


def test_submit_refusal_lists_every_missing_part(open_round, cluster_a, manager_a):
    application = ApplicationFactory(
        round=open_round, cluster=cluster_a, title="", strategy_summary=""
    )

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "submit", manager_a)

    assert set(refusal_codes(refused)) == {
        "title_missing",
        "strategy_missing",
        "partner_regions_missing",
    }


# The comment


COMMENTED = {
    "request_revision": State.IN_REVIEW,
    "select": State.IN_REVIEW,
    "reject": State.IN_REVIEW,
    "return_implementation": State.IMPLEMENTATION_PROPOSED,
    "decline_implementation": State.IMPLEMENTATION_PROPOSED,
}


@pytest.mark.parametrize("comment", ["", "  \n\t "], ids=["empty", "whitespace"])
@pytest.mark.parametrize("name", COMMENTED)
def test_transition_refused_without_comment(name, comment, application_a, advance, officer):
    application = advance(application_a, COMMENTED[name])

    with pytest.raises(TransitionRefused) as refused:
        fire(application, name, officer, comment)

    assert refused.value.code == "comment_required"
    assert Application.objects.get(pk=application.pk).state == COMMENTED[name]


# The quota


def reviewed(application: Application, officer) -> Application:
    """An application in review with the submitted reviews its round requires, so that only
    the quota can stand in the way of its selection."""
    reviews_for_selection(application, officer=officer)
    return application


def test_select_refused_once_quota_reached(round_with_quota, applicant, officer):
    round_ = round_with_quota(2)
    applicants = [applicant(round_) for _ in range(3)]
    in_review = [
        reviewed(
            bring_to(a.application, State.IN_REVIEW, officer=officer, manager=a.manager), officer
        )
        for a in applicants
    ]
    fire(in_review[0], "select", officer, JUSTIFICATION)
    fire(in_review[1], "select", officer, JUSTIFICATION)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        fire(in_review[2], "select", officer, JUSTIFICATION)

    assert refused.value.code == "quota_reached"
    assert "2 of its 2" in refused.value.detail
    assert Application.objects.get(pk=in_review[2].pk).state == State.IN_REVIEW


def test_select_withdrawn_selection_frees_a_place(round_with_quota, applicant, officer):
    round_ = round_with_quota(2)
    first, second, third = (applicant(round_) for _ in range(3))
    for selected in (first, second):
        bring_to(selected.application, State.SELECTED, officer=officer, manager=selected.manager)
    waiting = bring_to(third.application, State.IN_REVIEW, officer=officer, manager=third.manager)
    reviewed(waiting, officer)
    fire(Application.objects.get(pk=first.application.pk), "withdraw", first.manager)

    selected = fire(waiting, "select", officer, JUSTIFICATION)

    assert selected.state == State.SELECTED


def test_select_rejected_and_withdrawn_do_not_count(round_with_quota, applicant, officer):
    round_ = round_with_quota(1)
    rejected, withdrawn, waiting = (applicant(round_) for _ in range(3))
    bring_to(rejected.application, State.REJECTED, officer=officer, manager=rejected.manager)
    bring_to(withdrawn.application, State.WITHDRAWN, officer=officer, manager=withdrawn.manager)
    application = reviewed(
        bring_to(waiting.application, State.IN_REVIEW, officer=officer, manager=waiting.manager),
        officer,
    )

    assert fire(application, "select", officer, JUSTIFICATION).state == State.SELECTED


def test_select_closed_and_completed_count_against_quota(round_with_quota, applicant, officer):
    """Closed and completed applications were selected: they keep their place in the quota."""
    round_ = round_with_quota(2)
    closed, completed, waiting = (applicant(round_) for _ in range(3))
    bring_to(closed.application, State.CLOSED, officer=officer, manager=closed.manager)
    bring_to(completed.application, State.COMPLETED, officer=officer, manager=completed.manager)
    application = reviewed(
        bring_to(waiting.application, State.IN_REVIEW, officer=officer, manager=waiting.manager),
        officer,
    )

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        fire(application, "select", officer, JUSTIFICATION)

    assert refused.value.code == "quota_reached"
    assert "2 of its 2" in refused.value.detail


def test_select_quota_is_per_round(round_with_quota, applicant, officer):
    full, other = round_with_quota(1), round_with_quota(1)
    taken = applicant(full)
    bring_to(taken.application, State.SELECTED, officer=officer, manager=taken.manager)
    elsewhere = applicant(other)
    application = reviewed(
        bring_to(
            elsewhere.application, State.IN_REVIEW, officer=officer, manager=elsewhere.manager
        ),
        officer,
    )

    assert fire(application, "select", officer, JUSTIFICATION).state == State.SELECTED


# The concept budget


def test_start_concept_phase_refused_with_empty_budget(application_a, advance, officer):
    application = advance(application_a, State.SELECTED)

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "start_concept_phase", officer)

    assert refused.value.code == Rule.BUDGET_EMPTY
    assert refusal_codes(refused) == [Rule.BUDGET_EMPTY]


def test_start_concept_phase_refused_over_annual_cap(
    application_a, advance, officer, manager_a, programme
):
    """The caps are data: lowered after the plan was written, the plan no longer passes."""
    application = advance(application_a, State.SELECTED)
    year = application.concept_start_on.year
    budget_line_save(
        application=application,
        phase=Phase.CONCEPT,
        grantee=application.cluster.management_organisation,
        year=year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("500000.00"),
        by=manager_a,
    )
    programme.concept_annual_cap_amount = Decimal("400000.00")
    programme.save()

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "start_concept_phase", officer)

    assert refused.value.code == Rule.CONCEPT_ANNUAL_CAP
    (violation,) = refused.value.refusals[0].violations
    # The management organisation is funded at 100 %: grant = eligible amount.
    assert (violation.scope, violation.limit, violation.actual, violation.excess) == (
        str(year),
        Decimal("400000.00"),
        Decimal("500000.00"),
        Decimal("100000.00"),
    )
    assert Application.objects.get(pk=application.pk).state == State.SELECTED


# The implementation plan


def test_propose_implementation_refused_without_projects(application_a, advance, manager_a):
    application = advance(application_a, State.CONCEPT_PHASE)

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "propose_implementation", manager_a)

    assert refused.value.code == Rule.NO_RD_PROJECTS
    assert Rule.NO_RD_PROJECTS in refusal_codes(refused)


def test_propose_implementation_refused_for_project_without_partner_abroad(
    application_a, advance, manager_a
):
    application = advance(application_a, State.CONCEPT_PHASE)
    project = rd_project_add(application, manager_a, partner_abroad=False)

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "propose_implementation", manager_a)

    assert refusal_codes(refused) == [Rule.PROJECT_WITHOUT_PARTNER_ABROAD]
    assert refused.value.refusals[0].violations[0].scope == f"project:{project.pk}"


@pytest.mark.parametrize(
    "partners",
    [{"german_partner": True, "funded": False}, {"german_partner": False}],
    ids=["german-partner-without-budget", "no-german-partner"],
)
def test_propose_implementation_refused_for_project_without_funded_german_partner(
    application_a, advance, manager_a, partners
):
    """Beside a complete project, a project whose German side gets no grant is refused."""
    application = advance(application_a, State.CONCEPT_PHASE)
    rd_project_add(application, manager_a, title="Complete project")
    lacking = rd_project_add(application, manager_a, title="Lacking project", **partners)

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "propose_implementation", manager_a)

    assert refusal_codes(refused) == [Rule.PROJECT_WITHOUT_FUNDED_GERMAN_PARTNER]
    assert refused.value.refusals[0].violations[0].scope == f"project:{lacking.pk}"


def test_propose_implementation_accepted_with_complete_projects(application_a, advance, manager_a):
    application = advance(application_a, State.CONCEPT_PHASE)
    for title in ("First project", "Second project", "Third project"):
        rd_project_add(application, manager_a, title=title)

    proposed = fire(application, "propose_implementation", manager_a)

    assert proposed.state == State.IMPLEMENTATION_PROPOSED


# The approval

# A small company is funded at 70 %; in integer cents, independently of the arithmetic module.
IMPLEMENTATION_FUNDING_CENTS = int(IMPLEMENTATION_AMOUNT * 100) * 70 // 100
CONCEPT_FUNDING_CENTS = 2 * int(CONCEPT_AMOUNT_PER_YEAR * 100)


def cents(amount: Decimal | int | None) -> int:
    assert amount is not None
    return int(Decimal(amount) * 100)


def test_approve_implementation_refused_over_implementation_cap(
    application_a, advance, officer, programme
):
    application = advance(application_a, State.IMPLEMENTATION_PROPOSED)
    programme.implementation_cap_amount = Decimal("50000.00")
    programme.save()

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "approve_implementation", officer)

    assert refused.value.code == Rule.IMPLEMENTATION_CAP
    violation = refused.value.refusals[0].violations[0]
    assert cents(violation.actual) == IMPLEMENTATION_FUNDING_CENTS
    assert cents(violation.excess) == IMPLEMENTATION_FUNDING_CENTS - 50_000_00
    assert Application.objects.get(pk=application.pk).state == State.IMPLEMENTATION_PROPOSED


def test_approve_implementation_refused_over_cluster_cap(
    application_a, advance, officer, programme
):
    """Both phases together must stay within the per-cluster cap."""
    application = advance(application_a, State.IMPLEMENTATION_PROPOSED)
    programme.cluster_cap_amount = Decimal("250000.00")
    programme.save()

    with pytest.raises(TransitionRefused) as refused:
        fire(application, "approve_implementation", officer)

    assert refusal_codes(refused) == [Rule.CLUSTER_CAP]
    violation = refused.value.refusals[0].violations[0]
    total = CONCEPT_FUNDING_CENTS + IMPLEMENTATION_FUNDING_CENTS
    assert (cents(violation.limit), cents(violation.actual), cents(violation.excess)) == (
        250_000_00,
        total,
        total - 250_000_00,
    )


def test_approve_implementation_accepted_within_caps(application_a, advance, officer):
    application = advance(application_a, State.IMPLEMENTATION_PROPOSED)

    assert fire(application, "approve_implementation", officer).state == State.IMPLEMENTATION_PHASE
