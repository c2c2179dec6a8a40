"""The round's ranking. Every expected mean is computed here with ``fractions.Fraction`` from
the scores and weights the test chose, independently of the selector."""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competition.models import Recommendation
from competition.selectors import round_ranking
from competition.services import (
    ScoreInput,
    criterion_create,
    review_save_draft,
    reviewer_assign,
)

from ..factories import RoundFactory
from .conftest import CRITERIA
from .support import new_reviewer, review_submitted

pytestmark = pytest.mark.django_db

WEIGHTS = [weight for _name, weight in CRITERIA]


def expected_mean(vectors: Sequence[Sequence[int]], weights: Sequence[Decimal]) -> Fraction:
    """Per review Σ(score × weight) / Σ weight; per application the mean over its reviews."""
    total_weight = sum(Fraction(w) for w in weights)
    per_review = [
        sum(Fraction(s) * Fraction(w) for s, w in zip(vector, weights, strict=True)) / total_weight
        for vector in vectors
    ]
    return sum(per_review, Fraction(0)) / len(per_review)


def half_up_cents(value: Fraction) -> Decimal:
    """Rounded half up to two places, in integers: floor(100 × value + ½) hundredths."""
    hundredths = (value * 100 + Fraction(1, 2)).__floor__()
    return Decimal(hundredths) / 100


def competition_ranks(means: dict[str, Fraction]) -> dict[str, int]:
    """1 + the number of applications with a strictly better mean (1, 2, 2, 4)."""
    return {
        name: 1 + sum(1 for other in means.values() if other > mean) for name, mean in means.items()
    }


def reviewed(application, officer, *vectors, recommendations=()):
    for index, vector in enumerate(vectors):
        recommendation = (
            recommendations[index] if index < len(recommendations) else Recommendation.FUND
        )
        review_submitted(
            application,
            new_reviewer(),
            officer=officer,
            scores=vector,
            recommendation=recommendation,
        )
    return application


def draft_only(application, officer, criteria):
    reviewer = new_reviewer()
    assignment = reviewer_assign(application=application, reviewer=reviewer, by=officer)
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(c, c.scale_max) for c in criteria],
        recommendation=Recommendation.FUND,
        by=reviewer,
    )
    return application


# The main round: weights 2, 1 and 0.5 (``criteria``).
SCORES = {
    "Top": [(5, 5, 5), (5, 4, 5)],
    "Tied single": [(5, 5, 1)],  # 15.5 / 3.5 = 31/7
    "Tied pair": [(5, 4, 2), (5, 5, 2)],  # (30/7 + 32/7) / 2 = 31/7
    "Fourth": [(3, 3, 3), (4, 2, 1)],
}


@pytest.fixture
def ranked_round(open_round, officer, criteria, entrant):
    applications = {
        name: reviewed(entrant(open_round, name), officer, *vectors)
        for name, vectors in SCORES.items()
    }
    # Sorted first by name, yet unranked: they come last.
    applications["A draft only"] = draft_only(
        entrant(open_round, "A draft only"), officer, criteria
    )
    applications["A not reviewed"] = entrant(open_round, "A not reviewed")
    return applications


def test_round_ranking_weighted_mean_per_application(ranked_round, open_round, officer):
    ranking = round_ranking(open_round, user=officer)

    means = {line.application.cluster.name: line.exact_mean for line in ranking.lines}
    for name, vectors in SCORES.items():
        assert means[name] == expected_mean(vectors, WEIGHTS), name
        line = next(li for li in ranking.lines if li.application.cluster.name == name)
        assert line.weighted_mean_display == half_up_cents(expected_mean(vectors, WEIGHTS))


def test_round_ranking_shows_ties_as_ties(ranked_round, open_round, officer):
    ranking = round_ranking(open_round, user=officer)
    expected = competition_ranks(
        {name: expected_mean(vectors, WEIGHTS) for name, vectors in SCORES.items()}
    )

    ranks = {line.application.cluster.name: line.rank for line in ranking.lines if line.is_ranked}
    assert ranks == expected
    assert sorted(expected.values()) == [1, 2, 2, 4]
    tied = {line.application.cluster.name for line in ranking.lines if line.is_tied}
    assert tied == {"Tied single", "Tied pair"}


def test_round_ranking_tie_is_exact_for_repeating_decimals(ranked_round, open_round, officer):
    """31/7 from one review and from the mean of 30/7 and 32/7: equal, though their decimals
    rounded to 28 digits would differ in the last place."""
    ranking = round_ranking(open_round, user=officer)
    by_name = {line.application.cluster.name: line for line in ranking.lines}

    assert by_name["Tied single"].rank == by_name["Tied pair"].rank == 2
    assert by_name["Tied single"].weighted_mean == by_name["Tied pair"].weighted_mean


