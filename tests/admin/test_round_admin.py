"""Rounds added and changed in the back office go through the services: the rules of the portal
and the API (a number taken, a deadline before the call), with the numbers; nothing written."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.models import Round
from programmes.services import ROUND_NUMBER_TAKEN

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def admin_form(programme, **changes):
    return {
        "programme": programme.pk,
        "number": 2,
        "call_published_on": "2030-01-15",
        "outline_deadline_at_0": "2030-03-31",
        "outline_deadline_at_1": "14:30:00",
        "funding_starts_on": "2031-01-01",
        "selection_quota": 10,
        "envelope_amount": "40,000,000.00",
        "min_submitted_reviews": 2,
        **changes,
    }


def taken(open_round):
    return ROUND_NUMBER_TAKEN % {"programme": "InterSpiN", "number": 1, "taken": "1", "next": 2}


def test_a_round_added_in_the_admin_follows_the_services_rules(officer, open_round):
    client = logged_in(officer)
    add = reverse("admin:programmes_round_add")

    refused = client.post(add, admin_form(open_round.programme, number=1))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["number"] == [taken(open_round)]
    assert Round.objects.count() == 1

    assert client.post(add, admin_form(open_round.programme)).status_code == 302
    created = Round.objects.get(programme=open_round.programme, number=2)
    assert created.envelope_amount == Decimal("40000000.00")


def test_a_round_changed_in_the_admin_keeps_its_number_unique(officer, open_round):
    client = logged_in(officer)
    assert client.post(reverse("admin:programmes_round_add"), admin_form(open_round.programme))
    second = Round.objects.get(number=2)
    change = reverse("admin:programmes_round_change", args=[second.pk])

    refused = client.post(change, admin_form(open_round.programme, number=1))
    assert refused.context["adminform"].form.errors["number"] == [taken(open_round)]
    second.refresh_from_db()
    assert second.number == 2

    moved = client.post(change, admin_form(open_round.programme, number=3, selection_quota=12))
    assert moved.status_code == 302
    second.refresh_from_db()
    assert (second.number, second.selection_quota) == (3, 12)
