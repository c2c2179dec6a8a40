"""Officers open rounds: the number is unique in the programme, the deadline after the call,
envelope and quota positive; every refusal names its rule with the numbers, and writes nothing."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from programmes.models import (
    DEADLINE_NOT_AFTER_CALL,
    ENVELOPE_NOT_POSITIVE,
    QUOTA_NOT_POSITIVE,
    Round,
)
from programmes.services import (
    ONLY_OFFICERS_CREATE_ROUNDS,
    ROUND_NUMBER_NOT_POSITIVE,
    ROUND_NUMBER_TAKEN,
    round_create,
)

from ..factories import ProgrammeFactory, RoundFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def new_round(programme, **changes):
    return {
        "programme": programme,
        "number": 4,
        "call_published_on": date(2030, 1, 15),
        "outline_deadline_at": datetime(2030, 3, 31, 14, 30, tzinfo=BERLIN),
        "funding_starts_on": date(2031, 1, 1),
        "selection_quota": 10,
        "envelope_amount": Decimal("40000000.00"),
        **changes,
    }


def refusals(programme, by, **changes):
    count = Round.objects.count()
    with pytest.raises(ValidationError) as refused:
        round_create(**new_round(programme, **changes), by=by)
    assert Round.objects.count() == count
    return refused.value.message_dict


def test_an_officer_opens_a_round(programme, officer):
    created = round_create(**new_round(programme, min_submitted_reviews=3), by=officer)

    stored = Round.objects.get(pk=created.pk)
    assert (stored.programme, stored.number, stored.selection_quota) == (programme, 4, 10)
    assert (stored.envelope_amount, stored.min_submitted_reviews) == (Decimal("40000000.00"), 3)
    assert stored.outline_deadline_at == datetime(2030, 3, 31, 14, 30, tzinfo=BERLIN)


@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_only_officers_open_rounds(request, programme, persona):
    with pytest.raises(PermissionDenied, match=ONLY_OFFICERS_CREATE_ROUNDS):
        round_create(**new_round(programme), by=request.getfixturevalue(persona))

    assert not Round.objects.filter(number=4).exists()


def test_the_number_is_unique_in_the_programme(programme, officer):
    for number in (1, 2, 3):
        RoundFactory(programme=programme, number=number)

    errors = refusals(programme, officer, number=2)

    assert errors == {
        "number": [
            ROUND_NUMBER_TAKEN
            % {"programme": programme.short_name, "number": 2, "taken": "1, 2, 3", "next": 4}
        ]
    }


def test_another_programme_may_have_the_same_number(programme, officer):
    RoundFactory(programme=programme, number=4)
    other = ProgrammeFactory(name="Clusters4Future", short_name="C4F")

    assert round_create(**new_round(other), by=officer).number == 4


def test_rounds_are_numbered_from_one(programme, officer):
    assert refusals(programme, officer, number=0) == {
        "number": [ROUND_NUMBER_NOT_POSITIVE % {"number": 0}]
    }


@pytest.mark.parametrize("day", [date(2030, 3, 31), date(2030, 4, 1)])
def test_the_deadline_is_after_the_call(programme, officer, day):
    errors = refusals(programme, officer, call_published_on=day)

    assert errors == {
        "outline_deadline_at": [
            DEADLINE_NOT_AFTER_CALL
            % {"deadline": "31 Mar 2030, 14:30", "published": f"{day.day} {day:%b} {day.year}"}
        ]
    }


def test_a_deadline_the_day_after_the_call_is_accepted(programme, officer):
    created = round_create(**new_round(programme, call_published_on=date(2030, 3, 30)), by=officer)

    assert created.pk is not None


@pytest.mark.parametrize(
    ("amount", "shown"), [(Decimal("0.00"), "€0.00"), (Decimal("-1.00"), "€-1.00")]
)
def test_the_envelope_is_positive(programme, officer, amount, shown):
    errors = refusals(programme, officer, envelope_amount=amount)

    assert errors["envelope_amount"][0] == ENVELOPE_NOT_POSITIVE % {
        "zero": "€0.00",
        "amount": shown,
    }


@pytest.mark.parametrize("quota", [0, -3])
def test_the_quota_is_positive(programme, officer, quota):
    errors = refusals(programme, officer, selection_quota=quota)

    assert errors == {"selection_quota": [QUOTA_NOT_POSITIVE % {"quota": quota}]}


def test_every_broken_rule_is_reported_at_once(programme, officer):
    RoundFactory(programme=programme, number=4)

    errors = refusals(
        programme,
        officer,
        call_published_on=date(2030, 4, 1),
        envelope_amount=Decimal("0.00"),
        selection_quota=0,
    )

    assert sorted(errors) == [
        "envelope_amount",
        "number",
        "outline_deadline_at",
        "selection_quota",
    ]


def test_refusals_are_in_german(programme, officer):
    RoundFactory(programme=programme, number=4)

    with translation.override("de"):
        assert translation.gettext(ROUND_NUMBER_TAKEN) != ROUND_NUMBER_TAKEN
        errors = refusals(programme, officer, envelope_amount=Decimal("0.00"))
        assert errors["number"] == [
            translation.gettext(ROUND_NUMBER_TAKEN)
            % {"programme": programme.short_name, "number": 4, "taken": "4", "next": 5}
        ]
        assert errors["envelope_amount"] == [
            translation.gettext(ENVELOPE_NOT_POSITIVE)
            % {"zero": "0,00\N{NO-BREAK SPACE}€", "amount": "0,00\N{NO-BREAK SPACE}€"}
        ]
