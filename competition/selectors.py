"""Reads of the competition: who sees which reviews, and the round's ranking.

Reviewer identities and individual scores are for officers and auditors (and each reviewer's own
work) only: a cluster management gets nothing from these selectors. The pages, the API and the
round's workbook read the competition through them.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application
from applications.states import REVIEWED_STATES, SELECTED_STATES, State
from programmes.access import Role
from programmes.models import Round

from . import access
from .models import (
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)

RANKING_NOT_PERMITTED = gettext_noop(
    "Only ministry officers and auditors may see the ranking of a round."
)

CENT = Decimal("0.01")


def review_criteria(round_: Round) -> QuerySet[ReviewCriterion]:
    """The criteria of a round in their order: part of the call, public to every role."""
    return ReviewCriterion.objects.filter(round=round_).order_by("order", "pk")


def weighted_mean(scores: Mapping[int, int], weights: Mapping[int, Decimal]) -> Fraction:
    """One review's score: Σ(score × weight) / Σ weight over the criteria it scored, exact."""
    total_weight = sum((Fraction(weights[c]) for c in scores), Fraction(0))
    weighted = sum((score * Fraction(weights[c]) for c, score in scores.items()), Fraction(0))
    return weighted / total_weight


def as_decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal of the context's precision (28 digits)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class RankingLine:
    """One application of the round as the panel sees it."""

    application: Application
    rank: int | None
    is_tied: bool
    exact_mean: Fraction | None
    submitted_count: int
    assigned_count: int
    recommendations: Mapping[str, int]
    criterion_means: Mapping[int, Decimal]
    required_count: int

    @property
    def weighted_mean(self) -> Decimal | None:
        """The mean of the submitted reviews' weighted means, at full Decimal precision."""
        return None if self.exact_mean is None else as_decimal(self.exact_mean)

    @property
    def weighted_mean_display(self) -> Decimal | None:
        """Rounded half up to two places, for display only (the rank uses the exact mean)."""
        mean = self.weighted_mean
        return None if mean is None else mean.quantize(CENT, rounding=ROUND_HALF_UP)

    def criterion_mean_display(self, criterion_id: int) -> Decimal | None:
        """The plain mean on one criterion, rounded half up to two places for display."""
        mean = self.criterion_means.get(criterion_id)
        return None if mean is None else mean.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def is_ranked(self) -> bool:
        return self.rank is not None

    @property
    def has_enough_reviews(self) -> bool:
        return self.submitted_count >= self.required_count


@dataclass(frozen=True)
class RoundRanking:
    round: Round
    criteria: Sequence[ReviewCriterion]
    lines: Sequence[RankingLine] = field(default_factory=tuple)

    @property
    def selected_count(self) -> int:
        """The round's applications selected or further along, which count against its quota
        (each of them is a line of the ranking)."""
        return sum(1 for line in self.lines if line.application.state in SELECTED_STATES)


