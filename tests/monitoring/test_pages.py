"""The pages for every persona: the cluster's own management, officers and auditors read;
another cluster's management finds nothing (404); auditors may not write (403); the anonymous
are sent to log in, except on the survey's own page."""

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from monitoring.models import Activity, Contact, Member, SurveyAnswer

from ..web.conftest import browser
from .support import answer, monitoring_world

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "manager_a", "manager_b", "auditor", "anonymous")
READS = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 200}
WRITES = {"officer": 200, "manager_a": 200, "manager_b": 404, "auditor": 403}
PROGRAMME_READS = {"officer": 200, "manager_a": 403, "manager_b": 403, "auditor": 200}


@pytest.fixture
def world(application_a, cluster_a, programme, manager_a):
    return monitoring_world(cluster_a, programme, manager_a)


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def status_of(response: Any) -> Any:
    if response.status_code == 302 and reverse("login") in response["Location"]:
        return "login"
    return response.status_code


def members_workbook(*rows: list[Any]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Legal form", "Size class", "Sector", "City", "Contact address"])
    for row in rows:
        sheet.append(row)
    stream = BytesIO()
    book.save(stream)
    return SimpleUploadedFile("members.xlsx", stream.getvalue())


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_answer_each_persona(request, persona, world, programme):
    client = browser(user_of(request, persona))
    cluster, activity = world.cluster.pk, world.activity.pk
    reads = [
        reverse("monitoring:cluster", args=[cluster]),
        reverse("monitoring:members", args=[cluster]),
        reverse("monitoring:activity", args=[activity]),
    ]
    for url in reads:
        assert status_of(client.get(url)) == READS.get(persona, "login"), url
    for name in ("monitoring:dashboard", "monitoring:programme-workbook"):
        url = reverse(name, args=[programme.pk])
        assert status_of(client.get(url)) == PROGRAMME_READS.get(persona, "login"), url
    index = status_of(client.get(reverse("monitoring:index")))
    assert index == {"manager_a": 302, "manager_b": 302, "anonymous": "login"}.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_write_pages_answer_each_persona(request, persona, world):
    client = browser(user_of(request, persona))
    cluster, activity = world.cluster.pk, world.activity.pk
    forms = [
        reverse("monitoring:member-add", args=[cluster]),
        reverse("monitoring:member-template", args=[cluster]),
        reverse("monitoring:member-import", args=[cluster]),
        reverse("monitoring:activity-add", args=[cluster]),
    ]
    for url in forms:
        assert status_of(client.get(url)) == WRITES.get(persona, "login"), url
    posts = [
        reverse("monitoring:member-import-confirm", args=[cluster]),
        reverse("monitoring:survey-send", args=[cluster]),
        reverse("monitoring:contact-add", args=[activity]),
        reverse("monitoring:outcome-add", args=[activity]),
    ]
    before = (Member.objects.count(), Contact.objects.count(), world.activity.outcomes.count())
    for url in posts:
        expected = {"auditor": 403, "manager_b": 404}.get(persona, "login")
        if persona in ("auditor", "manager_b", "anonymous"):
            assert status_of(client.post(url, {})) == expected, url
    if persona != "officer" and persona != "manager_a":
        after = (Member.objects.count(), Contact.objects.count(), world.activity.outcomes.count())
        assert after == before


def test_the_management_records_an_activity_with_participants_and_contacts(world, manager_a):
    client = browser(manager_a)
    members = world.members
    response = client.post(
        reverse("monitoring:activity-add", args=[world.cluster.pk]),
        {
            "kind": "delegation",
            "title": "Delegation to Shenzhen",
            "held_on": "2025-05-12",
            "country": "CN",
            "region": "Guangdong",
            "format": "in_person",
            "participants": [members[0].pk, members[4].pk],
            "contacts-TOTAL_FORMS": "3",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-partner_name": "SUSTech",
            "contacts-0-country": "CN",
            "contacts-0-known": "new",
            "contacts-0-member": members[4].pk,
            "contacts-1-partner_name": "Huawei Research",
            "contacts-1-country": "CN",
            "contacts-1-known": "known",
        },
    )
    activity = Activity.objects.get(title="Delegation to Shenzhen")
    assert response.status_code == 302
    assert sorted(activity.participants.values_list("pk", flat=True)) == [
        members[0].pk,
        members[4].pk,
    ]
    assert sorted(activity.contacts.values_list("partner_name", "is_known_partner")) == [
        ("Huawei Research", True),
        ("SUSTech", False),
    ]


def test_another_clusters_member_cannot_be_slipped_in(world, manager_b, cluster_b, manager_a):
    stranger = Member.objects.create(cluster=cluster_b, name="B GmbH", legal_form="non_profit")
    response = browser(manager_a).post(
        reverse("monitoring:activity-add", args=[world.cluster.pk]),
        {
            "kind": "workshop",
            "title": "Workshop",
            "held_on": "2025-05-12",
            "country": "FR",
            "region": "Grenoble",
            "format": "in_person",
            "participants": [stranger.pk],
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Workshop").exists()


def test_import_previews_then_writes_all_rows(world, manager_a):
    client = browser(manager_a)
    url = reverse("monitoring:member-import", args=[world.cluster.pk])
    upload = members_workbook(
        ["Gamma GmbH", "company", "medium", "Optics", "Jena", "g@example.org"],
        ["Fraunhofer IPMS", "research institute", "", "Microsystems", "Dresden", ""],
    )
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert Member.objects.filter(name="Gamma GmbH").count() == 0  # a preview writes nothing
    token = preview.context["token"]
    confirm = reverse("monitoring:member-import-confirm", args=[world.cluster.pk])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert Member.objects.get(name="Fraunhofer IPMS").legal_form == "research_institute"


def test_import_problems_name_row_and_column_and_nothing_is_written(world, manager_a):
    client = browser(manager_a)
    url = reverse("monitoring:member-import", args=[world.cluster.pk])
    upload = members_workbook(
        ["Delta GmbH", "company", "", "", "", ""],
        ["Epsilon", "guild", "", "", "", "not-an-address"],
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 422
    problems = response.context["problems"]
    assert any(p.startswith("Members, row 2, column C (Size class)") for p in problems)
    assert any(p.startswith("Members, row 3, column B (Legal form)") for p in problems)
    assert any(p.startswith("Members, row 3, column F (Contact address)") for p in problems)
    assert "token" not in response.context
    assert not Member.objects.filter(name__in=["Delta GmbH", "Epsilon"]).exists()


def test_a_forged_confirmation_writes_nothing(world, manager_a):
    confirm = reverse("monitoring:member-import-confirm", args=[world.cluster.pk])
    response = browser(manager_a).post(confirm, {"token": "forged"})
    assert response.status_code == 302
    assert Member.objects.count() == len(world.members)


def test_a_survey_link_works_once_then_says_so(world):
    visitor = browser(None)
    url = reverse("monitoring:survey-answer", args=[world.tokens[0]])
    assert visitor.get(url).status_code == 200
    answers = {
        "knows_measure": "yes",
        "knows_strategy": "no",
        "took_part": "yes",
        "contacts_abroad": "both",
    }
    assert visitor.post(url, answers).status_code == 200
    again = visitor.post(url, answers)
    assert again.status_code == 404
    assert b"It has been used already" in again.content
    assert visitor.get(url).status_code == 404
    assert SurveyAnswer.objects.count() == 1


def test_a_guessed_survey_link_is_404(world):
    guessed = world.tokens[0][:-3] + "abc"
    response = browser(None).get(reverse("monitoring:survey-answer", args=[guessed]))
    assert response.status_code == 404
    assert b"not a link we sent" in response.content


def test_four_answers_show_no_result_on_any_page_or_workbook(world, officer, manager_a, programme):
    for token in world.tokens[:4]:
        answer(token, measure=True, strategy=False)
    cluster_page = browser(manager_a).get(reverse("monitoring:cluster", args=[world.cluster.pk]))
    dashboard = browser(officer).get(reverse("monitoring:dashboard", args=[programme.pk]))
    for response in (cluster_page, dashboard):
        assert b"withheld" in response.content
        assert b"100 %" not in response.content
    assert cluster_page.context["figures"].survey.knows_measure is None
    assert dashboard.context["figures"].survey.knows_measure is None
    book = load_workbook(
        BytesIO(
            browser(officer)
            .get(reverse("monitoring:programme-workbook", args=[programme.pk]))
            .content
        )
    )
    cells = [cell for row in book["Clusters"].iter_rows(values_only=True) for cell in row]
    assert "withheld" in cells
    assert 1 not in cells[-4:]  # no 100 % of the four


def test_five_answers_show_the_result(world, officer, programme):
    for token in world.tokens[:5]:
        answer(token, measure=True, strategy=False)
    dashboard = browser(officer).get(reverse("monitoring:dashboard", args=[programme.pk]))
    figures = dashboard.context["figures"]
    assert figures.survey.knows_measure == 100
    assert figures.survey.knows_strategy == 0


def test_the_pages_speak_german(world, manager_a):
    client = browser(manager_a, "de")
    cluster = client.get(reverse("monitoring:cluster", args=[world.cluster.pk])).content.decode()
    assert "der Cluster als Ganzes" in cluster
    assert "Befragung an die Mitglieder senden" in cluster
    activity = client.get(reverse("monitoring:activity", args=[world.activity.pk]))
    assert "Delegationsreise" in activity.content.decode()
    closed = browser(None, "de").get(reverse("monitoring:survey-answer", args=["guessed"]))
    assert "Jeder Link gilt einmal" in closed.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_officers_send_the_survey_to_every_cluster(request, persona, world, programme):
    url = reverse("monitoring:survey-send-all", args=[programme.pk])
    response = browser(user_of(request, persona)).post(url)
    expected = {"officer": 302, "anonymous": "login"}.get(persona, 403)
    assert status_of(response) == expected
    surveys = world.cluster.surveys.count()
    assert surveys == (2 if persona == "officer" else 1)


def test_the_workbook_writes_shown_shares_as_percentages(world, officer, programme):
    for token in world.tokens[:5]:
        answer(token, measure=True, strategy=False)
    response = browser(officer).get(reverse("monitoring:programme-workbook", args=[programme.pk]))
    sheet = load_workbook(BytesIO(response.content))["Clusters"]
    measure = sheet.cell(row=2, column=10)
    assert (measure.value, measure.number_format) == (1, "0%")
    assert sheet.cell(row=2, column=9).value == 5  # the answers behind it
    assert sheet.cell(row=2, column=11).value == 0
