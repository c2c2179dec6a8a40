"""The vocabulary of the demo stories: what can happen to an application, and when.

The loader replays every step through the real services with the clock set to the step's
moment, so each application reaches its state through the workflow, its guards and the budget
caps, and its history shows realistic dates.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Region:
    country: str
    region: str
    partner_name: str
    is_known_partner: bool = False


@dataclass(frozen=True)
class Cost:
    """One budget position of one grantee: the same eligible amount in every year."""

    code: str
    annual_amount: Decimal
    justification: str


@dataclass(frozen=True)
class GranteeCosts:
    grantee: str  # a key of catalogue.ORGANISATIONS
    costs: tuple[Cost, ...]


@dataclass(frozen=True)
class Create:
    """The cluster management starts the draft and names its target partner regions."""


@dataclass(frozen=True)
class Fire:
    """A transition, fired by the cluster management or the officer as the workflow requires."""

    transition: str
    comment: str = ""


@dataclass(frozen=True)
class ConceptBudget:
    """The cluster management organisation's budget, the same in each concept-phase year."""

    costs: tuple[Cost, ...]


@dataclass(frozen=True)
class Project:
    """An R&D project of the implementation phase with its partners and their budgets."""

    title: str
    description: str
    start_month: date
    end_month: date
    lead: str
    partners: tuple[str, ...]
    budgets: tuple[GranteeCosts, ...]


@dataclass(frozen=True)
class ProjectRevision:
    """Changed amounts of an existing R&D project (after the officer returned the proposal)."""

    title: str
    budgets: tuple[GranteeCosts, ...]


@dataclass(frozen=True)
class Reviewed:
    """The officer assigns a jury member, who scores every criterion of the round (in the
    criteria's order) and recommends; submitted unless ``draft``."""

    reviewer: str  # username
    scores: tuple[int, ...]
    recommendation: str
    comment: str = ""
    draft: bool = False


@dataclass(frozen=True)
class ConflictDeclared:
    """A jury member declares a conflict of interest with the story's cluster."""

    reviewer: str  # username
    reason: str


Step = Create | Fire | ConceptBudget | Project | ProjectRevision | Reviewed | ConflictDeclared


@dataclass(frozen=True)
class Story:
    round_number: int
    cluster: str
    manager: str  # username of the cluster management
    title: str
    strategy_summary: str
    regions: tuple[Region, ...]
    steps: tuple[tuple[datetime, Step], ...]

    @property
    def transitions(self) -> tuple[str, ...]:
        return tuple(step.transition for _at, step in self.steps if isinstance(step, Fire))


@dataclass(frozen=True)
class Draft:
    """A draft of the current round, started when the demo is loaded and left as far as the
    cluster management got: complete ones can be submitted at once, the others show on their
    page what is still missing."""

    cluster: str
    manager: str  # username of the cluster management
    title: str
    strategy_summary: str
    regions: tuple[Region, ...]


def concept_costs(
    staff: str, assistants: str, contracts: str, travel: str, other: str
) -> tuple[Cost, ...]:
    """A cluster management's concept-phase year (AZA positions)."""
    return (
        Cost("0812", Decimal(staff), "Internationalisierungsmanagement, 2,5 VZÄ E13"),
        Cost("0817", Decimal(assistants), "Projektassistenz, 1 VZÄ E9"),
        Cost("0835", Decimal(contracts), "Markt- und Partneranalysen, Übersetzungen"),
        Cost("0846", Decimal(travel), "Delegationsreisen und Partnerbesuche"),
        Cost("0843", Decimal(other), "Workshops und Informationsveranstaltungen im Cluster"),
    )


def university(staff: str, travel: str) -> tuple[Cost, ...]:
    return (
        Cost("0812", Decimal(staff), "Wissenschaftliche Mitarbeiter, E13"),
        Cost("0846", Decimal(travel), "Forschungsaufenthalte bei den Partnern im Ausland"),
    )


def company(personnel: str, other: str) -> tuple[Cost, ...]:
    return (
        Cost("0837", Decimal(personnel), "Entwicklungsingenieure"),
        Cost("0850", Decimal(other), "Prototypen und Versuchsmaterial"),
    )
