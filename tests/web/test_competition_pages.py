"""The competition in the portal: the officers' pages of a round (reviewers and their
assignment, conflicts of interest, every submitted review, the ranking and the decision taken
from it after a confirmation) and the reviewers' own (the review beside the application, its
confirmed submission, their declarations of a conflict of interest).

Officers act; auditors read and get 403 on anything that changes; cluster managements (and a
reviewer, on the officers' pages) find nothing (404); a reviewer sees only their own work. A
refusal writes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.guards import QUOTA_REACHED, TOO_FEW_REVIEWS
from applications.models import Application, ApplicationTransition
from applications.selectors import COMMENT_REQUIRED
from applications.states import State
from competition.models import ConflictOfInterest, Review, ReviewerAssignment
from competition.services import (
    CONFLICT_ALREADY_DECLARED,
    CONFLICT_OF_INTEREST,
    NOT_A_REVIEWER,
    NOT_ASSIGNABLE,
    OWN_CLUSTER,
    REASON_MISSING,
    UNASSIGN_SUBMITTED,
    ScoreInput,
    conflict_declare,
    review_save_draft,
    review_submit,
    reviewer_assign,
)
from competition.views.assignments import ASSIGNMENT_WITHDRAWN, REVIEWER_ASSIGNED
from competition.views.reviews import CONFLICT_DECLARED
from competition.views.rounds import CONFLICT_RECORDED, DECIDED
from programmes.models import ClusterMembership

from ..competition.support import (
    competition_rows,
    criteria_ensure,
    new_reviewer,
    review_submitted,
    reviews_for_selection,
)
from ..factories import ApplicationFactory, ClusterFactory
from .conftest import browser

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The panel recommends funding: a convincing strategy."
STRATEGY = "Photonics with partners in Grenoble and Kyoto."


@pytest.fixture
def in_review(application_a: Application, to_state: Callable[..., Application]) -> Application:
    application_a.strategy_summary = STRATEGY
    application_a.save()
    return to_state(application_a, State.IN_REVIEW)


@pytest.fixture
def criteria(in_review: Application, officer: Any) -> list[Any]:
    return criteria_ensure(in_review.round, officer=officer)


@pytest.fixture
def reviewer(in_review: Application, officer: Any, criteria: list[Any]) -> Any:
    """A jury member assigned to cluster A's outline in review."""
    person = new_reviewer("rita-reviewer")
    reviewer_assign(application=in_review, reviewer=person, by=officer)
    return person


