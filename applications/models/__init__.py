"""The models of the applications app: the application, its partner regions and its workflow."""

from .application import (
    Application,
    ApplicationTransition,
    ApplicationTransitionQuerySet,
    PartnerRegion,
)

__all__ = [
    "Application",
    "ApplicationTransition",
    "ApplicationTransitionQuerySet",
    "PartnerRegion",
]
