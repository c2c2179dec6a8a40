"""Dates on the pages follow one style per language (funding/formats/): "27 Feb 2099, 11:05" in
English, "27.02.2099, 11:05" in German; never the US "02/27/2099 11:05 a.m."."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.states import State

from ..applications.conftest import rd_project_add
from .conftest import browser

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2099, 2, 27, 11, 5, tzinfo=ZoneInfo("Europe/Berlin"))
STYLES = [("en", "27 Feb 2099, 11:05"), ("de", "27.02.2099, 11:05")]
US_STYLE = ("02/27/2099", "a.m.", "p.m.")


@pytest.fixture
def late_deadline(open_round):
    open_round.outline_deadline_at = DEADLINE
    open_round.save()
    return open_round


@pytest.mark.parametrize(("language", "deadline"), STYLES)
def test_application_page_gives_the_deadline_in_the_languages_style(
    manager_a, application_a, late_deadline, language, deadline
):
    page = browser(manager_a, language).get(reverse("applications:detail", args=[application_a.pk]))
    text = page.content.decode()
    assert deadline in text
    assert not any(us in text for us in US_STYLE)


@pytest.mark.parametrize(("language", "deadline"), STYLES)
def test_home_page_gives_the_deadline_in_the_same_style(
    manager_a, application_a, late_deadline, language, deadline
):
    text = browser(manager_a, language).get(reverse("home")).content.decode()
    assert deadline in text
    assert not any(us in text for us in US_STYLE)


@pytest.mark.parametrize(
    ("language", "months"), [("en", ("January", "December")), ("de", ("Januar", "Dezember"))]
)
def test_project_months_read_as_months(manager_a, application_a, to_state, language, months):
    application = to_state(application_a, State.CONCEPT_PHASE)
    project = rd_project_add(application, manager_a)
    page = browser(manager_a, language).get(reverse("budgets:projects", args=[application.pk]))
    text = page.content.decode()
    start, end = project.start_month, project.end_month
    assert (start.month, end.month) == (1, 12)
    assert f"{months[0]} {start.year} – {months[1]} {end.year}" in text
    assert f"{start:%m/%Y}" not in text