@pytest.fixture
def assignment(reviewer: Any) -> ReviewerAssignment:
    return ReviewerAssignment.objects.get(reviewer=reviewer)


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def said(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def reviewers_url(application: Application) -> str:
    return reverse("competition:reviewers", args=[application.pk])


def ranking_url(application: Application) -> str:
    return reverse("competition:ranking", args=[application.round_id])


def decide_url(application: Application, name: str) -> str:
    return reverse("competition:decide", args=[application.round_id, application.pk, name])


def decision(comment: str = JUSTIFICATION, seen_state: str = State.IN_REVIEW) -> dict[str, str]:
    return {"comment": comment, "seen_state": seen_state}


def officer_pages(application: Application) -> list[str]:
    round_pk = application.round_id
    return [
        reverse("competition:round-assignments", args=[round_pk]),
        reverse("competition:round-conflicts", args=[round_pk]),
        reverse("competition:round-reviews", args=[round_pk]),
        reverse("competition:ranking", args=[round_pk]),
        reviewers_url(application),
    ]


# Who may open and change what


READ_STATUS = {"officer": 200, "auditor": 200, "manager_a": 404, "manager_b": 404, "reviewer": 404}
PERSONAS = (*READ_STATUS, "anonymous")


@pytest.mark.parametrize("persona", PERSONAS)
def test_officer_pages_answer_each_persona(request, persona, in_review, reviewer):
    client = browser(user_of(request, persona))
    for url in officer_pages(in_review):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        else:
            assert response.status_code == READ_STATUS[persona], url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("auditor", 403), ("manager_a", 404), ("manager_b", 404), ("reviewer", 404)],
)
def test_the_decisions_confirmation_is_the_officers(request, persona, status, in_review, reviewer):
    client = browser(user_of(request, persona))
    for name in ("select", "reject"):
        assert client.get(decide_url(in_review, name)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("auditor", 403), ("manager_a", 404), ("manager_b", 404), ("reviewer", 404)],
)
def test_refused_posts_write_nothing(request, persona, status, in_review, assignment, officer):
    reviews_for_selection(in_review, officer=officer)
    assignments = set(ReviewerAssignment.objects.values_list("pk", flat=True))
    client = browser(user_of(request, persona))
    posts = [
        (
            reverse("competition:reviewer-assign", args=[in_review.pk]),
            {"reviewer": new_reviewer().pk},
        ),
        (reverse("competition:reviewer-withdraw", args=[in_review.pk, assignment.pk]), {}),
        (decide_url(in_review, "select"), decision()),
        (decide_url(in_review, "reject"), decision()),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status, url
    assert set(ReviewerAssignment.objects.values_list("pk", flat=True)) == assignments
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


def test_anonymous_posts_are_sent_to_login(in_review, assignment):
    client = browser(None)
    for url in (
        reverse("competition:reviewer-assign", args=[in_review.pk]),
        reverse("competition:reviewer-withdraw", args=[in_review.pk, assignment.pk]),
        decide_url(in_review, "select"),
        reverse("competition:conflicts"),
    ):
        response = client.post(url, {})
        assert response["Location"].startswith(reverse("login")), url
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.fixture
def other_reviewer(db: Any) -> Any:
    return new_reviewer("sam-stranger")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("other_reviewer", 404),
        ("officer", 404),
        ("auditor", 404),
        ("manager_a", 404),
        ("manager_b", 404),
    ],
)
def test_the_review_and_its_confirmation_are_the_reviewers_own(
    request, persona, status, in_review, assignment, criteria
):
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[0], 4)],
        recommendation="fund",
        by=assignment.reviewer,
    )
    client = browser(user_of(request, persona))
    for name in ("competition:review", "competition:review-submit"):
        url = reverse(name, args=[in_review.pk])
        assert client.get(url).status_code == status, url
        assert client.post(url, {"submit": ""}).status_code in {status, 302}, url
    assert Review.objects.get(assignment=assignment).submitted_at is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 404), ("auditor", 404), ("manager_a", 404), ("manager_b", 404)],
)
def test_the_conflicts_page_is_for_jury_members_only(request, persona, status, cluster_a):
    client = browser(user_of(request, persona))
    url = reverse("competition:conflicts")
    assert client.get(url).status_code == status
    assert client.post(url, {"cluster": cluster_a.pk, "reason": "Mine."}).status_code == status
    assert not ConflictOfInterest.objects.exists()


def test_a_reviewer_sees_only_their_own_conflicts(reviewer, other_reviewer, cluster_a, cluster_b):
    conflict_declare(reviewer=reviewer, cluster=cluster_a, reason="Former employee.", by=reviewer)
    response = browser(other_reviewer).get(reverse("competition:conflicts"))
    assert list(response.context["conflicts"]) == []
    assert "Former employee." not in response.content.decode()


# The officers' pages: reviewers and their assignment


def test_the_round_page_links_the_competition(officer, in_review):
    page = browser(officer).get(reverse("reports:round", args=[in_review.round_id]))
    for url in officer_pages(in_review)[:4]:
        assert f'href="{url}"' in page.content.decode()


def test_the_rounds_applications_are_listed_with_their_reviewers(officer, in_review, reviewer):
    response = browser(officer).get(
        reverse("competition:round-assignments", args=[in_review.round_id])
    )
    [listed] = response.context["applications"]
    assert listed == in_review
    assert [a.reviewer for a in listed.reviewer_assignments.all()] == [reviewer]
    assert f'href="{reviewers_url(in_review)}"' in response.content.decode()


