"""Who sees which applications, and who may edit an outline."""

import pytest
from django.contrib.auth.models import User

from applications.access import applications_visible_to
from applications.access import can_edit_outline as can_edit_application
from applications.states import State
from programmes.access import Role

from ..factories import ApplicationFactory, user_with_role
from .conftest import fire

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_b(open_round, cluster_b):
    return ApplicationFactory(round=open_round, cluster=cluster_b, with_region=True)


@pytest.fixture
def without_role(db):
    return User.objects.create_user(username="nora-no-role", password="pw-nora")


@pytest.fixture
def manager_without_cluster(db):
    """In the cluster-management group, but not (yet) tied to a cluster."""
    return user_with_role("carl-no-cluster", Role.CLUSTER_MANAGEMENT)


@pytest.fixture
def inactive_officer(db):
    user = user_with_role("ivo-inactive", Role.OFFICER)
    user.is_active = False
    user.save()
    return user


@pytest.mark.parametrize(
    ("user_name", "sees"),
    [
        ("officer", {"a", "b"}),
        ("auditor", {"a", "b"}),
        ("manager_a", {"a"}),
        ("manager_b", {"b"}),
        ("anonymous", set()),
        ("without_role", set()),
        ("manager_without_cluster", set()),
        ("inactive_officer", set()),
    ],
)
def test_visible_to(user_name, sees, application_a, application_b, request):
    user = request.getfixturevalue(user_name)
    by_letter = {"a": application_a.pk, "b": application_b.pk}

    visible = set(applications_visible_to(user).values_list("pk", flat=True))

    assert visible == {by_letter[letter] for letter in sees}


@pytest.mark.parametrize(
    ("user_name", "may_edit_draft"),
    [
        ("officer", True),
        ("manager_a", True),
        ("manager_b", False),
        ("auditor", False),
        ("anonymous", False),
        ("without_role", False),
    ],
)
def test_can_edit_application_draft(user_name, may_edit_draft, application_a, request):
    user = request.getfixturevalue(user_name)

    assert can_edit_application(user, application_a) is may_edit_draft


@pytest.mark.parametrize("user_name", ["officer", "manager_a"])
def test_can_edit_application_not_after_submission(user_name, application_a, manager_a, request):
    """Once submitted, the outline is what the panel judges: nobody edits it."""
    user = request.getfixturevalue(user_name)
    submitted = fire(application_a, "submit", manager_a)

    assert submitted.state == State.SUBMITTED
    assert can_edit_application(user, submitted) is False
