"""Proposals at once on PostgreSQL, with real threads and transactions: of several proposals of
the same organisation (the name written differently each time), exactly one gets in.

The duplicate check, which runs under the lock per country, is slowed down during the race, so
that without the lock every proposal would pass its check before any other had committed."""

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import Organisation
from programmes.services import organisation_propose

from ..concurrency import race, slowed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD_LOCK_SECONDS = 0.1
VARIANTS = (
    "Sensorik Dresden GmbH",
    "sensorik dresden AG",
    "SENSORIK DRESDEN",
    "Sensorik Dresden SE",
)


@pytest.fixture
def slow_duplicate_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        services, "_duplicate_of", slowed(services._duplicate_of, HOLD_LOCK_SECONDS)
    )


def proposing(name, by):
    return lambda: organisation_propose(
        name=name,
        legal_form="company",
        size_class="small",
        country="DE",
        city="Dresden",
        by=by,
    )


def test_concurrent_proposals_of_one_organisation_let_one_in(
    manager_a, manager_b, officer, slow_duplicate_check
):
    users = (manager_a, manager_b, officer, manager_a)
    results = race(*[proposing(name, by) for name, by in zip(VARIANTS, users, strict=True)])

    created = [r for r in results if isinstance(r, Organisation)]
    refused = [r for r in results if not isinstance(r, Organisation)]
    assert len(created) == 1, results
    assert len(refused) == 3
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert all(set(error.message_dict) == {"name"} for error in refused)
    assert list(Organisation.objects.filter(name_key="sensorikdresden")) == created


def test_proposals_of_other_organisations_all_get_in(manager_a, manager_b, slow_duplicate_check):
    names = ("Sensorik Dresden GmbH", "Optik Jena GmbH", "Laser Berlin GmbH")
    results = race(
        *[proposing(name, manager_a if i % 2 else manager_b) for i, name in enumerate(names)]
    )
    assert all(isinstance(result, Organisation) for result in results), results
    assert Organisation.objects.filter(name__in=names).count() == 3