def test_jury_members_are_listed_with_their_conflicts_and_assignments(
    officer, in_review, reviewer, cluster_b
):
    sam = new_reviewer("sam-stranger")
    conflict_declare(reviewer=sam, cluster=cluster_b, reason="Former employee.", by=sam)
    response = browser(officer).get(reviewers_url(in_review))
    members = {member.username: member for member in response.context["members"]}
    assert set(members) == {"rita-reviewer", "sam-stranger"}
    assert [c.cluster for c in members["sam-stranger"].declared_conflicts] == [cluster_b]
    assert [a.application for a in members["rita-reviewer"].round_assignments] == [in_review]
    assert response.context["assigned_ids"] == {reviewer.pk}
    assert [a.reviewer for a in response.context["assignments"]] == [reviewer]


@pytest.mark.parametrize("words", ["sam", "SAM strang", "Samuel", "stranger sam"])
def test_the_jury_list_is_searchable_by_name_or_username(officer, in_review, reviewer, words):
    sam = new_reviewer("sam-stranger")
    sam.first_name = "Samuel"
    sam.save()
    response = browser(officer).get(reviewers_url(in_review), {"q": words})
    assert [member.username for member in response.context["members"]] == ["sam-stranger"]


def test_the_auditor_sees_the_assignments_but_neither_jury_list_nor_buttons(
    auditor, in_review, reviewer
):
    response = browser(auditor).get(reviewers_url(in_review))
    assert response.context["members"] is None
    assert [a.reviewer for a in response.context["assignments"]] == [reviewer]
    page = response.content.decode()
    assert reverse("competition:reviewer-assign", args=[in_review.pk]) not in page
    assert "/withdraw/" not in page


def test_officer_assigns_a_jury_member(officer, in_review, criteria):
    sam = new_reviewer("sam-stranger")
    response = browser(officer).post(
        reverse("competition:reviewer-assign", args=[in_review.pk]),
        {"reviewer": sam.pk, "q": "sam"},
    )
    assert response["Location"] == reviewers_url(in_review) + "?q=sam"
    assert said(response) == [REVIEWER_ASSIGNED % {"user": "sam-stranger"}]
    assert ReviewerAssignment.objects.filter(application=in_review, reviewer=sam).exists()


def jury_member_of_cluster_a(cluster_a: Any) -> Any:
    """A jury member who also works for cluster A's management."""
    person = new_reviewer("conny-colleague")
    ClusterMembership.objects.create(user=person, cluster=cluster_a)
    return person


@pytest.mark.parametrize("refusal", ["conflict", "own cluster", "no jury member"])
def test_the_services_refusal_to_assign_is_said_plainly(
    officer, manager_b, in_review, cluster_a, refusal
):
    if refusal == "conflict":
        person = new_reviewer("sam-stranger")
        conflict_declare(reviewer=person, cluster=cluster_a, reason="Related.", by=person)
        expected = CONFLICT_OF_INTEREST % {"user": "sam-stranger", "cluster": cluster_a.name}
    elif refusal == "own cluster":
        person = jury_member_of_cluster_a(cluster_a)
        expected = OWN_CLUSTER % {"user": "conny-colleague", "cluster": cluster_a.name}
    else:
        person = manager_b
        expected = NOT_A_REVIEWER % {"user": manager_b.username}
    response = browser(officer).post(
        reverse("competition:reviewer-assign", args=[in_review.pk]), {"reviewer": person.pk}
    )
    assert response.status_code == 302
    assert said(response) == [expected]
    assert not ReviewerAssignment.objects.filter(reviewer=person).exists()


def test_an_unknown_user_is_refused_with_a_message(officer, in_review):
    response = browser(officer).post(
        reverse("competition:reviewer-assign", args=[in_review.pk]), {"reviewer": 999999}
    )
    assert response.status_code == 302
    assert len(said(response)) == 1
    assert not ReviewerAssignment.objects.exists()


