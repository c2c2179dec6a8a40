"""The competition in the back office: assignments, conflicts and criteria are written through
the services (their refusals shown on the page); reviews and scores are read-only; the lists
read a fixed number of queries."""

from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import competition.admin  # noqa: F401  (registers the models until applications.admin imports it)
from competition.models import (
    ConflictOfInterest,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)
from competition.services import (
    CONFLICT_OF_INTEREST,
    CRITERIA_FROZEN,
    UNASSIGN_SUBMITTED,
    ScoreInput,
    conflict_declare,
    review_save_draft,
    reviewer_assign,
)
from kernel.admin_forms import ServiceRefused

from .support import new_reviewer, review_submitted

pytestmark = [
    pytest.mark.django_db,
    # WhiteNoise warns on every new client until `collectstatic` has run (DEPENDENCIES.md).
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REASON = "I advised the cluster on its strategy last year."


@pytest.fixture(autouse=True)
def plain_static_storage(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def browser(user: Any) -> Client:
    """A logged-in browser reading English; officers and auditors are staff."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def url(model: type, view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_admin_assigns_a_reviewer_through_the_service(in_review_a, officer, reviewer):
    response = browser(officer).post(
        url(ReviewerAssignment, "add"), {"application": in_review_a.pk, "reviewer": reviewer.pk}
    )

    assert response.status_code == 302
    assignment = ReviewerAssignment.objects.get()
    assert (assignment.application, assignment.reviewer, assignment.assigned_by) == (
        in_review_a,
        reviewer,
        officer,
    )


def test_admin_assignment_refused_for_conflict_of_interest_shows_why(
    in_review_a, officer, reviewer
):
    conflict_declare(reviewer=reviewer, cluster=in_review_a.cluster, reason=REASON, by=reviewer)

    response = browser(officer).post(
        url(ReviewerAssignment, "add"), {"application": in_review_a.pk, "reviewer": reviewer.pk}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert CONFLICT_OF_INTEREST % {
        "user": reviewer.username,
        "cluster": in_review_a.cluster.name,
    } in list(errors)
    assert not ReviewerAssignment.objects.exists()


def test_admin_assignment_offers_only_reviewers(in_review_a, officer, reviewer, manager_a):
    response = browser(officer).get(url(ReviewerAssignment, "add"))

    choices = response.context["adminform"].form.fields["reviewer"].queryset
    assert list(choices) == [reviewer]


def test_admin_unassign_removes_a_draft_assignment(in_review_a, officer, reviewer, criteria):
    assignment = reviewer_assign(application=in_review_a, reviewer=reviewer, by=officer)
    review_save_draft(
        assignment=assignment, scores=[ScoreInput(criteria[0], 3)], recommendation="", by=reviewer
    )

    response = browser(officer).post(
        url(ReviewerAssignment, "delete", assignment.pk), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ReviewerAssignment.objects.exists()
    assert not Review.objects.exists()


def test_admin_unassign_refused_after_submission(in_review_a, officer, reviewer, criteria):
    """The submitted review protects its assignment: the page says so and deletes nothing."""
    review = review_submitted(in_review_a, reviewer, officer=officer)

    response = browser(officer).post(
        url(ReviewerAssignment, "delete", review.assignment.pk), {"post": "yes"}
    )

    assert response.status_code == 200
    assert response.context["protected"] == [str(review)]
    assert ReviewerAssignment.objects.filter(pk=review.assignment.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()


def test_admin_unassign_refusal_of_the_service_is_shown(in_review_a, officer, reviewer, criteria):
    """Should the review be submitted between the confirmation page and the deletion, the
    service refuses and the page says why."""
    review = review_submitted(in_review_a, reviewer, officer=officer)
    model_admin = admin.site._registry[ReviewerAssignment]
    request = RequestFactory().post("/")
    request.user = officer

    with pytest.raises(ServiceRefused) as refused:
        model_admin.delete_model(request, review.assignment)

    assert refused.value.reasons == [UNASSIGN_SUBMITTED % {"user": reviewer.username}]
    assert ReviewerAssignment.objects.filter(pk=review.assignment.pk).exists()


def test_admin_criterion_change_refused_once_reviews_exist(
    in_review_a, officer, reviewer, criteria
):
    review_submitted(in_review_a, reviewer, officer=officer)
    criterion = criteria[0]

    response = browser(officer).post(
        url(ReviewCriterion, "change", criterion.pk),
        {
            "name": criterion.name,
            "description": "",
            "weight": "3.00",
            "scale_min": 1,
            "scale_max": 5,
            "order": 0,
        },
    )

    assert response.status_code == 200
    errors = list(response.context["adminform"].form.non_field_errors())
    assert errors == [CRITERIA_FROZEN % {"round": in_review_a.round.number}]
    assert ReviewCriterion.objects.get(pk=criterion.pk).weight == criterion.weight


@pytest.mark.parametrize("model", [Review, ReviewScore])
@pytest.mark.parametrize("persona", ["officer", "auditor"])
def test_admin_reviews_are_read_only(
    in_review_a, officer, reviewer, criteria, model, persona, request
):
    review_submitted(in_review_a, reviewer, officer=officer)
    client = browser(request.getfixturevalue(persona))
    obj = model._default_manager.first()

    assert client.get(url(model, "add")).status_code == 403
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_admin_shows_scores_to_auditor(in_review_a, officer, auditor, reviewer, criteria):
    review = review_submitted(in_review_a, reviewer, officer=officer, scores=[4, 3, 2])

    page = browser(auditor).get(url(Review, "change", review.pk))

    inline = page.context["inline_admin_formsets"][0]
    assert sorted(form.instance.score for form in inline.formset.forms) == [2, 3, 4]


def test_admin_is_closed_to_reviewers(reviewer):
    client = Client()
    client.force_login(reviewer)

    response = client.get(url(Review, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# The lists read a fixed number of queries.


def _reviewed_application(open_round: Any, officer: Any, entrant: Any) -> None:
    application = entrant(open_round)
    review_submitted(application, new_reviewer(), officer=officer)
    conflict_declare(
        reviewer=new_reviewer(), cluster=application.cluster, reason=REASON, by=officer
    )


@pytest.mark.parametrize(
    "model", [ReviewCriterion, ReviewerAssignment, ConflictOfInterest, Review, ReviewScore]
)
def test_admin_changelist_query_count_does_not_grow(open_round, officer, criteria, entrant, model):
    client = browser(officer)
    address = url(model, "changelist")
    for _ in range(2):
        _reviewed_application(open_round, officer, entrant)
    client.get(address)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        first = client.get(address)
    for _ in range(4):
        _reviewed_application(open_round, officer, entrant)
    with CaptureQueriesContext(connection) as many:
        second = client.get(address)

    assert second.status_code == 200
    if model is not ReviewCriterion:  # the criteria are the round's, not per application
        assert second.context["cl"].result_count > first.context["cl"].result_count
    assert len(many.captured_queries) == len(few.captured_queries)