def _ranks(means: Mapping[int, Fraction]) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4): one more than the number of better means."""
    ordered = sorted(means.values(), reverse=True)
    first_position: dict[Fraction, int] = {}
    for position, mean in enumerate(ordered, start=1):
        first_position.setdefault(mean, position)
    return {application_id: first_position[mean] for application_id, mean in means.items()}


def round_ranking(round_: Round, *, user: Any) -> RoundRanking:
    """The round's applications before the panel (in review or decided), best first: per
    application the mean of its submitted reviews' weighted means, the reviews submitted of
    those assigned, the recommendations, and the rank, ties sharing a rank. Applications
    without a submitted review come last, unranked. Officers and auditors only. Four queries,
    however many applications and reviews."""
    if not access.can_read_ranking(user):
        raise PermissionDenied(_(RANKING_NOT_PERMITTED))
    return build_round_ranking(round_)


def build_round_ranking(round_: Round) -> RoundRanking:
    """The ranking without a permission check: for callers that checked access themselves (the
    round workbook, whose readers are officers, auditors and operators)."""
    applications = list(
        Application.objects.filter(round=round_, state__in=REVIEWED_STATES).select_related(
            "cluster"
        )
    )
    criteria = list(review_criteria(round_))
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    assigned: Counter[int] = Counter()
    recommendations: dict[int, Counter[str]] = defaultdict(Counter)
    for row in ReviewerAssignment.objects.filter(application__in=applications).values(
        "application_id", "review__submitted_at", "review__recommendation"
    ):
        assigned[row["application_id"]] += 1
        if row["review__submitted_at"] is not None:
            recommendations[row["application_id"]][row["review__recommendation"]] += 1
    scores: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, review_id, criterion_id, score in ReviewScore.objects.filter(
        review__assignment__application__in=applications,
        review__submitted_at__isnull=False,
        score__isnull=False,
    ).values_list("review__assignment__application_id", "review_id", "criterion_id", "score"):
        if score is not None:
            scores[application_id][review_id][criterion_id] = score
    means = {
        application_id: sum(
            (weighted_mean(review, weights) for review in reviews.values()), Fraction(0)
        )
        / len(reviews)
        for application_id, reviews in scores.items()
        if reviews
    }
    ranks = _ranks(means)
    tie_sizes = Counter(means.values())
    lines = [
        RankingLine(
            application=application,
            rank=ranks.get(application.pk),
            is_tied=application.pk in means and tie_sizes[means[application.pk]] > 1,
            exact_mean=means.get(application.pk),
            submitted_count=sum(recommendations[application.pk].values()),
            assigned_count=assigned[application.pk],
            recommendations={
                choice: recommendations[application.pk][choice] for choice in Recommendation.values
            },
            criterion_means=_criterion_means(scores.get(application.pk, {})),
            required_count=round_.min_submitted_reviews,
        )
        for application in applications
    ]
    lines.sort(
        key=lambda line: (
            line.rank is None,
            line.rank or 0,
            line.application.cluster.name,
        )
    )
    return RoundRanking(round=round_, criteria=criteria, lines=lines)


def _criterion_means(reviews: Mapping[int, Mapping[int, int]]) -> dict[int, Decimal]:
    """The plain mean score per criterion over an application's submitted reviews."""
    by_criterion: dict[int, list[int]] = defaultdict(list)
    for review in reviews.values():
        for criterion_id, score in review.items():
            by_criterion[criterion_id].append(score)
    return {
        criterion_id: as_decimal(Fraction(sum(values), len(values)))
        for criterion_id, values in by_criterion.items()
    }


# The round's competition as the officers' pages show it


def jury_members(*, search: str = "") -> QuerySet[Any]:
    """The active users with the reviewer role, by name, each with the conflicts of interest
    they declared (``declared_conflicts``, by cluster). ``search`` keeps those whose username,
    first or last name contains each of its words (ignoring case)."""
    users = get_user_model()._default_manager.filter(groups__name=Role.REVIEWER, is_active=True)
    for word in search.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username", "pk").prefetch_related(
        Prefetch(
            "conflicts_of_interest",
            queryset=ConflictOfInterest.objects.select_related("cluster").order_by("cluster__name"),
            to_attr="declared_conflicts",
        )
    )


def jury_members_at_work(round_: Round, *, search: str = "") -> QuerySet[Any]:
    """The jury members (as :func:`jury_members`), each also with their assignments in
    ``round_`` (``round_assignments``, with the review): three queries however many there
    are."""
    return jury_members(search=search).prefetch_related(
        Prefetch(
            "review_assignments",
            queryset=ReviewerAssignment.objects.filter(application__round=round_)
            .select_related("application__cluster", "review")
            .order_by("application__cluster__name", "pk"),
            to_attr="round_assignments",
        ),
    )


def applications_under_review(round_: Round) -> QuerySet[Application]:
    """The round's applications that reviewers are (or were) assigned to: submitted, in review
    or decided, by cluster, each with its assignments (reviewer and review) prefetched."""
    return (
        Application.objects.filter(round=round_, state__in=(State.SUBMITTED, *REVIEWED_STATES))
        .select_related("cluster", "round")
        .prefetch_related(
            Prefetch(
                "reviewer_assignments",
                queryset=ReviewerAssignment.objects.select_related("reviewer", "review"),
            )
        )
        .order_by("cluster__name", "pk")
    )


def round_reviews(round_: Round, *, user: Any) -> QuerySet[Review]:
    """The submitted reviews of the round that ``user`` may read, with their scores in the
    criteria's order, by cluster and reviewer."""
    return (
        access.reviews_visible_to(user)
        .filter(assignment__application__round=round_, submitted_at__isnull=False)
        .order_by("assignment__application__cluster__name", "assignment__reviewer__username", "pk")
    )


def round_conflicts(round_: Round, *, user: Any) -> QuerySet[ConflictOfInterest]:
    """The declared conflicts of interest ``user`` may read with a cluster that has an
    application in the round."""
    return (
        access.conflicts_visible_to(user)
        .filter(cluster__applications__round=round_)
        .order_by("cluster__name", "reviewer__username", "pk")
    )
