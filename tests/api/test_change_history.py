"""The history of what decides an application's grants besides its lines, in the API: who
changed the grantee terms, projects, partners and organisations taking part, when, and from
what to what; in the language asked for; another cluster's history does not exist."""

from datetime import datetime

import pytest

from budgets.models import GranteeTerms
from kernel import clock
from programmes.models import Organisation

from ..applications.conftest import berlin
from .conftest import client_for
from .support import call

pytestmark = pytest.mark.django_db

MOMENT = berlin(2027, 3, 2, 9, 30, 0)
NBSP = "\N{NO-BREAK SPACE}"


def changes_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/history/changes/"


def set_company_rate(client, world, rate: str, *, expect: int = 200) -> None:
    call(
        client,
        "post",
        f"/api/v1/applications/{world.concept.pk}/grantee-terms/",
        {
            "organisation": world.company.pk,
            "basis": "AZK",
            "funding_rate": rate,
            "has_projektpauschale": False,
        },
        expect=expect,
    )


def history(client, application) -> list[dict]:
    return call(client, "get", changes_url(application) + "?page_size=500", expect=200)["results"]


def test_funding_rate_change_shows_who_when_and_old_and_new_rate(world, api_as):
    with clock.frozen_at(MOMENT):
        set_company_rate(api_as("officer"), world, "60.00")

    last = history(api_as("auditor"), world.concept)[-1]

    assert datetime.fromisoformat(last.pop("at")) == MOMENT
    assert last == {
        "by": "olga-officer",
        "record": "grantee_terms",
        "record_id": world.terms.pk,
        "action": "changed",
        "subject": "Grantee terms of Sensorik Dresden GmbH",
        "summary": f"funding rate 70.00{NBSP}% → 60.00{NBSP}%",
        "changes": [
            {
                "field": "funding_rate",
                "label": "funding rate",
                "old": f"70.00{NBSP}%",
                "new": f"60.00{NBSP}%",
            }
        ],
    }


def test_funding_rate_change_reads_in_german(world, api_as, auditor):
    set_company_rate(api_as("officer"), world, "60.00")
    german = client_for(auditor)
    german.credentials(HTTP_ACCEPT_LANGUAGE="de")

    last = history(german, world.concept)[-1]

    assert last["subject"] == "Förderkonditionen von Sensorik Dresden GmbH"
    assert last["summary"] == f"Förderquote 70,00{NBSP}% → 60,00{NBSP}%"
    assert last["changes"][0]["label"] == "Förderquote"


def test_setting_the_terms_they_have_adds_nothing(world, api_as):
    before = history(api_as("officer"), world.concept)
    stored = GranteeTerms.history.filter(id=world.terms.pk).count()

    set_company_rate(api_as("manager_a"), world, "70.00")

    assert history(api_as("officer"), world.concept) == before
    assert GranteeTerms.history.filter(id=world.terms.pk).count() == stored


def test_project_and_partner_changes_show_with_their_writers(world, api_as):
    manager = api_as("manager_a")
    project_url = f"/api/v1/applications/{world.concept.pk}/projects/{world.project.pk}/"
    call(manager, "patch", project_url, {"title": "Printed sensors II"}, expect=200)
    call(
        api_as("officer"),
        "post",
        project_url + "partners/",
        {"organisation": world.newcomer.pk, "is_lead": True},
        expect=201,
    )

    recent = [
        (item["by"], item["record"], item["action"], item["subject"], item["summary"])
        for item in history(api_as("auditor"), world.concept)[-4:]
    ]

    assert recent == [
        (
            "martha-manager-a",
            "rd_project",
            "changed",
            "R&D project “Printed sensors II”",
            "title Printed sensors → Printed sensors II",
        ),
        (
            "olga-officer",
            "project_partner",
            "changed",
            "Partner Sensorik Dresden GmbH in “Printed sensors II”",
            "lead partner yes → no",
        ),
        (
            "olga-officer",
            "project_partner",
            "created",
            "Partner Hochschule Mittweida in “Printed sensors II”",
            "lead partner yes",
        ),
        (
            "olga-officer",
            "grantee_terms",
            "created",
            "Grantee terms of Hochschule Mittweida",
            f"basis expenditure basis (AZA); funding rate 100.00{NBSP}%; Projektpauschale yes",
        ),
    ]


def test_organisation_change_shows_in_the_history_of_the_applications_it_takes_part_in(
    world, api_as
):
    officer = api_as("officer")
    url = f"/api/v1/organisations/{world.company.pk}/"
    with clock.frozen_at(MOMENT):
        call(officer, "patch", url, {"city": "Chemnitz"}, expect=200)
    call(officer, "patch", url, {"city": "Chemnitz"}, expect=200)  # no change: no row

    own = history(api_as("manager_a"), world.concept)
    draft = history(api_as("manager_a"), world.draft)

    organisation_rows = [item for item in own if item["record"] == "organisation"]
    assert [
        (item["by"], item["subject"], item["summary"], datetime.fromisoformat(item["at"]))
        for item in organisation_rows
    ] == [("olga-officer", "Organisation Sensorik Dresden GmbH", "city — → Chemnitz", MOMENT)]
    assert "organisation" not in {item["record"] for item in draft}
    assert Organisation.history.filter(id=world.company.pk, history_type="~").count() == 1


def test_another_clusters_history_of_changes_does_not_exist(world, api_as):
    assert api_as("manager_b").get(changes_url(world.concept)).status_code == 404
    assert api_as("reviewer").get(changes_url(world.concept)).status_code == 404
