"""The page on which officers open a round, linked from the rounds list; refusals show the
form again (400) with each rule and its numbers, and nothing is written."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.models import ENVELOPE_NOT_POSITIVE, Round
from programmes.services import ROUND_NUMBER_TAKEN

from .conftest import browser

pytestmark = pytest.mark.django_db


def form(programme, **changes):
    return {
        "programme": programme.pk,
        "number": 2,
        "call_published_on": "2030-01-15",
        "outline_deadline_at": "2030-03-31T14:30",
        "funding_starts_on": "2031-01-01",
        "selection_quota": 10,
        "envelope_amount": "40,000,000.00",
        "min_submitted_reviews": 2,
        **changes,
    }


def test_the_rounds_list_links_the_form_for_officers_only(officer, auditor, open_round):
    new = reverse("reports:round-new")

    assert new in browser(officer).get(reverse("reports:rounds")).content.decode()
    assert new not in browser(auditor).get(reverse("reports:rounds")).content.decode()


def test_an_officer_opens_a_round(officer, open_round):
    response = browser(officer).post(reverse("reports:round-new"), form(open_round.programme))

    created = Round.objects.get(programme=open_round.programme, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:round", args=[created.pk])
    assert created.envelope_amount == Decimal("40000000.00")


def test_amounts_are_read_in_german(officer, open_round):
    client = browser(officer, "de")
    with translation.override("de"):
        response = client.post(
            reverse("reports:round-new"),
            form(open_round.programme, envelope_amount="40.000.000,50"),
        )

    assert response.status_code == 302
    assert Round.objects.get(number=2).envelope_amount == Decimal("40000000.50")


def test_refusals_show_the_form_again_with_the_numbers(officer, open_round):
    count = Round.objects.count()

    response = browser(officer).post(
        reverse("reports:round-new"),
        form(open_round.programme, number=1, envelope_amount="0.00"),
    )

    assert response.status_code == 400
    assert Round.objects.count() == count
    errors = response.context["form"].errors
    assert errors["number"] == [
        ROUND_NUMBER_TAKEN % {"programme": "InterSpiN", "number": 1, "taken": "1", "next": 2}
    ]
    assert errors["envelope_amount"] == [
        ENVELOPE_NOT_POSITIVE % {"zero": "€0.00", "amount": "€0.00"}
    ]


def test_a_malformed_amount_is_a_400(officer, open_round):
    response = browser(officer).post(
        reverse("reports:round-new"), form(open_round.programme, envelope_amount="lots")
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["envelope_amount"]
    assert not Round.objects.filter(number=2).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("auditor", 403), ("manager_a", 403), ("manager_b", 403)],
)
def test_the_form_is_for_officers(request, persona, status, open_round):
    client = browser(request.getfixturevalue(persona))

    assert client.get(reverse("reports:round-new")).status_code == status
    if status == 403:
        assert (
            client.post(reverse("reports:round-new"), form(open_round.programme)).status_code == 403
        )
        assert not Round.objects.filter(number=2).exists()


def test_anonymous_visitors_are_sent_to_login(open_round):
    response = browser(None).post(reverse("reports:round-new"), form(open_round.programme))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Round.objects.filter(number=2).exists()
