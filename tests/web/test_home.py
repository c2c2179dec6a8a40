"""The home page: a cluster management's applications with state, next step and deadline; an
open call to start from; officers and auditors land on their task list (issue 14), which
leads to the review queue and the rounds."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats, timezone, translation

from applications.guards import TITLE_MISSING
from applications.models import Application
from applications.services import ALREADY_APPLIED
from applications.states import State

from ..factories import ApplicationFactory, RoundFactory
from .conftest import browser

pytestmark = pytest.mark.django_db


def test_home_lists_the_clusters_applications_with_state_and_deadline(manager_a, application_a):
    response = browser(manager_a).get(reverse("home"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.application == application_a
    assert row.deadline == application_a.round.outline_deadline_at
    page = response.content.decode()
    assert application_a.title in page
    assert str(State.DRAFT.label) in page
    with translation.override("en"):
        deadline = formats.date_format(
            timezone.localtime(application_a.round.outline_deadline_at), "SHORT_DATETIME_FORMAT"
        )
    assert deadline in page


def test_home_next_step_links_to_submit_when_it_is_allowed(manager_a, application_a):
    response = browser(manager_a).get(reverse("home"))
    url = reverse("applications:transition", args=[application_a.pk, "submit"])
    assert f'href="{url}"' in response.content.decode()


def test_home_next_step_says_why_submitting_is_not_possible_yet(manager_a, application_a):
    Application.objects.filter(pk=application_a.pk).update(title="")
    response = browser(manager_a).get(reverse("home"))
    page = response.content.decode()
    assert TITLE_MISSING in page
    url = reverse("applications:transition", args=[application_a.pk, "submit"])
    assert f'href="{url}"' not in page


def test_home_shows_whose_turn_it_is_after_submitting(manager_a, application_a, to_state):
    to_state(application_a, State.SUBMITTED)
    response = browser(manager_a).get(reverse("home"))
    [row] = response.context["rows"]
    assert [option.name for option in row.steps.waiting_for] == ["start_review"]
    assert row.deadline is None


def test_home_offers_the_open_round_without_an_application(manager_a, programme, cluster_a):
    round_ = RoundFactory(programme=programme)
    response = browser(manager_a).get(reverse("home"))
    assert response.context["open_rounds"] == [round_]
    assert reverse("applications:create", args=[round_.pk]) in response.content.decode()


def test_home_does_not_offer_a_round_whose_deadline_passed(manager_a, programme):
    RoundFactory(programme=programme, outline_deadline_at=timezone.now() - timedelta(hours=1))
    response = browser(manager_a).get(reverse("home"))
    assert response.context["open_rounds"] == []


def test_start_an_application_creates_the_clusters_draft(manager_a, programme, cluster_a):
    round_ = RoundFactory(programme=programme)
    response = browser(manager_a).post(reverse("applications:create", args=[round_.pk]))
    application = Application.objects.get(round=round_)
    assert application.cluster == cluster_a
    assert application.state == State.DRAFT
    assert response["Location"] == reverse("applications:edit", args=[application.pk])


def test_start_an_application_twice_is_refused_with_the_reason(manager_a, application_a):
    client = browser(manager_a)
    response = client.post(
        reverse("applications:create", args=[application_a.round.pk]), follow=True
    )
    expected = ALREADY_APPLIED % {
        "cluster": application_a.cluster.name,
        "round": application_a.round.number,
    }
    assert expected in response.content.decode()
    assert Application.objects.filter(round=application_a.round).count() == 1


def test_officers_cannot_start_an_application_for_a_cluster(officer, open_round):
    response = browser(officer).post(reverse("applications:create", args=[open_round.pk]))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_officer_home_is_the_task_list_leading_to_the_review_queue(officer):
    # Issue 14: every role's home shows its task list; the queue and rounds are a click away.
    response = browser(officer).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "notifications/home.html"
    page = response.content.decode()
    assert f'href="{reverse("applications:list")}"' in page
    assert f'href="{reverse("reports:rounds")}"' in page


def test_auditor_home_is_the_task_list_leading_to_the_rounds(auditor):
    response = browser(auditor).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "notifications/home.html"
    assert f'href="{reverse("reports:rounds")}"' in response.content.decode()


def test_user_without_role_is_told_so(db):
    user = User.objects.create_user("nobody", password="x")
    response = browser(user).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "applications/home_no_role.html"


def test_home_of_another_cluster_shows_nothing_of_cluster_a(manager_b, application_a):
    response = browser(manager_b).get(reverse("home"))
    assert response.context["rows"] == []
    assert application_a.title not in response.content.decode()


def test_home_lists_applications_of_every_round_newest_first(manager_a, cluster_a, programme):
    old = ApplicationFactory(round=RoundFactory(programme=programme, number=1), cluster=cluster_a)
    new = ApplicationFactory(round=RoundFactory(programme=programme, number=2), cluster=cluster_a)
    response = browser(manager_a).get(reverse("home"))
    assert [row.application for row in response.context["rows"]] == [new, old]
