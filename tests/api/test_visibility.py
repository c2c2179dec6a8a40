"""Another cluster's objects do not exist for a cluster management: not in detail, lists,
filters, nor as the target of a write."""

import pytest

from ..factories import ApplicationFactory, position
from .support import call

pytestmark = pytest.mark.django_db


def line_body(application_id, grantee_id):
    return {
        "application": application_id,
        "phase": "concept",
        "grantee": grantee_id,
        "year": 2030,
        "position": position("AZA", "0812").pk,
        "eligible_amount": "1.00",
    }


def test_line_for_another_clusters_application_is_refused_as_not_existing(world, api_as):
    manager_b = api_as("manager_b")
    grantee = world.cluster.management_organisation_id
    missing_id = world.concept.pk + 1000

    foreign = call(
        manager_b, "post", "/api/v1/budget-lines/", line_body(world.draft.pk, grantee), expect=400
    )
    missing = call(
        manager_b, "post", "/api/v1/budget-lines/", line_body(missing_id, grantee), expect=400
    )

    assert foreign["fields"]["application"] == [
        message.replace(str(missing_id), str(world.draft.pk))
        for message in missing["fields"]["application"]
    ]


def test_project_of_another_cluster_is_refused_as_not_existing(world, api_as, cluster_b):
    own = ApplicationFactory(round=world.round, cluster=cluster_b, with_region=True)
    body = {
        **line_body(own.pk, cluster_b.management_organisation_id),
        "phase": "implementation",
        "rd_project": world.project.pk,
    }

    error = call(api_as("manager_b"), "post", "/api/v1/budget-lines/", body, expect=400)

    assert list(error["fields"]) == ["rd_project"]
    assert "does not exist" in error["fields"]["rd_project"][0]


def test_lists_leave_out_other_clusters(world, api_as, cluster_b):
    own = ApplicationFactory(round=world.round, cluster=cluster_b, with_region=True)
    manager_b = api_as("manager_b")

    applications = call(manager_b, "get", "/api/v1/applications/", expect=200)
    lines = call(manager_b, "get", "/api/v1/budget-lines/", expect=200)

    assert [item["id"] for item in applications["results"]] == [own.pk]
    assert lines["results"] == []


def test_filter_on_another_clusters_application_matches_nothing(world, api_as):
    found = call(
        api_as("manager_b"),
        "get",
        f"/api/v1/budget-lines/?application={world.draft.pk}",
        expect=200,
    )

    assert found["count"] == 0


def test_nested_objects_of_another_cluster_are_404(world, api_as):
    url = (
        f"/api/v1/applications/{world.concept.pk}/projects/{world.project.pk}/partners/"
        f"{world.abroad_partner.pk}/"
    )

    assert api_as("manager_b").get(url).status_code == 404


def test_object_under_the_wrong_application_is_404(world, api_as):
    """A project id of one application, asked for under another (both A's)."""
    url = f"/api/v1/applications/{world.draft.pk}/projects/{world.project.pk}/"

    assert api_as("manager_a").get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=draft", {"draft"}),
        ("state=concept_phase", {"concept"}),
        ("state=draft&state=concept_phase", {"draft", "concept"}),
        ("state=in_review", {"in_review"}),
        ("sector=ELEKTRONIK%20/%20OPTIK", {"draft", "concept", "in_review"}),
        ("sector=Biotechnologie", set()),
    ],
)
def test_application_filters(world, api_as, query, expected):
    found = call(api_as("officer"), "get", f"/api/v1/applications/?{query}", expect=200)

    ids = {getattr(world, name).pk for name in expected}
    assert {item["id"] for item in found["results"]} == ids


def test_application_filter_by_round_and_cluster(world, api_as, cluster_b):
    ApplicationFactory(round=world.round, cluster=cluster_b)
    officer = api_as("officer")

    in_round = call(officer, "get", f"/api/v1/applications/?round={world.round.pk}", expect=200)
    of_a = call(officer, "get", f"/api/v1/applications/?cluster={world.cluster.pk}", expect=200)

    assert {item["cluster"] for item in in_round["results"]} == {world.cluster.pk, cluster_b.pk}
    assert {item["id"] for item in of_a["results"]} == {
        world.draft.pk,
        world.concept.pk,
        world.in_review.pk,
    }


def test_applications_are_ordered_and_paginated(world, api_as):
    officer = api_as("officer")

    first = call(officer, "get", "/api/v1/applications/?ordering=-state&page_size=1", expect=200)
    second = call(officer, "get", first["next"], expect=200)

    assert first["count"] == 3
    assert [first["results"][0]["state"], second["results"][0]["state"]] == [
        "in_review",
        "draft",
    ]
