"""The competition in a real browser: the officer finds a jury member by typing (the list
narrows at once), assigns them, reads the ranking once the reviews are in and selects from it
after the confirmation step; a reviewer reads the application beside the review form and
declares a conflict of interest with its cluster."""

import pytest
from playwright.sync_api import expect

from applications.models import Application, ApplicationTransition
from applications.states import State
from competition.models import ConflictOfInterest, ReviewerAssignment
from competition.services import ScoreInput, review_save_draft, review_submit, reviewer_assign

from ..competition.support import criteria_ensure, new_reviewer, reviews_for_selection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUSTIFICATION = "The panel recommends funding: a convincing strategy."


def named_reviewer(username: str, first: str, last: str):
    person = new_reviewer(username)
    person.first_name, person.last_name = first, last
    person.save()
    return person


def state_of(application: Application) -> str:
    application.refresh_from_db()
    return application.state


def test_officer_assigns_a_reviewer_and_selects_from_the_ranking(
    visitor, officer, application_a, to_state, open_round
):
    in_review = to_state(application_a, State.IN_REVIEW)
    criteria = criteria_ensure(open_round, officer=officer)
    rita = named_reviewer("rita-reviewer", "Rita", "Richter")
    named_reviewer("sam-stranger", "Samuel", "Adler")

    olga = visitor(officer.username, f"pw-{officer.username}")
    page = olga.go(f"/rounds/{open_round.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Reviewers of the applications").click()
    with page.expect_navigation():
        page.locator(f'a[href="/applications/{in_review.pk}/reviewers/"]').click()
    members = page.locator("#jury-members tbody tr")
    expect(members).to_have_count(2)
    page.fill("#id_q", "rich")  # narrows the table while one types, before any request
    expect(page.locator("#jury-members tbody tr:visible")).to_have_count(1)
    expect(page.locator("#jury-members tbody tr:visible")).to_contain_text("Rita Richter")
    olga.shot("competition-01-jury-filtered")
    with page.expect_navigation():
        page.locator("#jury-members tbody tr:visible button").click()
    expect(page.locator(".messages")).to_contain_text("Rita Richter is assigned")
    assignment = ReviewerAssignment.objects.get(application=in_review, reviewer=rita)

    # The jury's reviews come in.
    draft = review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criterion, 4) for criterion in criteria],
        recommendation="fund",
        by=rita,
    )
    review_submit(review=draft, by=rita)
    reviews_for_selection(in_review, officer=officer)

    with page.expect_navigation():
        page.locator(f'a[href="/rounds/{open_round.pk}/assignments/"]').click()
    with page.expect_navigation():
        page.get_by_role("link", name="Ranking", exact=True).click()
    assert page.url.endswith(f"/rounds/{open_round.pk}/ranking/")
    row = page.locator(f"#line-{in_review.pk}")
    expect(row.locator("td").first).to_have_text("1")
    expect(page.locator("main")).to_contain_text(f"0 of {open_round.selection_quota}")
    olga.shot("competition-02-ranking")
    with page.expect_navigation():
        row.get_by_role("link", name="Select …").click()
    expect(page.locator("main h1")).to_contain_text("Select")
    assert state_of(in_review) == State.IN_REVIEW  # nothing happens before the confirmation
    page.fill("main textarea[name=comment]", JUSTIFICATION)
    olga.shot("competition-03-confirm-selection")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, Select").click()
    assert page.url.endswith(f"/rounds/{open_round.pk}/ranking/")
    expect(page.locator(".messages")).to_contain_text("The application is now selected")
    expect(page.locator("main")).to_contain_text(f"1 of {open_round.selection_quota}")
    assert state_of(in_review) == State.SELECTED
    record = ApplicationTransition.objects.get(application=in_review, transition="select")
    assert record.comment == JUSTIFICATION


def test_reviewer_declares_a_conflict_of_interest_from_the_review(
    visitor, officer, application_a, to_state, open_round, cluster_a
):
    in_review = to_state(application_a, State.IN_REVIEW)
    criteria_ensure(open_round, officer=officer)
    rita = named_reviewer("rita-reviewer", "Rita", "Richter")
    reviewer_assign(application=in_review, reviewer=rita, by=officer)

    person = visitor(rita.username, f"pw-{rita.username}")
    page = person.page
    with page.expect_navigation():
        page.locator(f'a[href="/applications/{in_review.pk}/review/"]').click()
    outline = page.locator("section.review-application")
    form = page.locator("section.review-form")
    expect(outline).to_contain_text(in_review.strategy_summary)
    expect(outline).to_contain_text("Caps and headroom")
    outline_box, form_box = outline.bounding_box(), form.bounding_box()
    assert outline_box is not None
    assert form_box is not None
    assert outline_box["x"] + outline_box["width"] <= form_box["x"]  # side by side
    person.shot("competition-04-review-beside-the-application")

    with page.expect_navigation():
        page.get_by_role("link", name="Declare a conflict of interest with this cluster").click()
    expect(page.locator("#id_cluster")).to_have_value(str(cluster_a.pk))
    page.fill("#id_reason", "My sister works for the cluster management.")
    with page.expect_navigation():
        page.get_by_role("button", name="Declare the conflict of interest").click()
    expect(page.locator(".messages")).to_contain_text("is on record")
    expect(page.locator("main table")).to_contain_text(cluster_a.name)
    person.shot("competition-05-conflict-declared")
    conflict = ConflictOfInterest.objects.get(reviewer=rita)
    assert conflict.cluster == cluster_a
    assert not ReviewerAssignment.objects.filter(reviewer=rita).exists()
