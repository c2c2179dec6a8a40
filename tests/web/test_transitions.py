"""The steps of the workflow on the application page: the transitions this user may fire as
buttons (with a comment box where one is required), the reasons for those they may not, the
confirmation of the steps that cannot be undone, and the service's refusals shown where they
belong."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.guards import TOO_FEW_REVIEWS
from applications.models import ApplicationTransition
from applications.selectors import COMMENT_REQUIRED
from applications.services import CHANGED_MEANWHILE
from applications.states import State
from budgets.models import Phase
from budgets.violations import Rule, Violation

from ..competition.support import reviews_for_selection
from .conftest import browser

pytestmark = pytest.mark.django_db

REASON = "The partner strategy for Japan needs concrete partners."


def step_url(application, name: str) -> str:
    return reverse("applications:transition", args=[application.pk, name])


def fire(client, application, name: str, comment: str = "", seen_state: str | None = None):
    return client.post(
        step_url(application, name),
        {"comment": comment, "seen_state": seen_state or application.state},
    )


def test_detail_offers_the_officer_the_steps_of_the_state(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    response = browser(officer).get(reverse("applications:detail", args=[application.pk]))
    steps = response.context["steps"]
    assert [o.name for o in steps.allowed] == ["request_revision", "reject"]
    assert [o.name for o in steps.blocked] == ["select"]
    page = response.content.decode()
    assert f'action="{step_url(application, "request_revision")}"' in page
    assert 'id="comment-request_revision" name="comment" rows="2" required' in page
    # Rejecting cannot be undone: it is confirmed on a page of its own.
    assert f'href="{step_url(application, "reject")}"' in page
    assert f'action="{step_url(application, "reject")}"' not in page


def test_detail_shows_why_a_step_is_not_possible(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    response = browser(officer).get(reverse("applications:detail", args=[application.pk]))
    required = application.round.min_submitted_reviews
    expected = TOO_FEW_REVIEWS % {
        "submitted": 0,
        "required": required,
        "round": application.round.number,
    }
    assert expected in response.content.decode()
    assert f'action="{step_url(application, "select")}"' not in response.content.decode()


def test_detail_tells_the_auditor_who_may_act(auditor, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    response = browser(auditor).get(reverse("applications:detail", args=[application.pk]))
    steps = response.context["steps"]
    assert steps.allowed == []
    assert {o.name for o in steps.waiting_for} == {"withdraw", "start_review"}
    assert "<form" not in response.content.decode().split('id="steps"')[1].split("</section>")[0]


def test_officer_starts_the_review(officer, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    response = fire(browser(officer), application, "start_review")
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_a_step_that_needs_a_comment_is_refused_without_one(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    response = fire(browser(officer), application, "reject")
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        COMMENT_REQUIRED % {"transition": "Reject"}
    ]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_the_officers_comment_is_kept_in_the_history(officer, manager_a, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    fire(browser(officer), application, "request_revision", REASON)
    record = ApplicationTransition.objects.get(
        application=application, transition="request_revision"
    )
    assert record.comment == REASON
    assert record.by == officer
    page = browser(manager_a).get(reverse("applications:detail", args=[application.pk]))
    assert REASON in page.content.decode()


def test_a_step_on_a_changed_application_is_refused(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    response = fire(browser(officer), application, "reject", REASON, seen_state=State.SUBMITTED)
    expected = CHANGED_MEANWHILE % {"state": State.IN_REVIEW.label}
    assert response.context["form"].non_field_errors() == [expected]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_a_refused_guard_is_shown_with_its_reason(officer, manager_a, application_a, to_state):
    application = to_state(application_a, State.SELECTED)
    response = fire(browser(officer), application, "start_concept_phase")
    # Without a concept budget the guard refuses, naming the rule.
    with translation.override("en"):
        empty = Violation(Rule.BUDGET_EMPTY, Phase.CONCEPT, params={"phase": Phase.CONCEPT.label})
        assert empty.message in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SELECTED
    assert not application.budget_lines.filter(phase=Phase.CONCEPT).exists()


def test_officer_selects_with_the_panels_justification(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    reviews_for_selection(application, officer=officer)
    fire(browser(officer), application, "select", REASON)
    application.refresh_from_db()
    assert application.state == State.SELECTED


def test_submit_has_a_confirmation_page(manager_a, application_a):
    response = browser(manager_a).get(step_url(application_a, "submit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "can no longer be changed" in page
    assert f'name="seen_state" value="{State.DRAFT}"' in page
    application_a.refresh_from_db()
    assert application_a.state == State.DRAFT


def test_manager_submits_after_confirming(manager_a, application_a):
    response = fire(browser(manager_a), application_a, "submit")
    assert response.status_code == 302
    application_a.refresh_from_db()
    assert application_a.state == State.SUBMITTED
    assert application_a.submitted_at is not None


def test_detail_links_submit_and_withdraw_to_their_confirmation(manager_a, application_a):
    response = browser(manager_a).get(reverse("applications:detail", args=[application_a.pk]))
    page = response.content.decode()
    for name in ("submit", "withdraw"):
        assert f'href="{step_url(application_a, name)}"' in page
        assert f'action="{step_url(application_a, name)}"' not in page


def test_manager_withdraws_after_confirming(manager_a, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    confirm = browser(manager_a).get(step_url(application, "withdraw"))
    assert "cannot be undone" in confirm.content.decode()
    fire(browser(manager_a), application, "withdraw")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("approve_implementation", "changes only through a change request"),
        ("decline_implementation", "cannot be undone"),
    ],
)
def test_implementation_decisions_are_confirmed_first(
    officer, manager_a, application_a, to_state, name, warning
):
    application = to_state(application_a, State.IMPLEMENTATION_PROPOSED)
    client = browser(officer)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert f'href="{step_url(application, name)}"' in detail
    assert f'action="{step_url(application, name)}"' not in detail
    assert warning in client.get(step_url(application, name)).content.decode()
    application.refresh_from_db()
    assert application.state == State.IMPLEMENTATION_PROPOSED


def test_reject_is_confirmed_on_its_own_page(officer, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    confirm = browser(officer).get(step_url(application, "reject"))
    page = confirm.content.decode()
    assert "cannot be undone" in page
    assert 'class="danger"' in page
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_manager_cannot_fire_an_officers_step(manager_a, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    response = fire(browser(manager_a), application, "start_review")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_unknown_step_is_not_found(officer, application_a):
    assert browser(officer).get(step_url(application_a, "approve_everything")).status_code == 404


def test_history_lists_every_step_with_who_and_when(officer, manager_a, application_a, to_state):
    application = to_state(application_a, State.IN_REVIEW)
    response = browser(officer).get(reverse("applications:detail", args=[application.pk]))
    history = list(response.context["history"])
    assert [(t.transition, t.by) for t in history] == [
        ("submit", manager_a),
        ("start_review", officer),
    ]
    assert manager_a.username in response.content.decode()
