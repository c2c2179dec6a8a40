"""The demo's current round: right after loading, round 4 is open and the demo clusters'
drafts can be submitted through the service and through the page; loading again never
creates a second current round, and reopens it once its deadline has passed."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from applications.guards import (
    PARTNER_REGIONS_MISSING,
    STRATEGY_MISSING,
    outline_is_complete,
    round_accepts_outlines,
)
from applications.models import Application
from applications.selectors import rounds_open_for_outlines
from applications.services import application_transition
from applications.states import State
from demo.catalogue import CURRENT_ROUND_NUMBER, USERS
from demo.stories import CURRENT_DRAFTS
from kernel import clock
from programmes.access import Role
from programmes.models import Cluster, Round

from .conftest import load

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
EIGHT_WEEKS = timedelta(weeks=8)


def current_round() -> Round:
    return Round.objects.get(programme__short_name="InterSpiN", number=CURRENT_ROUND_NUMBER)


def draft_of(cluster: str) -> Application:
    return Application.objects.get(round__number=CURRENT_ROUND_NUMBER, cluster__name=cluster)


def noon_eight_weeks_after(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(BERLIN).date() + EIGHT_WEEKS, time(12), BERLIN)


def browser(username: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(User.objects.get(username=username))
    return client


def round_state() -> tuple[object, ...]:
    round_ = current_round()
    return (
        round_.pk,
        round_.call_published_on,
        round_.outline_deadline_at,
        round_.funding_starts_on,
        round_.selection_quota,
        round_.envelope_amount,
    )


def current_applications() -> list[tuple[object, ...]]:
    return list(
        Application.objects.filter(round__number=CURRENT_ROUND_NUMBER)
        .order_by("pk")
        .values_list("pk", "cluster__name", "state", "title", "strategy_summary")
    )


def test_current_round_opens_today_and_closes_in_eight_weeks_at_noon(loaded):
    round_ = current_round()
    now = clock.now()
    assert round_.call_published_on == now.astimezone(BERLIN).date()
    assert round_.outline_deadline_at == noon_eight_weeks_after(now)
    assert round_.outline_deadline_at > now
    assert round_.funding_starts_on.month == round_.funding_starts_on.day == 1
    assert round_.funding_starts_on >= (round_.outline_deadline_at + timedelta(days=183)).date()


def test_current_round_is_open_for_outlines(loaded):
    round_ = current_round()
    its_owl = Cluster.objects.get(name="it's OWL")
    assert round_accepts_outlines.refusals(Application(round=round_, cluster=its_owl)) == []
    assert round_ in rounds_open_for_outlines(its_owl.pk)
    assert "R4 quota 10" in loaded
    assert "(open now)" in loaded


def test_every_demo_cluster_but_one_has_a_draft_in_the_current_round(loaded):
    demo_clusters = {user.cluster for user in USERS if user.role == Role.CLUSTER_MANAGEMENT}
    drafts = Application.objects.filter(round__number=CURRENT_ROUND_NUMBER)
    assert set(drafts.values_list("cluster__name", flat=True)) == demo_clusters - {"it's OWL"}
    assert set(drafts.values_list("state", flat=True)) == {State.DRAFT}
    assert len(CURRENT_DRAFTS) == len(demo_clusters) - 1


def test_some_current_drafts_are_complete_and_some_show_what_is_missing(loaded):
    missing = {
        application.cluster.name: [r.code for r in outline_is_complete.refusals(application)]
        for application in Application.objects.filter(
            round__number=CURRENT_ROUND_NUMBER
        ).select_related("cluster")
    }
    complete = [cluster for cluster, codes in missing.items() if not codes]
    assert len(complete) >= 5
    assert missing["Optence"] == ["partner_regions_missing"]
    assert missing["DeepSea Mining Alliance"] == ["strategy_missing"]
    assert missing["Leichtbau BW"] == ["strategy_missing", "partner_regions_missing"]


def test_a_cluster_management_submits_its_current_draft_through_the_service(loaded):
    draft = draft_of("ARENA2036")
    submitted = application_transition(
        application=draft, name="submit", by=User.objects.get(username="arena2036")
    )
    assert submitted.state == State.SUBMITTED
    assert draft.transitions.get().transition == "submit"


def test_a_cluster_management_submits_its_current_draft_through_the_page(loaded):
    draft = draft_of("MedicalValley EMN")
    client = browser("medicalvalley")
    page = client.get(reverse("applications:detail", args=[draft.pk]))
    submit_url = reverse("applications:transition", args=[draft.pk, "submit"])
    assert "submit" in [option.name for option in page.context["steps"].allowed]
    # Submitting asks for confirmation on a page of its own first.
    assert f'href="{submit_url}"' in page.content.decode()
    assert client.get(submit_url).status_code == 200
    response = client.post(submit_url, {"comment": "", "seen_state": State.DRAFT})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_an_incomplete_current_draft_says_on_its_page_what_is_missing(loaded):
    draft = draft_of("Leichtbau BW")
    page = browser("leichtbau-bw").get(reverse("applications:detail", args=[draft.pk]))
    text = page.content.decode()
    assert STRATEGY_MISSING in text
    assert PARTNER_REGIONS_MISSING in text
    assert [option.name for option in page.context["steps"].blocked] == ["submit"]


def test_the_cluster_without_a_draft_starts_one_from_its_home_page(loaded):
    round_ = current_round()
    client = browser("its-owl")
    home = client.get(reverse("home"))
    create_url = reverse("applications:create", args=[round_.pk])
    assert f'action="{create_url}"' in home.content.decode()
    response = client.post(create_url)
    started = Application.objects.get(round=round_, cluster__name="it's OWL")
    assert response["Location"] == reverse("applications:edit", args=[started.pk])
    assert started.state == State.DRAFT


def test_loading_twice_on_the_same_day_changes_nothing_in_the_current_round(loaded):
    before = (round_state(), current_applications())
    output = load("--force")
    assert (round_state(), current_applications()) == before
    assert "R4 ARENA2036: already there" in output


def test_loading_again_before_the_deadline_keeps_the_round_and_its_deadline(loaded):
    before = (round_state(), current_applications())
    with clock.frozen_at(current_round().outline_deadline_at - timedelta(days=1)):
        load("--force")
    assert (round_state(), current_applications()) == before


def test_loading_again_after_the_deadline_reopens_the_same_round(loaded):
    round_ = current_round()
    draft = draft_of("BioM")
    application_transition(application=draft, name="submit", by=User.objects.get(username="biom"))
    before = current_applications()
    later = round_.outline_deadline_at + timedelta(weeks=3)
    with clock.frozen_at(later):
        load("--force")
        reopened = current_round()
        assert Round.objects.filter(number=CURRENT_ROUND_NUMBER).count() == 1
        assert reopened.pk == round_.pk
        assert reopened.call_published_on == round_.call_published_on
        assert reopened.outline_deadline_at == noon_eight_weeks_after(later)
        assert reopened.funding_starts_on >= round_.funding_starts_on
        assert current_applications() == before
        # The reopened round accepts outlines again at that later moment.
        submitted = application_transition(
            application=draft_of("ARENA2036"),
            name="submit",
            by=User.objects.get(username="arena2036"),
        )
    assert submitted.state == State.SUBMITTED
