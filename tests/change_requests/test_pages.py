"""The change request pages for every persona: the own cluster's management proposes on the
budget grids and reads, officers decide, auditors read (403 on every write), another cluster's
requests and versions are absent (404), anonymous visitors go to the login page. Lists answer
in the same number of queries at two sizes."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine
from budgets.plan import LineInput
from change_requests.models import ChangeRequest
from change_requests.services import change_request_create, change_request_transition
from change_requests.states import ChangeState

from ..disbursements.conftest import Running
from ..factories import position
from ..web.conftest import browser

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def status_of(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return int(response.status_code)


def moved(running: Running, amount: str = "30000.00") -> list[LineInput]:
    staff = position("AZA", "0812")
    return [
        LineInput(
            "concept", running.management, 2027, staff, Decimal("100000.00") + Decimal(amount)
        ),
        LineInput(
            "concept", running.management, 2028, staff, Decimal("100000.00") - Decimal(amount)
        ),
    ]


def draft_of(running: Running, manager: Any) -> ChangeRequest:
    return change_request_create(application=running.application, lines=moved(running), by=manager)


def refused_one(running: Running, manager: Any, officer: Any) -> ChangeRequest:
    draft = draft_of(running, manager)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager)
    return change_request_transition(
        change_request=submitted, name="refuse", by=officer, comment="Not now"
    )


READS = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 200, "anonymous": "login"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_answer_each_persona(request, persona, running: Running, manager_a):
    draft = draft_of(running, manager_a)
    client = browser(user_of(request, persona))
    detail = client.get(reverse("change_requests:detail", args=[draft.pk]))
    overview = client.get(reverse("change_requests:application", args=[running.application.pk]))
    queue = client.get(reverse("change_requests:queue"))
    assert status_of(detail) == READS[persona]
    assert status_of(overview) == READS[persona]
    assert status_of(queue) == ("login" if persona == "anonymous" else 200)
    if persona in ("officer", "manager_a"):
        assert "130.000,00" in detail.content.decode() or "130,000.00" in detail.content.decode()


WRITES = {"officer": 403, "manager_a": 302, "manager_b": 404, "auditor": 403, "anonymous": "login"}


def grid_post(running: Running) -> dict[str, str]:
    """The concept grid with 10,000.00 moved from 2028 to 2027."""
    staff = position("AZA", "0812")
    prefix = f"c-amount-{running.management.pk}-{staff.pk}"
    application = running.application
    return {
        "reason": "Earlier delegation",
        "concept_end_on": application.concept_end_on.isoformat(),
        "implementation_end_on": application.implementation_end_on.isoformat(),
        f"{prefix}-2027": "110000.00",
        f"{prefix}-2028": "90000.00",
        **implementation_cells(running),
    }


def implementation_cells(running: Running) -> dict[str, str]:
    """The implementation grid as it is (the company and the university in 2028)."""
    lines = BudgetLine.objects.filter(application=running.application, phase="implementation")
    return {
        f"p{line.rd_project_id}-amount-{line.grantee_id}-{line.position_id}-{line.year}": str(
            line.eligible_amount
        )
        for line in lines
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_cluster_management_proposes_on_the_grid(request, persona, running: Running, manager_a):
    draft = change_request_create(application=running.application, by=manager_a)
    client = browser(user_of(request, persona))
    edit = client.post(reverse("change_requests:edit", args=[draft.pk]), grid_post(running))
    submit = client.post(reverse("change_requests:transition", args=[draft.pk, "submit"]))
    assert status_of(edit) == WRITES[persona]
    assert status_of(submit) == WRITES[persona]
    stored = ChangeRequest.objects.get(pk=draft.pk)
    if persona == "manager_a":
        assert stored.state == ChangeState.SUBMITTED
        assert {(line.year, line.eligible_amount) for line in stored.lines.all()} == {
            (2027, Decimal("110000.00")),
            (2028, Decimal("90000.00")),
        }
    else:
        assert stored.state == ChangeState.DRAFT


def test_a_grid_that_breaks_a_cap_shows_the_numbers_and_keeps_nothing(running: Running, manager_a):
    draft = change_request_create(application=running.application, by=manager_a)
    data = grid_post(running)
    staff = position("AZA", "0812")
    data[f"c-amount-{running.management.pk}-{staff.pk}-2027"] = "600000.00"
    data[f"c-amount-{running.management.pk}-{staff.pk}-2028"] = "0"
    answer = browser(manager_a).post(reverse("change_requests:edit", args=[draft.pk]), data)
    assert answer.status_code == 400
    assert "500.000,00" in answer.content.decode() or "500,000.00" in answer.content.decode()
    assert not draft.lines.exists()


DECIDES = {**WRITES, "officer": 302, "manager_a": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_officers_decide(request, persona, running: Running, manager_a):
    draft = draft_of(running, manager_a)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager_a)
    client = browser(user_of(request, persona))
    answer = client.post(reverse("change_requests:transition", args=[submitted.pk, "approve"]))
    assert status_of(answer) == DECIDES[persona]
    approved = ChangeRequest.objects.get(pk=draft.pk).state == ChangeState.APPROVED
    assert approved == (persona == "officer")


def test_the_application_page_links_to_the_versions(running: Running, officer):
    page = browser(officer).get(reverse("applications:detail", args=[running.application.pk]))
    assert reverse("change_requests:application", args=[running.application.pk]) in (
        page.content.decode()
    )


def queries_of(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "name"),
    [("officer", "change_requests:queue"), ("manager_a", "change_requests:application")],
)
def test_list_pages_answer_in_the_same_queries_at_two_sizes(
    request, running: Running, manager_a, officer, persona, name
):
    client = browser(request.getfixturevalue(persona))
    args = [running.application.pk] if name.endswith("application") else []
    url = reverse(name, args=args)
    refused_one(running, manager_a, officer)
    client.get(url)  # warm the session
    small = queries_of(client, url)
    for _ in range(4):
        refused_one(running, manager_a, officer)
    assert queries_of(client, url) == small


def test_the_workbook_page_downloads_each_version(running: Running, manager_a, officer):
    client = browser(officer)
    url = reverse("budgets:workbook", args=[running.application.pk])
    assert client.get(url, {"version": "2"}).status_code == 404
    draft = draft_of(running, manager_a)
    submitted = change_request_transition(change_request=draft, name="submit", by=manager_a)
    change_request_transition(change_request=submitted, name="approve", by=officer)
    assert client.get(url, {"version": "1"}).status_code == 200
    assert client.get(url, {"version": "2"}).status_code == 200
    assert client.get(url, {"version": "3"}).status_code == 404
    assert browser(None).get(url, {"version": "1"}).status_code == 302


def test_the_pages_speak_german(running: Running, manager_a):
    draft = draft_of(running, manager_a)
    client = browser(manager_a)
    page = client.get(
        reverse("change_requests:detail", args=[draft.pk]), headers={"accept-language": "de"}
    )
    text = page.content.decode()
    assert "Plan und Vorschlag im Vergleich" in text
    assert "130.000,00" in text