def test_officer_withdraws_an_assignment_with_its_draft(officer, in_review, assignment, criteria):
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[0], 2)],
        recommendation="",
        by=assignment.reviewer,
    )
    response = browser(officer).post(
        reverse("competition:reviewer-withdraw", args=[in_review.pk, assignment.pk])
    )
    assert said(response) == [ASSIGNMENT_WITHDRAWN % {"user": "rita-reviewer"}]
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.exists()


def test_a_submitted_review_keeps_its_assignment(officer, in_review, criteria):
    jury_member = new_reviewer("sam-stranger")
    review = review_submitted(in_review, jury_member, officer=officer)
    client = browser(officer)
    page = client.get(reviewers_url(in_review)).content.decode()
    url = reverse("competition:reviewer-withdraw", args=[in_review.pk, review.assignment_id])
    assert url not in page  # no button for what stays on record
    response = client.post(url)
    assert said(response) == [UNASSIGN_SUBMITTED % {"user": "sam-stranger"}]
    assert ReviewerAssignment.objects.filter(pk=review.assignment_id).exists()


def test_no_jury_list_once_the_application_is_decided(officer, in_review, reviewer):
    Application.objects.filter(pk=in_review.pk).update(state=State.REJECTED)
    response = browser(officer).get(reviewers_url(in_review))
    assert response.context["members"] is None
    assert response.context["not_assignable"] == NOT_ASSIGNABLE % {"state": "rejected"}


def test_another_rounds_assignment_cannot_be_withdrawn_through_this_application(
    officer, in_review, assignment, open_round
):
    other = competition_rows(open_round, officer=officer)
    url = reverse("competition:reviewer-withdraw", args=[other.pk, assignment.pk])
    assert browser(officer).post(url).status_code == 404
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


# Conflicts of interest and reviews of the round


def test_the_rounds_conflicts_are_those_with_its_clusters(officer, in_review, cluster_a):
    inside = new_reviewer("sam-stranger")
    conflict_declare(reviewer=inside, cluster=cluster_a, reason="Former employee.", by=inside)
    outside = new_reviewer("otto-outsider")
    elsewhere = ClusterFactory(name="Not in this round")
    conflict_declare(reviewer=outside, cluster=elsewhere, reason="Co-founder.", by=outside)
    response = browser(officer).get(
        reverse("competition:round-conflicts", args=[in_review.round_id])
    )
    assert [(c.reviewer, c.cluster) for c in response.context["conflicts"]] == [(inside, cluster_a)]
    assert "Former employee." in response.content.decode()
    assert "Co-founder." not in response.content.decode()


def test_every_submitted_review_is_shown_with_scores_and_comments(
    auditor, officer, in_review, assignment, criteria
):
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[0], 1, "Draft words.")],
        recommendation="",
        by=assignment.reviewer,
    )
    submitted = review_submitted(in_review, new_reviewer("sam-stranger"), officer=officer)
    response = browser(auditor).get(reverse("competition:round-reviews", args=[in_review.round_id]))
    assert list(response.context["reviews"]) == [submitted]
    page = response.content.decode()
    for criterion in criteria:
        assert criterion.name in page
    assert "Draft words." not in page
    assert "sam-stranger" in page


def test_review_comments_per_criterion_are_shown(officer, in_review, criteria):
    person = new_reviewer("sam-stranger")
    draft = review_save_draft(
        assignment=reviewer_assign(application=in_review, reviewer=person, by=officer),
        scores=[
            ScoreInput(criteria[0], 4, "A clear strategy."),
            ScoreInput(criteria[1], 3, "Kyoto fits."),
        ],
        recommendation="fund",
        comment="Worth funding.",
        by=person,
    )
    review_submit(review=draft, by=person)
    page = browser(officer).get(reverse("competition:round-reviews", args=[in_review.round_id]))
    for text in ("A clear strategy.", "Kyoto fits.", "Worth funding."):
        assert text in page.content.decode()


# The ranking, and the decision taken from it


