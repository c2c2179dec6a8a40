"""The models of the applications app: the application and its workflow (``application``), and
the competition that decides on it (``review``)."""

from .application import (
    Application,
    ApplicationTransition,
    ApplicationTransitionQuerySet,
    PartnerRegion,
)
from .review import (
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)

__all__ = [
    "Application",
    "ApplicationTransition",
    "ApplicationTransitionQuerySet",
    "ConflictOfInterest",
    "PartnerRegion",
    "Recommendation",
    "Review",
    "ReviewCriterion",
    "ReviewScore",
    "ReviewerAssignment",
]
