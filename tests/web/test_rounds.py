"""The rounds for officers and auditors: committed grants against the envelope, selections
against the quota, and charts drawn on the server with text labels."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.states import State
from budgets.models import Phase
from budgets.services import budget_line_save

from ..applications.conftest import CONCEPT_AMOUNT_PER_YEAR, bring_to
from ..factories import ApplicationFactory, ClusterFactory, position, user_with_role
from .conftest import browser

pytestmark = pytest.mark.django_db


def cluster_manager(cluster):
    return user_with_role(f"manager-{cluster.pk}", "cluster management", cluster)


@pytest.fixture
def round_with_applications(open_round, officer, application_a, manager_a, to_state):
    """Cluster A selected with a concept budget (committed); a draft of another sector with
    a budget that is not committed."""
    selected = to_state(application_a, State.SELECTED)
    for offset in (0, 1):
        budget_line_save(
            application=selected,
            phase=Phase.CONCEPT,
            grantee=selected.cluster.management_organisation,
            year=selected.concept_start_on.year + offset,
            position=position("AZA", "0812"),
            eligible_amount=CONCEPT_AMOUNT_PER_YEAR,
            by=manager_a,
        )
    draft = ApplicationFactory(
        round=open_round, cluster=ClusterFactory(name="Solar Valley", sector="Energie")
    )
    budget_line_save(
        application=draft,
        phase=Phase.CONCEPT,
        grantee=draft.cluster.management_organisation,
        year=draft.concept_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("77777.00"),
        by=cluster_manager(draft.cluster),
    )
    return open_round


def test_round_page_shows_committed_against_the_envelope(auditor, round_with_applications):
    response = browser(auditor).get(reverse("reports:round", args=[round_with_applications.pk]))
    overview = response.context["overview"]
    committed = 2 * CONCEPT_AMOUNT_PER_YEAR  # the selected cluster's; the draft's is not
    assert overview.committed.funding_amount == committed
    page = response.content.decode()
    assert f"€{committed:,.2f} of €{round_with_applications.envelope_amount:,.2f}" in page
    headroom = round_with_applications.envelope_amount - committed
    assert f"€{headroom:,.2f}" in page


def test_round_page_shows_selections_against_the_quota(officer, round_with_applications):
    response = browser(officer).get(reverse("reports:round", args=[round_with_applications.pk]))
    assert response.context["quota_text"] == f"1 of {round_with_applications.selection_quota}"


def test_round_page_draws_its_charts_as_svg_with_labels(officer, round_with_applications):
    response = browser(officer).get(reverse("reports:round", args=[round_with_applications.pk]))
    page = response.content.decode()
    assert page.count("<svg") == 4
    assert "Committed grants per sector (round 1)" in page
    assert ">Elektronik / Optik</text>" in page  # the selected cluster's sector
    assert ">Energie</text>" not in page  # a draft commits nothing
    assert f">{State.SELECTED.label}</text>" in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_rounds_page_lists_every_round_with_its_figures(auditor, round_with_applications):
    response = browser(auditor).get(reverse("reports:rounds"))
    [overview] = response.context["overviews"]
    assert overview.selected_count == 1
    assert "Committed grants per round, against the envelope" in response.content.decode()


def test_round_page_links_each_application(officer, round_with_applications, application_a):
    response = browser(officer).get(reverse("reports:round", args=[round_with_applications.pk]))
    assert reverse("applications:detail", args=[application_a.pk]) in response.content.decode()


def test_round_page_query_count_does_not_grow_with_the_applications(officer, open_round, manager_a):
    client = browser(officer)
    url = reverse("reports:round", args=[open_round.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add(number: int) -> None:
        for _ in range(number):
            application = ApplicationFactory(round=open_round, with_region=True)
            bring_to(
                application,
                State.SELECTED,
                officer=officer,
                manager=cluster_manager(application.cluster),
            )

    add(1)
    few = count()
    add(4)
    assert count() == few


def test_round_table_pages_25_rows_by_cluster_name_and_counts_from_the_rounds_sums(
    officer, open_round
):
    for number in range(27):
        ApplicationFactory(round=open_round, cluster=ClusterFactory(name=f"Cluster {number:02}"))
    client = browser(officer)
    url = reverse("reports:round", args=[open_round.pk])
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url)
    second = client.get(url, {"page": 2})
    names = [row.application.cluster.name for row in first.context["rows"]]
    assert names == [f"Cluster {number:02}" for number in range(25)]
    assert [row.application.cluster.name for row in second.context["rows"]] == [
        "Cluster 25",
        "Cluster 26",
    ]
    assert "27 applications" in first.content.decode()
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]  # known from the sums
