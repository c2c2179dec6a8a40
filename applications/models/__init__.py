"""The models of the applications app: the application, its partner regions and its workflow."""

from .application import (
    Application,
    ApplicationTransition,
    ApplicationTransitionQuerySet,
    PartnerRegion,
)
from .round_figures import RoundFigures

__all__ = [
    "Application",
    "ApplicationTransition",
    "ApplicationTransitionQuerySet",
    "PartnerRegion",
    "RoundFigures",
]
