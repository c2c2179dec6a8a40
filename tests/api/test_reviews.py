"""The competition through the API: the assignee writes a draft and submits it, the services'
refusals keep their codes and name the criterion, a submitted review does not change, another
reviewer's and another role's view is a 404 or an empty list, and the ranking is the selector's.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from competition.models import (
    REVIEW_SUBMITTED,
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewerAssignment,
    ReviewScore,
)
from competition.selectors import build_round_ranking
from competition.services import (
    CONFLICT_OF_INTEREST,
    CRITERIA_FROZEN,
    CRITERIA_UNSCORED,
    SCORE_OUT_OF_SCALE,
    UNKNOWN_CRITERION,
    criterion_create,
)
from kernel.api.fields import READ_ONLY_FIELD
from programmes.access import Role

from ..competition.support import new_reviewer, review_submitted
from ..factories import ClusterFactory, RoundFactory, user_with_role
from .conftest import World, client_for, in_review
from .support import call

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/review-assignments/"
CONFLICTS = "/api/v1/conflicts-of-interest/"
REVIEWS = "/api/v1/reviews/"


def review_url(assignment_id: int, rest: str = "") -> str:
    return f"{ASSIGNMENTS}{assignment_id}/review/{rest}"


@pytest.fixture
def own_assignment(world: World, api_as, reviewer) -> dict:
    """The ``reviewer`` persona assigned (by the officer, through the API) to A's outline in
    review."""
    return call(
        api_as("officer"),
        "post",
        ASSIGNMENTS,
        {"application": world.in_review.pk, "reviewer": reviewer.pk},
        expect=201,
    )


def draft(world: World, score: int | None, recommendation: str = "fund", **more) -> dict:
    return {
        "recommendation": recommendation,
        "comment": "Convincing partners.",
        "scores": [{"criterion": world.review_criterion.pk, "score": score, "comment": "Clear."}],
        **more,
    }


def test_assignee_saves_a_draft_then_submits(world, api_as, own_assignment, reviewer):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "get", url, expect=404)  # no draft yet

    first = call(jury, "put", url, draft(world, None, recommendation=""), expect=200)
    saved = call(jury, "put", url, draft(world, 4), expect=200)
    submitted = call(jury, "post", url + "submit/", expect=200)

    assert (first["recommendation"], first["scores"][0]["score"]) == ("", None)
    assert saved["id"] == first["id"]
    assert saved["is_submitted"] is False
    assert saved["scores"] == [
        {
            "criterion": world.review_criterion.pk,
            "criterion_name": "Quality of the strategy",
            "score": 4,
            "comment": "Clear.",
        }
    ]
    assert (saved["application"], saved["reviewer"]) == (world.in_review.pk, reviewer.pk)
    assert submitted["is_submitted"] is True
    assert submitted["submitted_at"] is not None
    assert call(jury, "get", url, expect=200) == submitted
    assert call(jury, "get", f"{REVIEWS}{submitted['id']}/", expect=200) == submitted
    stored = Review.objects.get(pk=submitted["id"])
    assert (stored.recommendation, stored.comment) == (Recommendation.FUND, "Convincing partners.")


def test_assignment_shows_the_state_of_its_review(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = f"{ASSIGNMENTS}{own_assignment['id']}/"
    assert (own_assignment["review"], own_assignment["review_submitted_at"]) == (None, None)

    review = call(jury, "put", review_url(own_assignment["id"]), draft(world, 4), expect=200)
    submitted = call(jury, "post", review_url(own_assignment["id"], "submit/"), expect=200)

    shown = call(jury, "get", url, expect=200)
    assert (shown["review"], shown["review_submitted_at"]) == (
        review["id"],
        submitted["submitted_at"],
    )


def test_draft_keeps_what_is_left_out(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "put", url, draft(world, 3), expect=200)

    kept = call(jury, "put", url, {"recommendation": "undecided"}, expect=200)

    assert kept["comment"] == "Convincing partners."
    assert [score["score"] for score in kept["scores"]] == [3]


def test_second_submit_is_refused(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "put", url, draft(world, 4), expect=200)
    call(jury, "post", url + "submit/", expect=200)

    again = call(jury, "post", url + "submit/", expect=400)

    assert again == {
        "code": "review_submitted",
        "detail": REVIEW_SUBMITTED,
        "fields": {"non_field_errors": [REVIEW_SUBMITTED]},
    }


def test_submitted_review_is_immutable(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "put", url, draft(world, 4), expect=200)
    submitted = call(jury, "post", url + "submit/", expect=200)
    stored = Review.objects.get(pk=submitted["id"])

    refused = call(jury, "put", url, draft(world, 1, "do_not_fund", comment="Changed."), expect=400)

    assert refused["code"] == "review_submitted"
    after = Review.objects.get(pk=stored.pk)
    assert (after.recommendation, after.comment, after.updated_at) == (
        stored.recommendation,
        stored.comment,
        stored.updated_at,
    )
    assert list(ReviewScore.objects.filter(review=stored).values_list("score", "comment")) == [
        (4, "Clear.")
    ]
    assert call(jury, "get", url, expect=200) == submitted


@pytest.mark.parametrize("score", [0, 6, -1])
def test_score_out_of_scale_names_the_criterion(world, api_as, own_assignment, score):
    refused = call(
        api_as("reviewer"), "put", review_url(own_assignment["id"]), draft(world, score), expect=400
    )

    assert refused["code"] == "score_out_of_scale"
    assert refused["detail"] == SCORE_OUT_OF_SCALE % {
        "criterion": "Quality of the strategy",
        "min": 1,
        "max": 5,
        "score": score,
    }
    assert not Review.objects.filter(assignment_id=own_assignment["id"]).exists()


def test_criterion_of_another_round_is_refused_by_name(world, api_as, own_assignment):
    body = {"recommendation": "", "scores": [{"criterion": world.criterion.pk, "score": 3}]}

    refused = call(api_as("reviewer"), "put", review_url(own_assignment["id"]), body, expect=400)

    assert refused["code"] == "unknown_criterion"
    assert refused["detail"] == UNKNOWN_CRITERION % {
        "criterion": "Fit of the partner regions",
        "round": world.review_round.number,
    }


def test_criterion_that_does_not_exist_is_a_field_error(world, api_as, own_assignment):
    body = {"recommendation": "", "scores": [{"criterion": 999_999, "score": 3}]}

    refused = call(api_as("reviewer"), "put", review_url(own_assignment["id"]), body, expect=400)

    assert refused["code"] == "invalid"
    assert refused["fields"] == {
        "scores": {"0": {"criterion": ['Invalid pk "999999" - object does not exist.']}}
    }


def test_submit_with_a_criterion_unscored_names_it(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "put", url, draft(world, None), expect=200)

    refused = call(jury, "post", url + "submit/", expect=400)

    assert refused["code"] == "criteria_unscored"
    assert refused["detail"] == CRITERIA_UNSCORED % {"names": "Quality of the strategy"}
    assert Review.objects.get(assignment_id=own_assignment["id"]).submitted_at is None


def test_submit_without_a_recommendation_is_refused(world, api_as, own_assignment):
    jury = api_as("reviewer")
    url = review_url(own_assignment["id"])
    call(jury, "put", url, draft(world, 4, recommendation=""), expect=200)

    refused = call(jury, "post", url + "submit/", expect=400)

    assert refused["code"] == "recommendation_missing"


def test_submit_before_a_draft_is_404(api_as, own_assignment):
    call(api_as("reviewer"), "post", review_url(own_assignment["id"], "submit/"), expect=404)


def test_review_input_refuses_read_only_and_unknown_fields(world, api_as, own_assignment):
    body = {**draft(world, 4), "submitted_at": "2030-01-01T00:00:00Z"}

    refused = call(api_as("reviewer"), "put", review_url(own_assignment["id"]), body, expect=400)

    assert refused["fields"] == {"submitted_at": [str(READ_ONLY_FIELD)]}


def test_another_reviewers_review_is_404(world, api_as, own_assignment):
    """The ``reviewer`` persona has an assignment of its own, but not the jury member's."""
    jury = api_as("reviewer")
    theirs = world.assignment.pk

    call(jury, "get", f"{ASSIGNMENTS}{theirs}/", expect=404)
    call(jury, "get", review_url(theirs), expect=404)
    call(jury, "put", review_url(theirs), draft(world, 1), expect=404)
    call(jury, "post", review_url(theirs, "submit/"), expect=404)
    call(jury, "get", f"{REVIEWS}{world.review.pk}/", expect=404)
    call(jury, "get", f"{CONFLICTS}{world.conflict.pk}/", expect=404)
    assignments = call(jury, "get", ASSIGNMENTS, expect=200)
    assert [item["id"] for item in assignments["results"]] == [own_assignment["id"]]
    assert call(jury, "get", REVIEWS, expect=200)["results"] == []
    assert call(jury, "get", CONFLICTS, expect=200)["results"] == []
    assert Review.objects.get(pk=world.review.pk).recommendation == ""


