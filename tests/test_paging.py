"""Pages read ids first (``kernel.paging``) hold the same rows in the same order as a plain
slice of the list, and the paginator built on it pages like Django's."""

import pytest

from applications.models import Application
from kernel.paging import IdsFirstPaginator, rows_by_ids

from .factories import ApplicationFactory, ClusterFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(programme):
    rounds = [RoundFactory(programme=programme, number=n) for n in (1, 2)]
    for number, name in enumerate(["Zeta", "Alpha", "Mu", "Beta", "Omega"]):
        ApplicationFactory(round=rounds[number % 2], cluster=ClusterFactory(name=name))
    return Application.objects.select_related("cluster").order_by("-round__number", "cluster__name")


@pytest.mark.parametrize(("start", "stop"), [(0, 2), (1, 4), (3, 9), (7, 9)])
def test_rows_by_ids_is_the_slice(applications, start, stop):
    assert rows_by_ids(applications, start, stop) == list(applications[start:stop])


def test_the_paginator_pages_in_order(applications):
    paginator = IdsFirstPaginator(applications, 2)
    pages = [list(paginator.page(n)) for n in paginator.page_range]
    assert [a.cluster.name for page in pages for a in page] == [
        a.cluster.name for a in applications
    ]
    assert [len(page) for page in pages] == [2, 2, 1]
