"""Officers opening the same round at once, on PostgreSQL: the programme's row lock lets one
through; the others are told the number is taken (never a database error)."""

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import Round

from ..concurrency import race, slowed
from .test_round_create import new_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OFFICERS = 4


def test_concurrent_rounds_with_one_number_give_one_round(programme, officer, monkeypatch):
    # Between reading the taken numbers and writing: without the lock all would pass.
    monkeypatch.setattr(services, "_number_refused", slowed(services._number_refused, 0.05))

    results = race(*[lambda: services.round_create(**new_round(programme), by=officer)] * OFFICERS)

    created = [result for result in results if isinstance(result, Round)]
    refused = [result for result in results if not isinstance(result, Round)]
    assert len(created) == 1, results
    assert Round.objects.filter(programme=programme, number=4).count() == 1
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert all(list(error.message_dict) == ["number"] for error in refused)
