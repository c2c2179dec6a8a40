"""The reviewers' pages: their assigned applications and the review form (draft, then submit;
a submitted review is shown and never changed)."""

import pytest
from django.urls import reverse

from applications.states import State
from competition.models import Review
from competition.services import CRITERIA_UNSCORED, reviewer_assign

from ..competition.support import criteria_ensure, new_reviewer
from .conftest import browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(application_a, to_state):
    return to_state(application_a, State.IN_REVIEW)


@pytest.fixture
def criteria(in_review, officer):
    return criteria_ensure(in_review.round, officer=officer)


@pytest.fixture
def reviewer(in_review, officer, criteria):
    person = new_reviewer("rita-reviewer")
    reviewer_assign(application=in_review, reviewer=person, by=officer)
    return person


def review_url(application) -> str:
    return reverse("competition:review", args=[application.pk])


def answers(criteria, scores, recommendation="fund", **extra) -> dict[str, str]:
    data = {f"score-{c.pk}": str(s) for c, s in zip(criteria, scores, strict=True)}
    return {**data, "recommendation": recommendation, "comment": "Convincing.", **extra}


def test_reviewer_home_lists_the_assigned_applications(reviewer, in_review):
    client = browser(reviewer)
    assert client.get(reverse("home"))["Location"] == reverse("competition:reviews")
    response = client.get(reverse("competition:reviews"))
    assert [a.application for a in response.context["assignments"]] == [in_review]
    assert review_url(in_review) in response.content.decode()


def test_another_reviewer_sees_neither_list_nor_form(reviewer, in_review):
    stranger = new_reviewer("sam-stranger")
    client = browser(stranger)
    assert list(client.get(reverse("competition:reviews")).context["assignments"]) == []
    assert client.get(review_url(in_review)).status_code == 404


def test_the_clusters_management_cannot_open_the_review(manager_a, reviewer, in_review):
    assert browser(manager_a).get(review_url(in_review)).status_code == 404


def test_reviewer_saves_a_draft(reviewer, in_review, criteria):
    response = browser(reviewer).post(
        review_url(in_review), {**answers(criteria, [4, ""]), "save": ""}
    )
    assert response.status_code == 302
    review = Review.objects.get(assignment__reviewer=reviewer)
    assert review.submitted_at is None
    assert {s.criterion_id: s.score for s in review.scores.all()} == {
        criteria[0].pk: 4,
        criteria[1].pk: None,
    }


def submit_url(application) -> str:
    return reverse("competition:review-submit", args=[application.pk])


def test_submit_saves_the_draft_and_asks_for_a_confirmation(reviewer, in_review, criteria):
    client = browser(reviewer)
    response = client.post(review_url(in_review), {**answers(criteria, [5, 3]), "submit": ""})
    assert response["Location"] == submit_url(in_review)
    review = Review.objects.get(assignment__reviewer=reviewer)
    assert review.submitted_at is None
    confirm = client.get(submit_url(in_review))
    assert [(c, s.score) for c, s in confirm.context["rows"]] == [
        (criteria[0], 5),
        (criteria[1], 3),
    ]
    review.refresh_from_db()
    assert review.submitted_at is None


def test_reviewer_submits_a_complete_review_after_confirming(reviewer, in_review, criteria):
    client = browser(reviewer)
    client.post(review_url(in_review), {**answers(criteria, [5, 3]), "submit": ""})
    response = client.post(submit_url(in_review))
    assert response["Location"] == review_url(in_review)
    review = Review.objects.get(assignment__reviewer=reviewer)
    assert review.submitted_at is not None
    assert review.recommendation == "fund"


def test_an_incomplete_review_is_kept_as_draft_and_says_what_is_missing(
    reviewer, in_review, criteria
):
    client = browser(reviewer)
    client.post(review_url(in_review), {**answers(criteria, [5, ""]), "submit": ""})
    response = client.post(submit_url(in_review))
    expected = CRITERIA_UNSCORED % {"names": criteria[1].name}
    assert expected in response.context["errors"]
    review = Review.objects.get(assignment__reviewer=reviewer)
    assert review.submitted_at is None


def test_a_submitted_review_is_shown_and_cannot_be_changed(reviewer, in_review, criteria):
    client = browser(reviewer)
    client.post(review_url(in_review), {**answers(criteria, [5, 3]), "submit": ""})
    client.post(submit_url(in_review))
    response = client.post(review_url(in_review), {**answers(criteria, [1, 1]), "save": ""})
    assert response.context["is_submitted"]
    review = Review.objects.get(assignment__reviewer=reviewer)
    assert sorted(s.score for s in review.scores.all()) == [3, 5]


def test_the_reviewer_reads_the_application_but_cannot_change_it(reviewer, in_review):
    client = browser(reviewer)
    assert client.get(reverse("applications:detail", args=[in_review.pk])).status_code == 200
    assert client.get(reverse("applications:edit", args=[in_review.pk])).status_code == 403
