"""The API: members and activities of the own cluster only, the survey's shares withheld below
the threshold (also when asking for one cluster, or beside the programme), the demo's rules."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from monitoring.models import Activity, Member

from ..factories import ApplicationFactory
from .support import answer, monitoring_world

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(application_a, cluster_a, programme, manager_a):
    return monitoring_world(cluster_a, programme, manager_a)


def test_an_activity_is_recorded_with_participants_contacts_and_outcomes(world, manager_a):
    response = api(manager_a).post(
        f"/api/v1/clusters/{world.cluster.pk}/activities/",
        {
            "kind": "delegation",
            "title": "Delegation to China",
            "held_on": "2025-09-15",
            "country": "CN",
            "region": "Shanghai",
            "format": "in_person",
            "participants": [m.pk for m in world.members],
            "contacts": [
                {"partner_name": "Tongji University", "country": "CN", "is_known_partner": False}
            ],
            "outcomes": [{"kind": "contract", "concluded_on": "2026-01-20"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["participants"]) == 6
    assert body["contacts"][0]["is_known_partner"] is False
    assert body["outcomes"][0]["kind"] == "contract"


def test_a_bad_activity_answers_400_and_writes_nothing(world, manager_a):
    response = api(manager_a).post(
        f"/api/v1/clusters/{world.cluster.pk}/activities/",
        {
            "kind": "delegation",
            "title": "Too early",
            "held_on": "2025-09-15",
            "country": "CN",
            "region": "Shanghai",
            "format": "virtual",
            "outcomes": [{"kind": "contract", "concluded_on": "2025-01-20"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "2025-01-20" in str(response.json())
    assert not Activity.objects.filter(title="Too early").exists()


def test_a_duplicate_member_answers_400_with_the_name(world, manager_a):
    response = api(manager_a).post(
        f"/api/v1/clusters/{world.cluster.pk}/members/",
        {"name": "Member 1 GmbH", "legal_form": "company", "size_class": "small"},
        format="json",
    )
    assert response.status_code == 400
    assert "Member 1 GmbH" in str(response.json())
    assert Member.objects.filter(name="Member 1 GmbH").count() == 1


def test_the_cluster_and_programme_figures_withhold_four_answers(
    world, officer, manager_a, programme
):
    for token in world.tokens[:4]:
        answer(token)
    own = api(manager_a).get(f"/api/v1/clusters/{world.cluster.pk}/indicators/").json()
    assert own["survey"] == {
        "shown": False,
        "answers": None,
        "knows_measure": None,
        "knows_strategy": None,
        "took_part": None,
        "contacts_known": None,
        "contacts_new": None,
    }
    assert own["programme_survey"]["knows_measure"] is None
    whole = api(officer).get(f"/api/v1/programmes/{programme.pk}/indicators/").json()
    assert whole["survey"]["knows_measure"] is None
    assert [row["survey"]["knows_measure"] for row in whole["clusters"]] == [None]
    assert all(row["survey"]["knows_measure"] is None for row in whole["years"])
    assert all(row["survey"]["knows_measure"] is None for row in whole["rounds"])


def test_a_small_cluster_cannot_be_worked_out_from_the_programme(
    world, officer, manager_a, manager_b, cluster_b, programme, open_round
):
    """Cluster A has 6 answers, cluster B 2: the programme total (8) minus A would give B, so A
    is withheld as well, while the total (8) is shown."""
    for token in world.tokens:
        answer(token, measure=True)
    ApplicationFactory(round=open_round, cluster=cluster_b)
    small = monitoring_world(cluster_b, programme, manager_b, members=2)
    for token in small.tokens:
        answer(token, measure=False)
    whole = api(officer).get(f"/api/v1/programmes/{programme.pk}/indicators/").json()
    shown = {row["name"]: row["survey"]["knows_measure"] for row in whole["clusters"]}
    assert shown == {"Cluster A": None, "Cluster B": None}
    assert whole["survey"]["knows_measure"] == 75  # 6 of 8
    # Cluster B's management sees neither its own two answers nor the programme beside them.
    own = api(manager_b).get(f"/api/v1/clusters/{cluster_b.pk}/indicators/").json()
    assert own["survey"]["knows_measure"] is None
    assert own["programme_survey"]["knows_measure"] == 75  # the rest (6) is enough
    # Cluster A's management would get B's figures from the programme minus its own: withheld.
    a_view = api(manager_a).get(f"/api/v1/clusters/{world.cluster.pk}/indicators/")
    assert a_view.json()["survey"]["knows_measure"] == 100
    assert a_view.json()["programme_survey"]["knows_measure"] is None


def test_another_clusters_activity_is_404(world, manager_b):
    response = api(manager_b).get(f"/api/v1/activities/{world.activity.pk}/")
    assert response.status_code == 404


def test_contacts_and_outcomes_follow_an_activity(world, manager_a):
    client = api(manager_a)
    url = f"/api/v1/activities/{world.activity.pk}/"
    contact = client.post(
        url + "contacts/",
        {"partner_name": "Harvard SEAS", "country": "US", "is_known_partner": True},
        format="json",
    )
    outcome = client.post(
        url + "outcomes/", {"kind": "contract", "concluded_on": "2025-02-01"}, format="json"
    )
    assert (contact.status_code, outcome.status_code) == (201, 201)
    shown = client.get(url).json()
    assert "Harvard SEAS" in {c["partner_name"] for c in shown["contacts"]}
    assert {o["kind"] for o in shown["outcomes"]} == {"memorandum", "contract"}
    too_early = client.post(
        url + "outcomes/", {"kind": "contract", "concluded_on": "2023-02-01"}, format="json"
    )
    assert too_early.status_code == 400
    assert world.activity.outcomes.count() == 2


def test_another_clusters_member_does_not_exist_for_a_management(
    world, manager_b, cluster_b, open_round
):
    own = Member.objects.create(cluster=cluster_b, name="B GmbH", legal_form="non_profit")
    response = api(manager_b).post(
        f"/api/v1/clusters/{cluster_b.pk}/activities/",
        {
            "kind": "workshop",
            "title": "Workshop",
            "held_on": "2025-05-12",
            "country": "FR",
            "region": "Grenoble",
            "format": "in_person",
            "participants": [own.pk, world.members[0].pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert world.members[0].name not in str(response.json())
    assert "does not exist" in str(response.json())


def test_the_workbook_through_the_api_withholds_four_answers(world, officer, programme):
    for token in world.tokens[:4]:
        answer(token)
    response = api(officer).get(f"/api/v1/programmes/{programme.pk}/indicators.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Clusters"].iter_rows(values_only=True))
    assert rows[1][-4:] == ("withheld",) * 4  # cluster A
    assert rows[-1][-4:] == ("withheld",) * 4  # the programme