def test_ties_share_a_rank_and_the_quota_and_minimum_are_shown(
    officer, in_review, criteria, open_round
):
    other = competition_rows(open_round, officer=officer)  # one review with the top scores
    review_submitted(in_review, new_reviewer(), officer=officer)  # the same scores
    response = browser(officer).get(ranking_url(in_review))
    rows = response.context["rows"]
    assert {row.line.application for row in rows} == {in_review, other}
    assert [(row.line.rank, row.line.is_tied) for row in rows] == [(1, True), (1, True)]
    page = response.content.decode()
    assert page.count("(tie)") == 2
    assert f"0 of {open_round.selection_quota}" in page
    required = open_round.min_submitted_reviews
    assert f"1 of {required} required" in page
    assert f"{required} per application before it can be selected" in page


def test_the_officer_is_offered_the_decisions_and_the_auditor_is_not(
    officer, auditor, in_review, criteria
):
    offered = browser(officer).get(ranking_url(in_review))
    assert [row.decisions for row in offered.context["rows"]] == [["select", "reject"]]
    assert f'href="{decide_url(in_review, "select")}"' in offered.content.decode()
    read = browser(auditor).get(ranking_url(in_review))
    assert [row.decisions for row in read.context["rows"]] == [[]]
    assert "/ranking/" + str(in_review.pk) not in read.content.decode()


def test_officer_selects_from_the_ranking_after_confirming(officer, in_review, criteria):
    reviews_for_selection(in_review, officer=officer)
    client = browser(officer)
    confirm = client.get(decide_url(in_review, "select"))
    assert confirm.context["option"].allowed
    assert confirm.context["line"].application == in_review
    assert "Yes, Select" in confirm.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    response = client.post(decide_url(in_review, "select"), decision())
    assert response["Location"] == ranking_url(in_review)
    assert said(response) == [DECIDED % {"step": "Select", "state": "selected"}]
    in_review.refresh_from_db()
    assert in_review.state == State.SELECTED
    record = ApplicationTransition.objects.get(application=in_review, transition="select")
    assert (record.comment, record.by) == (JUSTIFICATION, officer)
    ranking = client.get(ranking_url(in_review))
    assert ranking.context["ranking"].selected_count == 1


def test_officer_rejects_from_the_ranking(officer, in_review, criteria):
    browser(officer).post(decide_url(in_review, "reject"), decision("Too vague."))
    in_review.refresh_from_db()
    assert in_review.state == State.REJECTED


def test_a_decision_without_its_comment_is_refused(officer, in_review, criteria):
    reviews_for_selection(in_review, officer=officer)
    response = browser(officer).post(decide_url(in_review, "select"), decision(comment=""))
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        COMMENT_REQUIRED % {"transition": "Select"}
    ]
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


def test_too_few_reviews_are_said_before_and_after_confirming(officer, in_review, criteria):
    client = browser(officer)
    expected = TOO_FEW_REVIEWS % {
        "submitted": 0,
        "required": in_review.round.min_submitted_reviews,
        "round": in_review.round.number,
    }
    confirm = client.get(decide_url(in_review, "select"))
    assert expected in [refusal.detail for refusal in confirm.context["option"].refusals]
    assert "Yes, Select" not in confirm.content.decode()
    response = client.post(decide_url(in_review, "select"), decision())
    assert expected in response.context["form"].non_field_errors()
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


def test_a_full_quota_is_said(officer, in_review, criteria, open_round):
    open_round.selection_quota = 1
    open_round.save()
    chosen = competition_rows(open_round, officer=officer)
    reviews_for_selection(chosen, officer=officer)
    browser(officer).post(decide_url(chosen, "select"), decision())
    reviews_for_selection(in_review, officer=officer)
    response = browser(officer).get(decide_url(in_review, "select"))
    expected = QUOTA_REACHED % {"round": open_round.number, "selected": 1, "quota": 1}
    assert [refusal.detail for refusal in response.context["option"].refusals] == [expected]
    assert "1 of 1" in response.content.decode()


