"""POST /api/v1/rounds/: officers open rounds; refusals are 400s naming each rule with its
numbers, and nothing is written."""

import pytest

from programmes.models import ENVELOPE_NOT_POSITIVE, QUOTA_NOT_POSITIVE, Round
from programmes.services import ROUND_NUMBER_TAKEN

from .support import call

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/rounds/"


def body(programme, **changes):
    return {
        "programme": programme.pk,
        "number": 2,
        "call_published_on": "2030-01-15",
        "outline_deadline_at": "2030-03-31T14:30:00+02:00",
        "funding_starts_on": "2031-01-01",
        "selection_quota": 10,
        "envelope_amount": "40000000.00",
        **changes,
    }


def test_an_officer_opens_a_round(open_round, api_as):
    created = call(api_as("officer"), "post", ROUNDS, body(open_round.programme), expect=201)

    assert {
        key: created[key] for key in ("number", "envelope_amount", "min_submitted_reviews")
    } == {
        "number": 2,
        "envelope_amount": "40000000.00",
        "min_submitted_reviews": 2,
    }
    assert created["outline_deadline_at"].startswith("2030-03-31T14:30:00")
    assert call(api_as("auditor"), "get", f"{ROUNDS}{created['id']}/", expect=200) == created


def test_a_taken_number_and_an_empty_envelope_are_refused_at_once(open_round, api_as):
    count = Round.objects.count()

    error = call(
        api_as("officer"),
        "post",
        ROUNDS,
        body(open_round.programme, number=open_round.number, envelope_amount="0.00"),
        expect=400,
    )

    assert error["fields"] == {
        "number": [
            ROUND_NUMBER_TAKEN
            % {"programme": "InterSpiN", "number": open_round.number, "taken": "1", "next": 2}
        ],
        "envelope_amount": [ENVELOPE_NOT_POSITIVE % {"zero": "€0.00", "amount": "€0.00"}],
    }
    assert Round.objects.count() == count


def test_a_deadline_before_the_call_is_refused_with_both_dates(open_round, api_as):
    error = call(
        api_as("officer"),
        "post",
        ROUNDS,
        body(open_round.programme, call_published_on="2030-04-02"),
        expect=400,
    )

    assert error["code"] == "invalid"
    assert "(31 Mar 2030, 14:30)" in error["detail"]
    assert "(2 Apr 2030)" in error["detail"]
    assert list(error["fields"]) == ["outline_deadline_at"]


def test_a_quota_of_none_is_refused(open_round, api_as):
    error = call(
        api_as("officer"), "post", ROUNDS, body(open_round.programme, selection_quota=0), expect=400
    )

    assert error["fields"] == {"selection_quota": [QUOTA_NOT_POSITIVE % {"quota": 0}]}


@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_only_officers_open_rounds(open_round, api_as, persona):
    error = call(api_as(persona), "post", ROUNDS, body(open_round.programme), expect=403)

    assert error["code"] in {"officers_only", "read_only"}
    assert not Round.objects.filter(number=2).exists()
