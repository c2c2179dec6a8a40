"""The jury members an officer assigns from: listed by name with the clusters they declared a
conflict of interest with, narrowed by ``?search=`` (every word in the username, first or last
name), paginated like every list; for officers only, and read-only."""

import pytest
from django.contrib.auth.models import User

from competition.api.views import JURY_LIST_FOR_OFFICERS
from competition.services import conflict_declare
from programmes.access import Role

from ..competition.support import new_reviewer
from ..factories import user_with_role
from .conftest import client_for
from .support import call

pytestmark = pytest.mark.django_db

URL = "/api/v1/jury-members/"


@pytest.fixture
def jury(db, cluster_b):
    """Three jury members, one with a conflict of interest with cluster B, and one inactive."""
    rosa = new_reviewer("rosa-zander")
    rosa.first_name, rosa.last_name = "Rosa", "Zander"
    rosa.save()
    sam = new_reviewer("sam-stranger")
    sam.first_name, sam.last_name = "Samuel", "Adler"
    sam.save()
    conflict_declare(reviewer=sam, cluster=cluster_b, reason="Former employee.", by=sam)
    new_reviewer("bea-bauer")
    gone = new_reviewer("gone-juror")
    gone.is_active = False
    gone.save()
    return {"rosa": rosa, "sam": sam}


def test_officer_lists_the_jury_by_name_with_their_conflicts(officer, jury, cluster_b):
    data = call(client_for(officer), "get", URL, expect=200)
    assert data["count"] == 3
    assert [member["username"] for member in data["results"]] == [
        "bea-bauer",  # no last name sorts first
        "sam-stranger",
        "rosa-zander",
    ]
    sam = data["results"][1]
    assert sam == {
        "id": jury["sam"].pk,
        "username": "sam-stranger",
        "first_name": "Samuel",
        "last_name": "Adler",
        "full_name": "Samuel Adler",
        "conflict_clusters": [cluster_b.pk],
    }


def test_users_without_the_reviewer_role_are_no_jury_members(officer, manager_a, jury):
    user_with_role("otto-officer-2", Role.OFFICER)
    names = {m["username"] for m in call(client_for(officer), "get", URL, expect=200)["results"]}
    assert "otto-officer-2" not in names
    assert manager_a.username not in names
    assert "gone-juror" not in names


@pytest.mark.parametrize(
    ("search", "found"),
    [("sam", ["sam-stranger"]), ("ZANDER", ["rosa-zander"]), ("samuel adler", ["sam-stranger"])],
)
def test_search_narrows_the_list(officer, jury, search, found):
    data = call(client_for(officer), "get", f"{URL}?search={search}", expect=200)
    assert [member["username"] for member in data["results"]] == found


def test_the_list_is_paginated(officer, jury):
    data = call(client_for(officer), "get", f"{URL}?page_size=2", expect=200)
    assert (data["count"], len(data["results"])) == (3, 2)
    assert data["next"] is not None


@pytest.mark.parametrize("persona", ["auditor", "manager_a", "manager_b", "reviewer"])
def test_only_officers_see_the_jury(request, persona, jury):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"] == JURY_LIST_FOR_OFFICERS


def test_the_jury_list_is_read_only(officer, jury):
    response = client_for(officer).post(URL, {"username": "new-juror"}, format="json")
    assert response.status_code == 405
    assert not User.objects.filter(username="new-juror").exists()
