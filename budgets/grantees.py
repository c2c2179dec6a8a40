"""The approved funding of each grantee per calendar year, read from the budget summary (never
summed again here): what drawdowns are checked against and the workbooks show beside them."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from programmes.models import Organisation

from .models import Phase
from .summary import BudgetSummary, GranteeBlock

ZERO = Decimal("0.00")

# (phase, R&D project id or None, organisation id): who draws down.
GranteeKey = tuple[str, int | None, int]


@dataclass(frozen=True)
class GranteeGrant:
    """A grantee's approved funding (grant plus Projektpauschale) per calendar year."""

    phase: str
    rd_project_id: int | None
    project_title: str
    organisation: Organisation
    basis: str
    has_projektpauschale: bool
    by_year: Mapping[int, Decimal]
    position_ids: frozenset[int]

    @property
    def key(self) -> GranteeKey:
        return (self.phase, self.rd_project_id, self.organisation.pk)

    def approved_amount(self, year: int) -> Decimal:
        return self.by_year.get(year, ZERO)


def _grant(block: GranteeBlock, phase: str, rd_project_id: int | None, title: str) -> GranteeGrant:
    return GranteeGrant(
        phase=phase,
        rd_project_id=rd_project_id,
        project_title=title,
        organisation=block.organisation,
        basis=block.basis,
        has_projektpauschale=block.has_projektpauschale,
        by_year={year: figures.funding_amount for year, figures in block.by_year.items()},
        position_ids=frozenset(row.position.pk for row in block.positions),
    )


def grantee_grants(summary: BudgetSummary) -> Iterator[GranteeGrant]:
    """The concept phase's grantees, then each R&D project's funded grantees."""
    for block in summary.concept.grantees:
        yield _grant(block, Phase.CONCEPT, None, "")
    for project in summary.implementation.projects:
        for block in project.grantees:
            yield _grant(block, Phase.IMPLEMENTATION, project.project.pk, project.project.title)


def grantee_grant(summary: BudgetSummary, key: GranteeKey) -> GranteeGrant | None:
    """The grantee with ``key`` in the summary, or None if the budget funds no such grantee."""
    return next((grant for grant in grantee_grants(summary) if grant.key == key), None)
