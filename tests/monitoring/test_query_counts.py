"""Flat in the number of members, activities, contacts, outcomes and answers: every page and
API route of the app answers in as many queries with many as with few."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from monitoring.services import OutcomeInput, activity_record

from ..web.conftest import browser
from .support import answer, delegation, members_add, monitoring_world

pytestmark = pytest.mark.django_db


def grow(world, manager, times: int, prefix: str) -> None:
    members = members_add(world.cluster, 4 * times, manager, prefix=prefix)
    for n in range(times):
        activity_record(
            cluster=world.cluster,
            given=delegation(
                members[n * 4 : n * 4 + 4],
                title=f"{prefix} {n}",
                held_on=date(2020 + n % 5, 5, 1),
                outcomes=[OutcomeInput("contract", date(2026, 1, 1))],
            ),
            by=manager,
        )


def counts(world, officer, manager, programme) -> dict[str, int]:
    pages = {
        manager: [
            reverse("monitoring:cluster", args=[world.cluster.pk]),
            reverse("monitoring:members", args=[world.cluster.pk]),
            reverse("monitoring:activity", args=[world.activity.pk]),
            f"/api/v1/clusters/{world.cluster.pk}/members/",
            f"/api/v1/clusters/{world.cluster.pk}/activities/",
            f"/api/v1/clusters/{world.cluster.pk}/surveys/",
            f"/api/v1/clusters/{world.cluster.pk}/indicators/",
            f"/api/v1/activities/{world.activity.pk}/",
        ],
        officer: [
            reverse("monitoring:dashboard", args=[programme.pk]),
            reverse("monitoring:programme-workbook", args=[programme.pk]),
            f"/api/v1/programmes/{programme.pk}/indicators/",
        ],
    }
    found = {}
    for user, urls in pages.items():
        client = browser(user)
        api = APIClient()
        api.force_authenticate(user)
        for url in urls:
            getter = api if url.startswith("/api/") else client
            getter.get(url)  # warm the caches of a first request
            with CaptureQueriesContext(connection) as queries:
                assert getter.get(url).status_code == 200, url
            found[url] = len(queries)
    return found


def test_pages_and_api_answer_in_the_same_queries_at_two_sizes(
    application_a, cluster_a, programme, officer, manager_a
):
    world = monitoring_world(cluster_a, programme, manager_a)
    grow(world, manager_a, 2, "Small")
    small = counts(world, officer, manager_a, programme)
    grow(world, manager_a, 12, "Large")
    for token in world.tokens:
        answer(token)
    large = counts(world, officer, manager_a, programme)
    assert small == large
