"""Every API list pages without counting more than ``API_EXACT_COUNT_LIMIT`` rows: the next page
is known by reading one row more; beyond the limit the count is PostgreSQL's estimate and says
so (``count_is_exact``); a page past the end or not a number is a 404 with a message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Organisation

from ..factories import OrganisationFactory
from .conftest import client_for
from .support import call

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.fixture
def organisations(db):
    OrganisationFactory.create_batch(7)
    return Organisation.objects.count()


def test_a_list_below_the_limit_counts_exactly_and_links_the_pages(officer, organisations):
    client = client_for(officer)
    first = call(client, "get", f"{URL}?page_size=3", expect=200)
    assert (first["count"], first["count_is_exact"]) == (organisations, True)
    assert first["previous"] is None
    assert "page=2" in first["next"]
    seen = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = call(client, "get", page["next"], expect=200)
        seen += [row["id"] for row in page["results"]]
    assert sorted(seen) == sorted(Organisation.objects.values_list("pk", flat=True))
    assert len(page["results"]) == (organisations % 3 or 3)  # the last page, and no empty one
    assert page["previous"] is not None


def test_beyond_the_limit_the_count_is_not_exact_and_counts_no_further(
    officer, organisations, settings
):
    settings.API_EXACT_COUNT_LIMIT = 4
    with CaptureQueriesContext(connection) as queries:
        data = call(client_for(officer), "get", f"{URL}?page_size=2", expect=200)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 5" in counts[0]  # counts at most limit + 1 rows
    if connection.vendor == "postgresql":
        assert len(counts) == 1, counts  # then asks the planner
        assert data["count_is_exact"] is False
        assert data["count"] >= 5
    else:  # no planner estimate: SQLite counts the rest (the demo's size)
        assert (data["count"], data["count_is_exact"]) == (organisations, True)
    assert data["next"] is not None
    assert len(data["results"]) == 2


@pytest.mark.parametrize(
    ("page", "message"),
    [("99", "Page 99 is past the last page."), ("x", "“x” is not a page number.")],
)
def test_a_page_that_is_not_there_is_a_404_that_says_why(officer, organisations, page, message):
    data = call(client_for(officer), "get", f"{URL}?page={page}", expect=404)
    assert data["detail"] == message
