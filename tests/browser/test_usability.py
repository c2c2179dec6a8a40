"""Keyboard use and a tablet's width, in the real browser."""

import pytest
from playwright.sync_api import expect

from applications.states import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_tab_reaches_the_skip_link_which_jumps_to_the_content(visitor, manager_a):
    martha = visitor(manager_a.username, f"pw-{manager_a.username}")
    page = martha.page
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_a_step_can_be_taken_with_the_keyboard_alone(visitor, officer, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    olga = visitor(officer.username, f"pw-{officer.username}")
    page = olga.go(f"/applications/{application.pk}/")
    page.locator('form[action$="/steps/start_review/"] textarea').focus()
    page.keyboard.type("Complete and in time.")
    page.keyboard.press("Tab")
    expect(page.locator('form[action$="/steps/start_review/"] button')).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_the_budget_grid_fits_a_tablet(visitor, manager_a, application_a, to_state):
    application = to_state(application_a, State.SELECTED)
    martha = visitor(manager_a.username, f"pw-{manager_a.username}", width=768)
    page = martha.go(f"/applications/{application.pk}/budget/concept/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # wide tables scroll inside their box, not the page
    martha.shot("15-tablet-concept-budget")
