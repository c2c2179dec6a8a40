"""Grant arithmetic: pure functions on Decimal, no database.

grant = eligible × funding rate, per grantee and calendar year, rounded half up to the cent;
plus the Projektpauschale (a percentage of that grant) where it applies. Caps are checked against
the funding amount: grant plus Projektpauschale.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kernel.money import percent_of

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figures:
    eligible_amount: Decimal = ZERO
    grant_amount: Decimal = ZERO
    projektpauschale_amount: Decimal = ZERO

    @property
    def funding_amount(self) -> Decimal:
        """The federal money: grant plus Projektpauschale. Caps apply to this."""
        return self.grant_amount + self.projektpauschale_amount

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.eligible_amount + other.eligible_amount,
            self.grant_amount + other.grant_amount,
            self.projektpauschale_amount + other.projektpauschale_amount,
        )


def grant_figures(
    eligible_amount: Decimal,
    *,
    funding_rate: Decimal,
    has_projektpauschale: bool,
    projektpauschale_rate: Decimal,
) -> Figures:
    """The figures of one grantee in one year (the unit the rounding rule applies to)."""
    grant = percent_of(eligible_amount, funding_rate)
    pauschale = percent_of(grant, projektpauschale_rate) if has_projektpauschale else ZERO
    return Figures(eligible_amount, grant, pauschale)


def sum_figures(figures: Iterable[Figures]) -> Figures:
    total = Figures()
    for item in figures:
        total += item
    return total