def test_a_decision_must_be_one_of_the_ranking_and_of_its_round(
    officer, in_review, criteria, programme
):
    client = browser(officer)
    assert client.get(decide_url(in_review, "start_concept_phase")).status_code == 404
    other_round = reverse(
        "competition:decide",
        args=[ApplicationFactory(round__programme=programme).round_id, in_review.pk, "select"],
    )
    assert client.get(other_round).status_code == 404
    assert client.post(other_round, decision()).status_code == 404
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


# The reviewer's pages


def test_the_review_page_shows_outline_and_budget_beside_the_form(reviewer, in_review, criteria):
    response = browser(reviewer).get(reverse("competition:review", args=[in_review.pk]))
    page = response.content.decode()
    assert STRATEGY in page
    assert in_review.title in page
    region = in_review.partner_regions.get()
    assert region.partner_name in page
    assert "Caps and headroom" in page
    assert response.context["cap_rows"]
    for criterion in criteria:
        assert page.count(criterion.name) == 1  # named once, in its fieldset's legend


def test_reviewer_declares_a_conflict_from_the_review(reviewer, in_review, cluster_a, criteria):
    client = browser(reviewer)
    review = client.get(reverse("competition:review", args=[in_review.pk])).content.decode()
    link = f"{reverse('competition:conflicts')}?cluster={cluster_a.pk}"
    assert f'href="{link}"' in review
    form = client.get(link).context["form"]
    assert str(form["cluster"].value()) == str(cluster_a.pk)
    response = client.post(link, {"cluster": cluster_a.pk, "reason": "My sister works there."})
    assert response["Location"] == reverse("competition:conflicts")
    assert said(response) == [CONFLICT_DECLARED % {"cluster": cluster_a.name}]
    conflict = ConflictOfInterest.objects.get(reviewer=reviewer)
    assert (conflict.cluster, conflict.declared_by) == (cluster_a, reviewer)
    assert not ReviewerAssignment.objects.filter(reviewer=reviewer).exists()


def test_a_conflict_needs_a_reason(reviewer, cluster_a):
    response = browser(reviewer).post(
        reverse("competition:conflicts"), {"cluster": cluster_a.pk, "reason": "  "}
    )
    assert REASON_MISSING in response.context["form"].non_field_errors()
    assert not ConflictOfInterest.objects.exists()
    assert ReviewerAssignment.objects.filter(reviewer=reviewer).exists()


def test_a_conflict_is_declared_once(reviewer, cluster_b):
    conflict_declare(reviewer=reviewer, cluster=cluster_b, reason="Former employee.", by=reviewer)
    response = browser(reviewer).post(
        reverse("competition:conflicts"), {"cluster": cluster_b.pk, "reason": "Again."}
    )
    expected = CONFLICT_ALREADY_DECLARED % {"user": "rita-reviewer", "cluster": cluster_b.name}
    assert expected in response.context["form"].non_field_errors()
    assert ConflictOfInterest.objects.get().reason == "Former employee."


# The number of queries does not grow with the rows


