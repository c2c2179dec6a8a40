"""The review queue: filters by state, sector and round, search, counts per state, pages of 25,
and a query count that does not grow with the rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services import application_transition
from applications.states import State
from budgets.models import Phase
from budgets.services import budget_line_save
from programmes.access import Role

from ..factories import (
    ApplicationFactory,
    ClusterFactory,
    RoundFactory,
    position,
    user_with_role,
)
from .conftest import browser

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [application.cluster.name for application, _summary in response.context["rows"]]


@pytest.fixture
def queue(open_round, to_state, programme):
    """Four applications: two sectors, two rounds, three states."""
    other_round = RoundFactory(programme=programme, number=2)
    optics = ApplicationFactory(
        round=open_round, cluster=ClusterFactory(name="Optonet", sector="Optik"), with_region=True
    )
    bio = ApplicationFactory(
        round=open_round,
        cluster=ClusterFactory(name="BioRegio", sector="Biotechnologie", location="Regensburg"),
        with_region=True,
    )
    ApplicationFactory(
        round=open_round, cluster=ClusterFactory(name="Solar Valley", sector="Energie")
    )
    ApplicationFactory(
        round=other_round, cluster=ClusterFactory(name="Cool Silicon", sector="Optik")
    )
    return {"optics": optics, "bio": bio, "round": open_round, "other_round": other_round}


def submitted(application, manager):
    return application_transition(application=application, name="submit", by=manager)


def test_queue_filters_by_sector(officer, queue):
    response = browser(officer).get(reverse("applications:list"), {"sector": "Optik"})
    assert sorted(listed(response)) == ["Cool Silicon", "Optonet"]


def test_queue_filters_by_round(officer, queue):
    response = browser(officer).get(
        reverse("applications:list"), {"round": queue["other_round"].pk}
    )
    assert listed(response) == ["Cool Silicon"]


def test_queue_searches_cluster_title_and_location(officer, queue):
    client = browser(officer)
    assert listed(client.get(reverse("applications:list"), {"q": "regensburg"})) == ["BioRegio"]
    assert listed(client.get(reverse("applications:list"), {"q": "optonet goes"})) == ["Optonet"]


def test_queue_filters_by_state_and_counts_every_state(officer, queue, user_in_cluster):
    bio = queue["bio"]
    submitted(bio, user_in_cluster(bio.cluster))
    response = browser(officer).get(reverse("applications:list"), {"state": State.SUBMITTED})
    assert listed(response) == ["BioRegio"]
    counts = dict(response.context["state_counts"])
    assert counts[State.SUBMITTED] == 1
    assert counts[State.DRAFT] == 3  # the counts ignore the state filter, not the others
    assert response.context["total_count"] == 4


def test_queue_counts_follow_the_other_filters(officer, queue):
    response = browser(officer).get(reverse("applications:list"), {"sector": "Optik"})
    counts = dict(response.context["state_counts"])
    assert counts[State.DRAFT] == 2
    assert response.context["total_count"] == 2


def test_queue_shows_each_applications_requested_funding(officer, queue, user_in_cluster):
    optics = queue["optics"]
    budget_line_save(
        application=optics,
        phase=Phase.CONCEPT,
        grantee=optics.cluster.management_organisation,
        year=optics.concept_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("123456.78"),
        by=user_in_cluster(optics.cluster),
    )
    response = browser(officer).get(reverse("applications:list"), {"q": "Optonet"})
    # The cluster management organisation is funded at 100 % without Projektpauschale.
    assert "€123,456.78" in response.content.decode()


def test_queue_pages_have_25_rows(officer, open_round):
    for number in range(27):
        ApplicationFactory(round=open_round, cluster=ClusterFactory(name=f"Cluster {number:02}"))
    client = browser(officer)
    first = client.get(reverse("applications:list"))
    second = client.get(reverse("applications:list"), {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 2
    assert set(listed(first)).isdisjoint(listed(second))


def test_queue_page_links_keep_the_filters(officer, open_round):
    for number in range(26):
        ApplicationFactory(
            round=open_round, cluster=ClusterFactory(name=f"Cluster {number:02}", sector="Optik")
        )
    response = browser(officer).get(reverse("applications:list"), {"sector": "Optik"})
    assert "?sector=Optik&amp;page=2" in response.content.decode()


def queries_for_queue(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow_with_the_rows(officer, open_round, user_in_cluster):
    client = browser(officer)

    def add(count: int) -> None:
        for _ in range(count):
            application = ApplicationFactory(round=open_round, with_region=True)
            budget_line_save(
                application=application,
                phase=Phase.CONCEPT,
                grantee=application.cluster.management_organisation,
                year=application.concept_start_on.year,
                position=position("AZA", "0812"),
                eligible_amount=Decimal("1000.00"),
                by=user_in_cluster(application.cluster),
            )

    add(2)
    few = queries_for_queue(client)
    add(20)
    many = queries_for_queue(client)
    assert many == few


@pytest.fixture
def user_in_cluster(db):
    """The management user of any cluster (created on first use)."""

    def user_in_cluster_(cluster):
        membership = cluster.memberships.select_related("user").first()
        if membership is not None:
            return membership.user
        return user_with_role(f"manager-{cluster.pk}", Role.CLUSTER_MANAGEMENT, cluster)

    return user_in_cluster_
