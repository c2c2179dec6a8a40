"""E-mail addresses and languages for the personas, tasks that run inside ``enqueue`` (the same
task code as under the worker), and cluster A's application in the concept phase."""

from collections.abc import Callable
from typing import Any

import pytest

from applications.models import Application
from applications.states import State
from notifications.models import MailSettings
from programmes.access import Role

from ..applications.conftest import bring_to
from ..factories import user_with_role

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def addressed(user: Any, language: str) -> Any:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    MailSettings.objects.create(user=user, language=language)
    return user


@pytest.fixture
def mailed(officer, manager_a, manager_b, auditor) -> dict[str, Any]:
    """Everyone with an address: the officer and auditor read English, cluster A's two
    managements and B's German."""
    colleague = user_with_role(
        "carla-colleague-a", Role.CLUSTER_MANAGEMENT, manager_a.cluster_membership.cluster
    )
    return {
        "officer": addressed(officer, "en"),
        "auditor": addressed(auditor, "en"),
        "manager_a": addressed(manager_a, "de"),
        "colleague_a": addressed(colleague, "de"),
        "manager_b": addressed(manager_b, "de"),
    }


@pytest.fixture
def to_state(officer, manager_a) -> Callable[[Application, State], Application]:
    def to_state_(application: Application, state: State) -> Application:
        return bring_to(application, state, officer=officer, manager=manager_a)

    return to_state_


@pytest.fixture
def concept(application_a, to_state) -> Application:
    """Cluster A's application in the concept phase (its workflow deadlines written)."""
    return to_state(application_a, State.CONCEPT_PHASE)