def test_officer_may_read_but_not_write_a_review(world, api_as):
    officer = api_as("officer")

    shown = call(officer, "get", review_url(world.assignment.pk), expect=200)
    refused = call(officer, "put", review_url(world.assignment.pk), draft(world, 1), expect=403)

    assert shown["id"] == world.review.pk
    assert shown["scores"][0]["score"] == 4
    assert refused["code"] == "permission_denied"


def test_conflict_of_interest_withdraws_the_assignment_and_blocks_assigning(
    world, api_as, own_assignment, reviewer
):
    jury, officer = api_as("reviewer"), api_as("officer")
    call(jury, "put", review_url(own_assignment["id"]), draft(world, 4), expect=200)

    declared = call(
        jury,
        "post",
        CONFLICTS,
        {"cluster": world.cluster.pk, "reason": "My former employer."},
        expect=201,
    )
    call(officer, "get", f"{ASSIGNMENTS}{own_assignment['id']}/", expect=404)
    again = call(
        officer,
        "post",
        ASSIGNMENTS,
        {"application": world.in_review.pk, "reviewer": reviewer.pk},
        expect=400,
    )

    assert (declared["reviewer"], declared["declared_by"]) == (reviewer.pk, reviewer.pk)
    assert not Review.objects.filter(assignment_id=own_assignment["id"]).exists()
    assert again["code"] == "conflict_of_interest"
    assert again["detail"] == CONFLICT_OF_INTEREST % {
        "user": reviewer.get_username(),
        "cluster": world.cluster.name,
    }
    # The other jury member's assignment to the application stays.
    assert ReviewerAssignment.objects.filter(pk=world.assignment.pk).exists()