def test_round_ranking_lists_unranked_applications_last(ranked_round, open_round, officer):
    ranking = round_ranking(open_round, user=officer)
    names = [line.application.cluster.name for line in ranking.lines]

    assert names == ["Top", "Tied pair", "Tied single", "Fourth", "A draft only", "A not reviewed"]
    unranked = ranking.lines[-2:]
    assert [(line.rank, line.weighted_mean, line.weighted_mean_display) for line in unranked] == [
        (None, None, None),
        (None, None, None),
    ]


def test_round_ranking_counts_reviews_and_recommendations(open_round, officer, criteria, entrant):
    application = reviewed(
        entrant(open_round, "Counted"),
        officer,
        (4, 4, 4),
        (2, 2, 2),
        recommendations=[Recommendation.FUND, Recommendation.DO_NOT_FUND],
    )
    draft_only(application, officer, criteria)

    (line,) = round_ranking(open_round, user=officer).lines

    assert (line.submitted_count, line.assigned_count) == (2, 3)
    assert line.recommendations == {"fund": 1, "do_not_fund": 1, "undecided": 0}
    assert line.has_enough_reviews
    # The draft's scores (5, 5, 5) do not count.
    assert line.exact_mean == expected_mean([(4, 4, 4), (2, 2, 2)], WEIGHTS)
    assert line.criterion_means == {c.pk: Decimal(3) for c in criteria}


def _round_with(programme, officer, number, weights):
    round_ = RoundFactory(programme=programme, number=number)
    for order, weight in enumerate(weights):
        criterion_create(
            round=round_, name=f"Criterion {order}", weight=Decimal(weight), order=order, by=officer
        )
    return round_


def test_round_ranking_display_rounds_half_up(programme, officer, entrant):
    """33/8 = 4.125 is shown as 4.13 (rounding half to even would show 4.12)."""
    round_ = _round_with(programme, officer, 21, ["1.00", "1.00"])
    vectors = [(5, 4), (4, 4), (4, 4), (4, 4)]
    reviewed(entrant(round_), officer, *vectors)

    (line,) = round_ranking(round_, user=officer).lines

    assert expected_mean(vectors, [Decimal(1), Decimal(1)]) == Fraction(33, 8)
    assert line.weighted_mean_display == half_up_cents(Fraction(33, 8)) == Decimal("4.13")
    assert line.weighted_mean == Decimal("4.125")


def test_round_ranking_ranks_on_the_exact_mean_not_the_display(programme, officer, entrant):
    """Both show 1.01, but 205/202 is better than 102/101: no tie."""
    round_ = _round_with(programme, officer, 22, ["1.00", "0.01"])
    weights = [Decimal("1.00"), Decimal("0.01")]
    lower = reviewed(entrant(round_, "Lower"), officer, (1, 2))
    higher = reviewed(entrant(round_, "Higher"), officer, (1, 1), (1, 4))

    lines = round_ranking(round_, user=officer).lines

    assert expected_mean([(1, 2)], weights) == Fraction(102, 101)
    assert expected_mean([(1, 1), (1, 4)], weights) == Fraction(205, 202)
    assert [(line.application, line.rank, line.is_tied) for line in lines] == [
        (higher, 1, False),
        (lower, 2, False),
    ]
    assert {line.weighted_mean_display for line in lines} == {Decimal("1.01")}


def test_round_ranking_leaves_out_applications_not_yet_in_review(
    open_round, officer, criteria, entrant, application_a
):
    reviewed(entrant(open_round, "In review"), officer, (3, 3, 3))

    names = [
        line.application.cluster.name for line in round_ranking(open_round, user=officer).lines
    ]

    assert names == ["In review"]


def test_round_ranking_query_count_does_not_grow(open_round, officer, criteria, entrant):
    def add(count: int) -> None:
        for _ in range(count):
            application = reviewed(entrant(open_round), officer, (5, 4, 3), (2, 3, 4))
            draft_only(application, officer, criteria)

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(round_ranking(open_round, user=officer).lines) == 2
    add(5)
    with CaptureQueriesContext(connection) as many:
        lines = round_ranking(open_round, user=officer).lines
        assert len(lines) == 7
        # Everything a row shows is loaded already.
        assert all(line.application.cluster.name for line in lines)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 4
