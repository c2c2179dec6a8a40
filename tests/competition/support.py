"""The competition set up through the real services, for any test whose application passes
through ``select``: criteria for the round, reviewers, and the reviews the round requires.

Other test packages import :func:`reviews_for_selection` from here.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count
from typing import Any

from django.contrib.auth.models import User

from applications.models import Application
from applications.services import application_transition
from competition.models import Recommendation, Review, ReviewCriterion
from competition.services import (
    ScoreInput,
    conflict_declare,
    criterion_create,
    review_save_draft,
    review_submit,
    reviewer_assign,
)
from programmes.access import Role
from programmes.models import Round

from ..factories import ApplicationFactory, ClusterFactory, user_with_role

# (name, weight): two criteria of different weight, on the default scale 1 to 5.
DEFAULT_CRITERIA = (
    ("Quality of the internationalisation strategy", Decimal("2.00")),
    ("Fit of the partner regions", Decimal("1.00")),
)

# The decision's justification, for tests that select.
JUSTIFICATION = "The panel recommends funding: a convincing strategy with well-chosen partners."

_numbers = count(1)


def new_reviewer(name: str = "") -> User:
    """A user in the reviewer group, with a name no other test uses."""
    return user_with_role(name or f"jury-member-{next(_numbers)}", Role.REVIEWER)


def criteria_ensure(round_: Round, *, officer: Any) -> list[ReviewCriterion]:
    """The round's criteria; the defaults are created if it has none yet."""
    existing = list(ReviewCriterion.objects.filter(round=round_).order_by("order", "pk"))
    if existing:
        return existing
    return [
        criterion_create(round=round_, name=name, weight=weight, order=order, by=officer)
        for order, (name, weight) in enumerate(DEFAULT_CRITERIA)
    ]


def review_submitted(
    application: Application,
    reviewer: Any,
    *,
    officer: Any,
    scores: Sequence[int] | None = None,
    recommendation: str = Recommendation.FUND,
) -> Review:
    """Assign ``reviewer`` and have them score every criterion (in the criteria's order; the
    highest score if not given) and submit. The application must be in review."""
    criteria = criteria_ensure(application.round, officer=officer)
    values = scores if scores is not None else [c.scale_max for c in criteria]
    assert len(values) == len(criteria), "one score per criterion"
    assignment = reviewer_assign(application=application, reviewer=reviewer, by=officer)
    draft = review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(c, value) for c, value in zip(criteria, values, strict=True)],
        recommendation=recommendation,
        by=reviewer,
    )
    return review_submit(review=draft, by=reviewer)


def reviews_for_selection(application: Application, *, officer: Any) -> list[Review]:
    """Give an application in review as many submitted reviews as its round requires before
    the panel may select it."""
    have = Review.objects.filter(
        assignment__application=application, submitted_at__isnull=False
    ).count()
    missing = max(application.round.min_submitted_reviews - have, 0)
    return [review_submitted(application, new_reviewer(), officer=officer) for _ in range(missing)]


def competition_rows(round_: Round, *, officer: Any) -> Application:
    """A new cluster's outline in review (``round_`` must accept outlines) with a row in every
    table of the competition: the round's criteria, an assignment with its submitted review and
    scores, and a conflict of interest declared with the cluster."""
    cluster = ClusterFactory()
    manager = user_with_role(
        f"competition-manager-{next(_numbers)}", Role.CLUSTER_MANAGEMENT, cluster
    )
    application = ApplicationFactory(round=round_, cluster=cluster, with_region=True)
    application = application_transition(application=application, name="submit", by=manager)
    application = application_transition(application=application, name="start_review", by=officer)
    review_submitted(application, new_reviewer(), officer=officer)
    conflict_declare(
        reviewer=new_reviewer(), cluster=cluster, reason="Former employee.", by=officer
    )
    return application
