"""The application's change page: transitions as buttons that go through the one transition
service, its history, its partner regions (drafts only) and its outline, never its state."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from applications.guards import QUOTA_REACHED
from applications.models import Application, ApplicationTransition, PartnerRegion
from applications.selectors import COMMENT_REQUIRED, ONLY_OFFICERS
from applications.services import CHANGED_MEANWHILE, NOT_EDITABLE, application_transition
from applications.states import State
from budgets.violations import Rule

from ..budgets.support import concept_line, select
from ..competition.support import JUSTIFICATION, reviews_for_selection
from ..factories import ApplicationFactory, RoundFactory
from .conftest import form_data, inline_prefix, logged_in, messages_of

pytestmark = pytest.mark.django_db

REASON = "The partner strategy needs to name the regions' clusters."


def change_url(application: Application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


def transition_url(application: Application, name: str) -> str:
    return reverse("admin:applications_application_transition", args=[application.pk, name])


def fire(application: Application, name: str, by: Any, comment: str = "") -> Application:
    return application_transition(application=application, name=name, by=by, comment=comment)


def post_transition(
    client: Client, application: Application, name: str, comment: str = "", state: str = ""
) -> Any:
    return client.post(
        transition_url(application, name),
        {"state": state or application.state, "comment": comment},
    )


def reloaded(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def submitted(application_a, manager_a) -> Application:
    return fire(application_a, "submit", manager_a)


@pytest.fixture
def in_review(submitted, officer) -> Application:
    return fire(submitted, "start_review", officer)


def test_application_change_page_offers_officer_the_transitions_allowed_now(
    officer_client, submitted
):
    response = officer_client.get(change_url(submitted))
    assert response.status_code == 200
    # From "submitted" an officer may only start the review (withdrawing is the cluster's).
    assert [option.name for option in response.context["workflow"]["allowed"]] == ["start_review"]
    html = response.content.decode()
    assert f'action="{transition_url(submitted, "start_review")}"' in html
    assert html.count("/transition/") == 1


def test_application_change_page_lists_refused_transitions_with_reason(officer_client, submitted):
    response = officer_client.get(change_url(submitted))
    refused = {option.name: option for option in response.context["workflow"]["refused"]}
    assert list(refused) == ["withdraw"]
    assert refused["withdraw"].code == "not_permitted"
    assert escape(refused["withdraw"].refusals[0].detail) in response.content.decode()


def test_application_change_page_offers_auditor_no_transition(auditor_client, submitted):
    response = auditor_client.get(change_url(submitted))
    assert response.status_code == 200
    assert response.context["workflow"]["allowed"] == []
    assert "/transition/" not in response.content.decode()


def test_application_transition_by_officer_changes_state_and_writes_history(
    officer_client, officer, submitted
):
    response = post_transition(officer_client, submitted, "start_review")
    assert response.status_code == 302
    assert response["Location"] == change_url(submitted)
    assert reloaded(submitted).state == State.IN_REVIEW
    record = ApplicationTransition.objects.get(application=submitted, transition="start_review")
    assert (record.source_state, record.target_state, record.by) == (
        State.SUBMITTED,
        State.IN_REVIEW,
        officer,
    )
    assert any("in review" in message for message in messages_of(response))


def test_application_transition_by_auditor_is_refused(auditor_client, submitted):
    response = post_transition(auditor_client, submitted, "start_review")
    assert reloaded(submitted).state == State.SUBMITTED
    assert not ApplicationTransition.objects.filter(transition="start_review").exists()
    assert messages_of(response) == [ONLY_OFFICERS % {"transition": "Start review"}]


def test_application_transition_refused_by_guard_shows_the_reason(
    officer_client, officer, programme, cluster_a, manager_a, cluster_b, manager_b
):
    round_ = RoundFactory(programme=programme, number=7, selection_quota=1)
    other = ApplicationFactory(round=round_, cluster=cluster_b, with_region=True)
    other = fire(fire(other, "submit", manager_b), "start_review", officer)
    reviews_for_selection(other, officer=officer)
    other = fire(other, "select", officer, JUSTIFICATION)
    application = ApplicationFactory(round=round_, cluster=cluster_a, with_region=True)
    application = fire(fire(application, "submit", manager_a), "start_review", officer)
    # Reviewed and justified: only the quota stands in the way.
    reviews_for_selection(application, officer=officer)
    reason = QUOTA_REACHED % {"round": 7, "selected": 1, "quota": 1}

    page = officer_client.get(change_url(application))
    refused = {option.name: option for option in page.context["workflow"]["refused"]}
    assert refused["select"].code == "quota_reached"
    assert reason in page.content.decode()

    response = post_transition(officer_client, application, "select", JUSTIFICATION)
    assert reloaded(application).state == State.IN_REVIEW
    assert messages_of(response) == [reason]


def test_application_transition_without_required_comment_is_refused(officer_client, in_review):
    response = post_transition(officer_client, in_review, "reject")
    assert reloaded(in_review).state == State.IN_REVIEW
    assert messages_of(response) == [COMMENT_REQUIRED % {"transition": "Reject"}]


def test_application_transition_keeps_the_comment(officer_client, in_review):
    post_transition(officer_client, in_review, "reject", comment=REASON)
    assert reloaded(in_review).state == State.REJECTED
    assert ApplicationTransition.objects.get(transition="reject").comment == REASON


def test_application_transition_from_a_stale_page_reports_changed_meanwhile(
    officer_client, in_review
):
    response = post_transition(officer_client, in_review, "start_review", state=State.SUBMITTED)
    assert reloaded(in_review).state == State.IN_REVIEW
    assert messages_of(response) == [CHANGED_MEANWHILE % {"state": "in review"}]


def test_application_transition_needs_post(officer_client, submitted):
    response = officer_client.get(transition_url(submitted, "start_review"))
    assert response.status_code == 405
    assert reloaded(submitted).state == State.SUBMITTED


def test_application_transition_needs_csrf_token(officer, submitted):
    client = logged_in(officer, enforce_csrf_checks=True)
    response = post_transition(client, submitted, "start_review")
    assert response.status_code == 403
    assert reloaded(submitted).state == State.SUBMITTED


def test_application_transition_unknown_name_changes_nothing(officer_client, submitted):
    response = post_transition(officer_client, submitted, "approve_everything")
    assert reloaded(submitted).state == State.SUBMITTED
    assert len(messages_of(response)) == 1


def test_application_change_page_shows_history(officer_client, in_review, manager_a, officer):
    response = officer_client.get(change_url(in_review))
    history = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ApplicationTransition
    )
    records = [form.instance for form in history.formset.forms]
    assert [(r.transition, r.by) for r in records] == [
        ("submit", manager_a),
        ("start_review", officer),
    ]
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission


def test_application_state_posted_in_change_form_is_ignored(officer_client, application_a):
    page = officer_client.get(change_url(application_a))
    data = {**form_data(page), "state": State.SELECTED, "title": "A better title"}
    response = officer_client.post(change_url(application_a), data)
    assert response.status_code == 302
    application = reloaded(application_a)
    assert (application.state, application.title) == (State.DRAFT, "A better title")


def test_application_outline_is_read_only_after_submission(officer_client, submitted):
    page = officer_client.get(change_url(submitted))
    assert "title" not in page.context["adminform"].form.fields
    data = {**form_data(page), "title": "Changed after submission"}
    officer_client.post(change_url(submitted), data)
    assert reloaded(submitted).title == submitted.title


def test_application_period_change_refused_by_budget_rules_shows_form_error(
    officer_client, application_a, manager_a, officer
):
    application = select(application_a, manager=manager_a, officer=officer)
    first_year = application.concept_start_on.year
    for year in (first_year, first_year + 1):
        concept_line(application, by=manager_a, year=year, eligible_amount=Decimal("1000.00"))
    page = officer_client.get(change_url(application))
    data = {**form_data(page), "concept_end_on": date(first_year, 12, 31).isoformat()}
    response = officer_client.post(change_url(application), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == [Rule.YEAR_OUTSIDE_PHASE]
    assert str(first_year + 1) in errors[0].messages[0]
    assert reloaded(application).concept_end_on == application.concept_end_on


def test_application_change_is_refused_to_auditor(auditor_client, application_a):
    data = {"title": "Auditors change nothing"}
    response = auditor_client.post(change_url(application_a), data)
    assert response.status_code == 403
    assert reloaded(application_a).title == application_a.title


def test_application_added_through_admin_is_a_draft(officer_client, open_round, cluster_a):
    page = officer_client.get(reverse("admin:applications_application_add"))
    data = {
        **form_data(page),
        "round": open_round.pk,
        "cluster": cluster_a.pk,
        "title": "Cluster A abroad",
        "state": State.SELECTED,
    }
    response = officer_client.post(reverse("admin:applications_application_add"), data)
    assert response.status_code == 302
    application = Application.objects.get(cluster=cluster_a)
    assert application.state == State.DRAFT
    assert application.concept_start_on == open_round.funding_starts_on


def test_application_cannot_be_deleted_in_admin(officer_client, application_a):
    url = reverse("admin:applications_application_delete", args=[application_a.pk])
    assert officer_client.post(url, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application_a.pk).exists()


def _with_new_region(page: Any, data: dict[str, Any]) -> dict[str, Any]:
    prefix = inline_prefix(page, PartnerRegion)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    return {
        **data,
        f"{prefix}-TOTAL_FORMS": index + 1,
        f"{prefix}-{index}-country": "JP",
        f"{prefix}-{index}-region": "Kansai",
        f"{prefix}-{index}-partner_name": "Kansai Science City",
    }


def test_partner_region_added_inline_to_a_draft(officer_client, application_a):
    page = officer_client.get(change_url(application_a))
    response = officer_client.post(
        change_url(application_a), _with_new_region(page, form_data(page))
    )
    assert response.status_code == 302
    regions = application_a.partner_regions.order_by("country")
    assert [(r.country, r.partner_name) for r in regions] == [
        ("FR", "Minalogic"),
        ("JP", "Kansai Science City"),
    ]


def test_partner_region_removed_inline_from_a_draft(officer_client, application_a):
    page = officer_client.get(change_url(application_a))
    data = {**form_data(page), f"{inline_prefix(page, PartnerRegion)}-0-DELETE": "on"}
    response = officer_client.post(change_url(application_a), data)
    assert response.status_code == 302
    assert not application_a.partner_regions.exists()


def test_partner_regions_are_read_only_after_submission(officer_client, submitted):
    page = officer_client.get(change_url(submitted))
    regions = next(
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is PartnerRegion
    )
    assert not regions.has_add_permission
    assert not regions.has_delete_permission
    officer_client.post(change_url(submitted), _with_new_region(page, form_data(page)))
    assert submitted.partner_regions.count() == 1


def test_partner_region_added_on_its_own_page_to_a_submitted_application_is_refused(
    officer_client, submitted
):
    data = {
        "application": submitted.pk,
        "country": "JP",
        "region": "Kansai",
        "partner_name": "Kansai Science City",
    }
    response = officer_client.post(reverse("admin:applications_partnerregion_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [NOT_EDITABLE]
    assert submitted.partner_regions.count() == 1


def test_application_transition_record_cannot_be_changed_or_deleted(officer_client, in_review):
    record = ApplicationTransition.objects.filter(application=in_review).first()
    change = reverse("admin:applications_applicationtransition_change", args=[record.pk])
    delete = reverse("admin:applications_applicationtransition_delete", args=[record.pk])
    assert officer_client.post(change, {"comment": "rewritten"}).status_code == 403
    assert officer_client.post(delete, {"post": "yes"}).status_code == 403
    assert ApplicationTransition.objects.get(pk=record.pk).comment == record.comment


def test_application_page_links_to_its_budget_lines(
    officer_client, officer, application_a, open_round
):
    other = ApplicationFactory(round=open_round)
    for application in (application_a, other):
        year = application.concept_start_on.year
        concept_line(application, by=officer, year=year, eligible_amount=Decimal("10.00"))
    page = officer_client.get(change_url(application_a))
    response = officer_client.get(page.context["workflow"]["lines_url"])
    assert response.status_code == 200
    assert [line.application_id for line in response.context["cl"].result_list] == [
        application_a.pk
    ]