def test_officer_records_a_conflict_for_a_reviewer(world, api_as, officer):
    body = {
        "cluster": world.cluster.pk,
        "reason": "Board member.",
        "reviewer": world.jury_member.pk,
    }

    declared = call(api_as("officer"), "post", CONFLICTS, body, expect=201)

    assert (declared["reviewer"], declared["declared_by"]) == (world.jury_member.pk, officer.pk)
    assert not ReviewerAssignment.objects.filter(pk=world.assignment.pk).exists()


@pytest.mark.parametrize("someone", ["another_jury_member", "no_such_user"])
def test_reviewer_cannot_declare_for_someone_else_nor_tell_who_exists(world, api_as, someone):
    """Another user's id is refused exactly as an id nobody has: no probing for users."""
    reviewer_id = world.jury_member.pk if someone == "another_jury_member" else 999_999
    body = {"cluster": world.cluster.pk, "reason": "Board member.", "reviewer": reviewer_id}

    refused = call(api_as("reviewer"), "post", CONFLICTS, body, expect=400)

    assert list(refused["fields"]) == ["reviewer"]
    assert refused["fields"]["reviewer"] == [f'Invalid pk "{reviewer_id}" - object does not exist.']
    assert ReviewerAssignment.objects.filter(pk=world.assignment.pk).exists()
    assert not ConflictOfInterest.objects.filter(reason="Board member.").exists()


def test_assigning_a_user_that_does_not_exist_is_a_field_error(world, api_as):
    body = {"application": world.in_review.pk, "reviewer": 999_999}

    refused = call(api_as("officer"), "post", ASSIGNMENTS, body, expect=400)

    assert list(refused["fields"]) == ["reviewer"]


def test_assigning_someone_who_is_no_reviewer_is_refused(world, api_as, manager_b):
    body = {"application": world.in_review.pk, "reviewer": manager_b.pk}

    refused = call(api_as("officer"), "post", ASSIGNMENTS, body, expect=400)

    assert refused["code"] == "not_a_reviewer"


def test_unassigning_withdraws_the_draft(world, api_as):
    call(api_as("officer"), "delete", f"{ASSIGNMENTS}{world.assignment.pk}/", expect=204)

    assert not Review.objects.filter(pk=world.review.pk).exists()


