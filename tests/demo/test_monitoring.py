"""The demo's clusters as a whole: the programme dashboard shows the Kiel brief's 57 % and 64 %,
the virtual delegation to New York and Boston has 36 member companies, and the survey shows
its states (results, withheld, still open)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from monitoring.models import Activity, ActivityFormat, Survey
from programmes.models import (
    LegalForm,
    Programme,
)

from ..web.conftest import browser

pytestmark = pytest.mark.django_db


def test_the_programme_dashboard_shows_57_and_64_percent(loaded):
    programme = Programme.objects.get(short_name="InterSpiN")
    officer = User.objects.get(username="officer")
    response = browser(officer).get(reverse("monitoring:dashboard", args=[programme.pk]))
    assert response.status_code == 200
    survey = response.context["figures"].survey
    assert (survey.answers, survey.knows_measure, survey.knows_strategy) == (100, 57, 64)
    page = response.content.decode()
    assert '<dd data-indicator="knows-measure">57 %</dd>' in page
    assert '<dd data-indicator="knows-strategy">64 %</dd>' in page


def test_the_virtual_delegation_has_36_member_companies(loaded):
    delegation = Activity.objects.get(title="Virtuelle Delegationsreise New York und Boston")
    assert delegation.format == ActivityFormat.VIRTUAL
    assert delegation.participants.filter(legal_form=LegalForm.COMPANY).count() == 36
    assert Activity.objects.filter(kind="delegation", country="CN").exists()


def test_small_groups_are_withheld_and_one_survey_is_still_open(loaded):
    programme = Programme.objects.get(short_name="InterSpiN")
    officer = User.objects.get(username="officer")
    figures = (
        browser(officer)
        .get(reverse("monitoring:dashboard", args=[programme.pk]))
        .context["figures"]
    )
    withheld = {row.cluster.name for row in figures.clusters if not row.survey.shown}
    assert {"MERGE", "DeepSea Mining Alliance"} <= withheld
    assert "ARENA2036" not in withheld
    assert Survey.objects.filter(cluster__name="Leichtbau BW", answers__isnull=True).exists()


def test_a_cluster_management_sees_its_cluster_against_the_median(loaded):
    manager = User.objects.get(username="arena2036")
    home = browser(manager).get(reverse("monitoring:index"))
    page = browser(manager).get(home["Location"])
    figures = page.context["figures"]
    assert figures.survey.knows_measure == 57  # 8 of 14
    assert figures.programme.median.knows_measure is not None