def measured(client: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def grows_flat(
    client: Any, url: str, add_row: Callable[[], None], size: Callable[[Any], int]
) -> None:
    add_row()
    measured(client, url)  # the first request also reads the user's roles
    few, small = measured(client, url)
    for _ in range(4):
        add_row()
    many, large = measured(client, url)
    assert size(large) == size(small) + 4
    assert many == few


def test_the_ranking_page_reads_a_fixed_number_of_queries(officer, in_review, open_round):
    grows_flat(
        browser(officer),
        ranking_url(in_review),
        lambda: competition_rows(open_round, officer=officer),
        lambda response: len(response.context["rows"]),
    )


def test_the_assignment_page_reads_a_fixed_number_of_queries(
    officer, in_review, open_round, cluster_b
):
    other = competition_rows(open_round, officer=officer)

    def busy_jury_member() -> None:
        person = new_reviewer()
        conflict_declare(reviewer=person, cluster=cluster_b, reason="Former employee.", by=person)
        reviewer_assign(application=other, reviewer=person, by=officer)

    grows_flat(
        browser(officer),
        reviewers_url(in_review),
        busy_jury_member,
        lambda response: len(response.context["members"].object_list),
    )


def test_the_rounds_reviewer_page_reads_a_fixed_number_of_queries(officer, open_round):
    grows_flat(
        browser(officer),
        reverse("competition:round-assignments", args=[open_round.pk]),
        lambda: competition_rows(open_round, officer=officer),
        lambda response: len(response.context["applications"]),
    )


def test_the_rounds_reviews_page_reads_a_fixed_number_of_queries(officer, open_round):
    grows_flat(
        browser(officer),
        reverse("competition:round-reviews", args=[open_round.pk]),
        lambda: competition_rows(open_round, officer=officer),
        lambda response: len(response.context["reviews"]),
    )


def test_the_pages_speak_german(officer, in_review, criteria):
    response = browser(officer, "de").get(ranking_url(in_review))
    page = response.content.decode()
    assert "Rangfolge" in page
    assert "Auswählen …" in page


def test_an_application_not_yet_in_review_cannot_be_decided(officer, application_a, to_state):
    submitted = to_state(application_a, State.SUBMITTED)
    response = browser(officer).get(decide_url(submitted, "select"))
    assert response.context["line"] is None
    assert [refusal.code for refusal in response.context["option"].refusals] == ["wrong_state"]
    assert browser(officer).post(decide_url(submitted, "select"), decision()).status_code == 200
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


# Officers record a jury member's conflict on the round's page


def record_conflict_url(application: Application) -> str:
    return reverse("competition:round-conflicts", args=[application.round_id])


def test_an_officer_records_a_jury_members_conflict(officer, in_review, assignment, cluster_a):
    member = assignment.reviewer
    client = browser(officer)
    form = client.get(record_conflict_url(in_review)).context["form"]
    assert list(form.fields["cluster"].queryset) == [cluster_a]
    assert member in form.fields["reviewer"].queryset

    response = client.post(
        record_conflict_url(in_review),
        {"reviewer": member.pk, "cluster": cluster_a.pk, "reason": "Told us by telephone."},
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(reviewer=member, cluster=cluster_a)
    assert (conflict.declared_by, conflict.reason) == (officer, "Told us by telephone.")
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    name = member.get_full_name() or member.username
    expected = CONFLICT_RECORDED % {"user": name, "cluster": cluster_a.name}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    page = client.get(record_conflict_url(in_review)).content.decode()
    assert f"recorded by {officer.username}" in page


def test_a_record_without_reason_shows_the_rule_and_writes_nothing(
    officer, in_review, assignment, cluster_a
):
    data = {"reviewer": assignment.reviewer.pk, "cluster": cluster_a.pk, "reason": "  "}
    response = browser(officer).post(record_conflict_url(in_review), data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [REASON_MISSING]
    assert not ConflictOfInterest.objects.exists()
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


def test_only_jury_members_and_the_rounds_clusters_are_offered(
    officer, in_review, cluster_a, manager_b, assignment
):
    elsewhere = ClusterFactory(name="Not in this round")
    for data, refused_field in (
        ({"reviewer": manager_b.pk, "cluster": cluster_a.pk}, "reviewer"),
        ({"reviewer": assignment.reviewer.pk, "cluster": elsewhere.pk}, "cluster"),
    ):
        response = browser(officer).post(record_conflict_url(in_review), data | {"reason": "R."})
        assert response.status_code == 400
        assert list(response.context["form"].errors) == [refused_field]
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("auditor", 403), ("manager_a", 404), ("manager_b", 404), ("reviewer", 404)],
)
def test_only_officers_record_a_conflict_on_the_rounds_page(
    request, persona, status, in_review, assignment, cluster_a
):
    client = browser(user_of(request, persona))
    data = {"reviewer": assignment.reviewer.pk, "cluster": cluster_a.pk, "reason": "Forged."}
    assert client.post(record_conflict_url(in_review), data).status_code == status
    assert not ConflictOfInterest.objects.exists()
    if persona == "auditor":
        assert client.get(record_conflict_url(in_review)).context["form"] is None