def test_criteria_are_frozen_once_the_round_has_a_review(world, api_as):
    officer = api_as("officer")
    criteria = f"/api/v1/rounds/{world.review_round.pk}/review-criteria/"

    added = call(officer, "post", criteria, {"name": "Novelty"}, expect=400)
    changed = call(
        officer, "patch", f"{criteria}{world.review_criterion.pk}/", {"weight": "1.00"}, expect=400
    )

    frozen = CRITERIA_FROZEN % {"round": world.review_round.number}
    assert (added["code"], added["detail"]) == ("criteria_frozen", frozen)
    assert changed["code"] == "criteria_frozen"
    assert world.review_round.review_criteria.count() == 1


def test_criteria_are_written_by_officers_in_their_shape(world, api_as):
    officer = api_as("officer")
    criteria = f"/api/v1/rounds/{world.round.pk}/review-criteria/"

    added = call(
        officer,
        "post",
        criteria,
        {"name": "Novelty", "weight": "0.5", "scale_min": 0, "scale_max": 10, "order": 2},
        expect=201,
    )
    read_only = call(officer, "post", criteria, {"name": "Reach", "round": 1}, expect=400)
    upside_down = call(officer, "patch", f"{criteria}{added['id']}/", {"scale_max": 0}, expect=400)
    listed = call(api_as("manager_b"), "get", criteria + "?ordering=-order", expect=200)

    assert {key: added[key] for key in ("round", "weight", "scale_min", "scale_max")} == {
        "round": world.round.pk,
        "weight": "0.50",
        "scale_min": 0,
        "scale_max": 10,
    }
    assert read_only["fields"] == {"round": [str(READ_ONLY_FIELD)]}
    assert list(upside_down["fields"]) == ["scale_max"]
    assert [item["name"] for item in listed["results"]] == ["Novelty", world.criterion.name]


def test_criterion_of_another_round_is_404_under_this_one(world, api_as):
    url = f"/api/v1/rounds/{world.round.pk}/review-criteria/{world.review_criterion.pk}/"

    call(api_as("officer"), "get", url, expect=404)


def test_cluster_management_sees_nothing_of_the_competition(world, api_as, own_assignment):
    manager = api_as("manager_a")

    for url in (ASSIGNMENTS, REVIEWS, CONFLICTS):
        assert call(manager, "get", url, expect=200)["results"] == [], url
    for url in (
        f"{ASSIGNMENTS}{world.assignment.pk}/",
        review_url(world.assignment.pk),
        f"{REVIEWS}{world.review.pk}/",
        f"{CONFLICTS}{world.conflict.pk}/",
    ):
        call(manager, "get", url, expect=404)
    refused = call(manager, "get", f"/api/v1/rounds/{world.review_round.pk}/ranking/", expect=403)
    assert refused["code"] == "officers_and_auditors_only"


def test_lists_filter_and_order(world, api_as, own_assignment, reviewer):
    auditor = api_as("auditor")
    jury = api_as("reviewer")
    call(jury, "put", review_url(own_assignment["id"]), draft(world, 4), expect=200)
    mine = call(jury, "post", review_url(own_assignment["id"], "submit/"), expect=200)

    def ids(url):
        return [item["id"] for item in call(auditor, "get", url, expect=200)["results"]]

    # The application in the concept phase was selected with the reviews its round requires.
    selected_with = list(
        Review.objects.filter(assignment__application=world.concept).order_by("pk")
    )
    assert len(selected_with) == world.concept.round.min_submitted_reviews
    assert all(review.submitted_at for review in selected_with)

    assert ids(f"{ASSIGNMENTS}?reviewer={reviewer.pk}") == [own_assignment["id"]]
    assert ids(f"{ASSIGNMENTS}?round={world.round.pk}") == []
    assert set(ids(f"{ASSIGNMENTS}?application={world.in_review.pk}")) == {
        own_assignment["id"],
        world.assignment.pk,
    }
    assert ids(f"{REVIEWS}?submitted=true") == [*(r.pk for r in selected_with), mine["id"]]
    assert ids(f"{REVIEWS}?submitted=false") == [world.review.pk]
    assert ids(f"{REVIEWS}?round={world.review_round.pk}&ordering=-created_at") == [
        mine["id"],
        world.review.pk,
    ]
    assert ids(f"{REVIEWS}?round={world.round.pk}") == []
    assert ids(f"{CONFLICTS}?cluster={world.cluster.pk}") == []
    assert ids(f"{CONFLICTS}?reviewer={world.jury_member.pk}") == [world.conflict.pk]
    first = call(auditor, "get", f"{ASSIGNMENTS}?page_size=1&ordering=-assigned_at", expect=200)
    assert (first["count"], first["results"][0]["id"]) == (
        len(selected_with) + 2,
        own_assignment["id"],
    )


