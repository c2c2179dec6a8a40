"""The panel's decision: ``select`` needs the round's minimum of submitted reviews and a
justification; a rejection's reason is in the history the cluster management reads."""

import pytest
from django.utils import translation

from applications.access import applications_visible_to
from applications.guards import TOO_FEW_REVIEWS
from applications.models import Application, ApplicationTransition
from applications.selectors import COMMENT_REQUIRED, application_history, transition_option
from applications.services import TransitionRefused
from applications.states import State
from competition.models import Recommendation
from competition.services import ScoreInput, review_save_draft, reviewer_assign

from .conftest import REASON_TO_REJECT, fire
from .support import JUSTIFICATION, new_reviewer, review_submitted

pytestmark = pytest.mark.django_db


def stored_state(application: Application) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=application.pk)


def test_select_refused_with_too_few_submitted_reviews(in_review_a, officer, reviewer, criteria):
    """The round asks for 2 (the default); one is submitted: the refusal says 1 of 2."""
    review_submitted(in_review_a, reviewer, officer=officer)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        fire(in_review_a, "select", officer, JUSTIFICATION)

    assert refused.value.code == "too_few_reviews"
    assert refused.value.detail == TOO_FEW_REVIEWS % {
        "submitted": 1,
        "required": 2,
        "round": in_review_a.round.number,
    }
    assert "1 of the 2 required" in refused.value.detail
    assert stored_state(in_review_a) == State.IN_REVIEW
    assert not ApplicationTransition.objects.filter(transition="select").exists()


def test_select_does_not_count_drafts(in_review_a, officer, reviewer, reviewer_2, criteria):
    review_submitted(in_review_a, reviewer, officer=officer)
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer_2, by=officer)
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(c, 5) for c in criteria],
        recommendation=Recommendation.FUND,
        by=reviewer_2,
    )

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        fire(in_review_a, "select", officer, JUSTIFICATION)

    assert refused.value.code == "too_few_reviews"
    assert "1 of the 2 required" in refused.value.detail


def test_select_accepted_with_enough_submitted_reviews(
    in_review_a, officer, reviewer, reviewer_2, criteria
):
    review_submitted(in_review_a, reviewer, officer=officer)
    review_submitted(in_review_a, reviewer_2, officer=officer, recommendation="do_not_fund")

    selected = fire(in_review_a, "select", officer, JUSTIFICATION)

    assert selected.state == State.SELECTED
    assert stored_state(in_review_a) == State.SELECTED


def test_select_minimum_is_data_of_the_round(in_review_a, officer, reviewer, reviewer_2, criteria):
    round_ = in_review_a.round
    round_.min_submitted_reviews = 3
    round_.save()
    for user in (reviewer, reviewer_2):
        review_submitted(in_review_a, user, officer=officer)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        fire(Application.objects.get(pk=in_review_a.pk), "select", officer, JUSTIFICATION)
    assert "2 of the 3 required" in refused.value.detail

    review_submitted(in_review_a, new_reviewer(), officer=officer)
    selected = fire(Application.objects.get(pk=in_review_a.pk), "select", officer, JUSTIFICATION)
    assert selected.state == State.SELECTED


def test_select_option_explains_the_missing_reviews(in_review_a, officer, criteria):
    option = transition_option(in_review_a, "select", officer)

    assert not option.allowed
    assert [refusal.code for refusal in option.refusals] == ["too_few_reviews"]
    assert option.comment_required


@pytest.mark.parametrize("comment", ["", "  \n "], ids=["empty", "blank"])
def test_select_refused_without_a_justification(
    in_review_a, officer, reviewer, reviewer_2, criteria, comment
):
    for user in (reviewer, reviewer_2):
        review_submitted(in_review_a, user, officer=officer)

    with pytest.raises(TransitionRefused) as refused:
        fire(in_review_a, "select", officer, comment)

    assert refused.value.code == "comment_required"
    assert refused.value.detail == COMMENT_REQUIRED % {"transition": "Select"}
    assert stored_state(in_review_a) == State.IN_REVIEW


def test_select_justification_is_kept_in_the_history(
    in_review_a, officer, reviewer, reviewer_2, criteria
):
    for user in (reviewer, reviewer_2):
        review_submitted(in_review_a, user, officer=officer)

    fire(in_review_a, "select", officer, JUSTIFICATION)

    row = ApplicationTransition.objects.get(application=in_review_a, transition="select")
    assert (row.by, row.comment) == (officer, JUSTIFICATION)


def test_reject_reason_is_in_the_history_the_cluster_management_reads(
    in_review_a, officer, manager_a, reviewer, criteria
):
    """The reason reaches the cluster; who reviewed it and how does not (see test_visibility)."""
    review_submitted(in_review_a, reviewer, officer=officer, recommendation="do_not_fund")
    fire(in_review_a, "reject", officer, REASON_TO_REJECT)

    visible = applications_visible_to(manager_a).get(pk=in_review_a.pk)
    history = list(application_history(visible))

    assert history[-1].transition == "reject"
    assert history[-1].comment == REASON_TO_REJECT
    assert {row.by for row in history} == {manager_a, officer}
