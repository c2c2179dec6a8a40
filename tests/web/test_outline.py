"""The outline form (title, strategy, the phases' periods) and the partner regions: what may be
changed depends on the state, and the services' refusals are shown at the field."""

from datetime import date

import pytest
from django.urls import reverse

from applications.states import State

from ..applications.conftest import rd_project_add
from ..factories import ApplicationFactory, RoundFactory
from .conftest import browser

pytestmark = pytest.mark.django_db


def edit_url(application) -> str:
    return reverse("applications:edit", args=[application.pk])


def outline_data(application, **changes) -> dict[str, str]:
    data = {
        "title": application.title,
        "strategy_summary": application.strategy_summary,
        "concept_start_on": application.concept_start_on.isoformat(),
        "concept_end_on": application.concept_end_on.isoformat(),
        "implementation_start_on": application.implementation_start_on.isoformat(),
        "implementation_end_on": application.implementation_end_on.isoformat(),
    }
    return {**data, **changes}


def test_manager_saves_title_and_strategy(manager_a, application_a):
    response = browser(manager_a).post(
        edit_url(application_a),
        outline_data(application_a, title="Sensors for Lyon", strategy_summary="Lyon first."),
    )
    assert response.status_code == 302
    application_a.refresh_from_db()
    assert application_a.title == "Sensors for Lyon"
    assert application_a.strategy_summary == "Lyon first."


def test_nothing_is_editable_while_submitted(manager_a, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    response = browser(manager_a).get(edit_url(application))
    assert list(response.context["form"].fields) == []


def test_a_selected_application_may_change_its_concept_period_only(
    manager_a, application_a, to_state
):
    application = to_state(application_a, State.SELECTED)
    response = browser(manager_a).get(edit_url(application))
    assert set(response.context["form"].fields) == {"concept_start_on", "concept_end_on"}


def test_a_posted_title_is_ignored_once_submitted(manager_a, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    browser(manager_a).post(edit_url(application), outline_data(application, title="Sneaked in"))
    application.refresh_from_db()
    assert application.title != "Sneaked in"


def test_a_phase_that_ends_before_it_starts_is_refused_at_the_field(manager_a, application_a):
    response = browser(manager_a).post(
        edit_url(application_a),
        outline_data(application_a, concept_end_on="2000-01-01"),
    )
    assert response.status_code == 200
    assert "concept_end_on" in response.context["form"].errors
    application_a.refresh_from_db()
    assert application_a.concept_end_on != date(2000, 1, 1)


def test_shortening_the_implementation_below_a_project_is_refused_with_the_rule(
    manager_a, application_a, to_state
):
    application = to_state(application_a, State.CONCEPT_PHASE)
    project = rd_project_add(application, manager_a)
    new_end = date(project.end_month.year - 1, 12, 31)
    response = browser(manager_a).post(
        edit_url(application),
        {
            "implementation_start_on": application.implementation_start_on.isoformat(),
            "implementation_end_on": new_end.isoformat(),
        },
    )
    errors = response.context["form"].errors["implementation_end_on"]
    assert any(project.title in error and f"31 Dec {new_end.year}" in error for error in errors)
    application.refresh_from_db()
    assert application.implementation_end_on != new_end


def test_the_date_inputs_use_the_browsers_date_picker(manager_a, application_a):
    response = browser(manager_a).get(edit_url(application_a))
    page = response.content.decode()
    expected = application_a.concept_start_on.isoformat()
    assert f'type="date" name="concept_start_on" value="{expected}"' in page


def test_manager_adds_a_new_partner_region(manager_a, application_a):
    response = browser(manager_a).post(
        reverse("applications:region-add", args=[application_a.pk]),
        {
            "region-country": "jp",
            "region-region": "Kyushu",
            "region-partner_name": "Kyushu Silicon Cluster",
            "region-is_known_partner": "False",
        },
    )
    assert response.status_code == 302
    region = application_a.partner_regions.get(region="Kyushu")
    assert region.country == "JP"
    assert region.is_known_partner is False


def test_a_known_partner_is_recorded_as_known(manager_a, application_a):
    browser(manager_a).post(
        reverse("applications:region-add", args=[application_a.pk]),
        {
            "region-country": "US",
            "region-region": "Massachusetts",
            "region-partner_name": "MassMEDIC",
            "region-is_known_partner": "True",
        },
    )
    assert application_a.partner_regions.get(region="Massachusetts").is_known_partner is True


def test_a_partner_region_needs_its_fields(manager_a, application_a):
    response = browser(manager_a).post(
        reverse("applications:region-add", args=[application_a.pk]),
        {"region-country": "FRA", "region-region": "", "region-partner_name": "X"},
    )
    form = response.context["region_form"]
    assert {"country", "region"} <= set(form.errors)
    assert application_a.partner_regions.count() == 1


def test_manager_removes_a_partner_region(manager_a, application_a):
    region = application_a.partner_regions.get()
    browser(manager_a).post(
        reverse("applications:region-delete", args=[application_a.pk, region.pk])
    )
    assert not application_a.partner_regions.exists()


def test_partner_regions_are_fixed_once_submitted(manager_a, application_a, to_state):
    application = to_state(application_a, State.SUBMITTED)
    region = application.partner_regions.get()
    response = browser(manager_a).post(
        reverse("applications:region-delete", args=[application.pk, region.pk])
    )
    assert response.status_code == 403
    assert application.partner_regions.filter(pk=region.pk).exists()


def test_a_region_of_another_application_is_not_found(manager_a, application_a, programme):
    """The region's application comes from the URL and must match: ownership is never taken
    from what is posted."""
    other = ApplicationFactory(
        round=RoundFactory(programme=programme), cluster=application_a.cluster, with_region=True
    )
    region = other.partner_regions.get()
    url = reverse("applications:region-delete", args=[application_a.pk, region.pk])
    assert browser(manager_a).post(url).status_code == 404
    assert other.partner_regions.filter(pk=region.pk).exists()