# The ranking: weights 2, 1 and 0.5; means chosen to round and to tie.
RANKED = {
    "Top": [(5, 5, 5), (5, 4, 5)],
    "Tied single": [(5, 5, 1)],  # 31/7
    "Tied pair": [(5, 4, 2), (5, 5, 2)],  # (30/7 + 32/7) / 2 = 31/7
    "Fourth": [(3, 3, 3), (4, 2, 1)],
}


def two_places(value: Decimal | None) -> str | None:
    """As the workbook shows a mean: two places, rounded half up."""
    return None if value is None else str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


@pytest.fixture
def ranked_round(programme, officer):
    round_ = RoundFactory(programme=programme, number=9)
    for order, weight in enumerate(("2.00", "1.00", "0.50")):
        criterion_create(
            round=round_, name=f"Criterion {order}", weight=Decimal(weight), order=order, by=officer
        )
    for name, vectors in {**RANKED, "Not reviewed": []}.items():
        cluster = ClusterFactory(name=name)
        manager = user_with_role(f"manager-{name}", Role.CLUSTER_MANAGEMENT, cluster)
        application = in_review(round_, cluster, manager=manager, officer=officer)
        for vector in vectors:
            review_submitted(application, new_reviewer(), officer=officer, scores=vector)
    return round_


def test_ranking_is_the_selectors(ranked_round, api_as):
    expected = build_round_ranking(ranked_round)

    ranking = call(
        api_as("auditor"), "get", f"/api/v1/rounds/{ranked_round.pk}/ranking/", expect=200
    )

    assert ranking["round"] == ranked_round.pk
    assert [c["id"] for c in ranking["criteria"]] == [c.pk for c in expected.criteria]
    assert [c["weight"] for c in ranking["criteria"]] == ["2.00", "1.00", "0.50"]
    assert ranking["lines"] == [
        {
            "application": line.application.pk,
            "cluster": line.application.cluster_id,
            "cluster_name": line.application.cluster.name,
            "state": line.application.state,
            "rank": line.rank,
            "is_tied": line.is_tied,
            "mean": two_places(line.weighted_mean_display),
            "submitted_count": line.submitted_count,
            "assigned_count": line.assigned_count,
            "required_count": line.required_count,
            "has_enough_reviews": line.has_enough_reviews,
            "recommendations": dict(line.recommendations),
            "criterion_means": [
                {"criterion": c.pk, "mean": two_places(line.criterion_means.get(c.pk))}
                for c in expected.criteria
            ],
        }
        for line in expected.lines
    ]
    by_name = {line["cluster_name"]: line for line in ranking["lines"]}
    assert [(line["cluster_name"], line["rank"]) for line in ranking["lines"]] == [
        ("Top", 1),
        ("Tied pair", 2),
        ("Tied single", 2),
        ("Fourth", 4),
        ("Not reviewed", None),
    ]
    # 31/7 = 4.428…; both of the fourth's reviews weigh out at 10.5 / 3.5 = 3.
    assert [by_name[name]["mean"] for name in ("Tied single", "Tied pair", "Fourth")] == [
        "4.43",
        "4.43",
        "3.00",
    ]
    assert by_name["Fourth"]["criterion_means"][0]["mean"] == "3.50"


def test_ranking_for_a_round_without_reviews_lists_nothing(world, api_as):
    ranking = call(
        api_as("officer"), "get", f"/api/v1/rounds/{world.round.pk}/ranking/", expect=200
    )

    assert (ranking["lines"], [c["id"] for c in ranking["criteria"]]) == ([], [world.criterion.pk])


def test_reviewer_without_assignments_reads_the_criteria_only(world, api_as):
    jury = client_for(world.free_reviewer)

    criteria = call(
        jury, "get", f"/api/v1/rounds/{world.review_round.pk}/review-criteria/", expect=200
    )

    assert [c["id"] for c in criteria["results"]] == [world.review_criterion.pk]
    assert call(jury, "get", ASSIGNMENTS, expect=200)["results"] == []
