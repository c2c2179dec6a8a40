"""The models of the applications app: the application, its partner regions and its workflow."""

from .application import (
    Application,
    ApplicationTransition,
    PartnerRegion,
)
from .round_figures import RoundFigures

__all__ = [
    "Application",
    "ApplicationTransition",
    "PartnerRegion",
    "RoundFigures",
]
