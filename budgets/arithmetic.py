"""Grant arithmetic: pure functions on Decimal, no database.

grant = eligible × funding rate, per grantee and calendar year, rounded half up to the cent;
plus the Projektpauschale (a percentage of that grant) where it applies. Caps are checked against
the funding amount: grant plus Projektpauschale. docs/glossary.md names each figure.

A grantee's figures for a year are shared out over its budget lines (positions) in proportion
to their eligible amounts, to the cent, so that the lines add up to the grantee-year figures
exactly (``share_figures``).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TypeVar

from kernel.money import CENT, percent_of

ZERO = Decimal("0.00")

Key = TypeVar("Key", bound=Hashable)


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


def share_out(amount: Decimal, weights: Mapping[Key, Decimal]) -> dict[Key, Decimal]:
    """``amount`` (whole cents, not negative) shared out in proportion to ``weights`` (not
    negative), in whole cents that add up to ``amount`` exactly: each share rounded down, then
    the cents left over go one each to the largest remainders (ties: the smallest key).
    Shares of zero weights are zero; all zero weights get all zero shares."""
    total_weight = sum(weights.values(), ZERO)
    if total_weight == 0:
        return dict.fromkeys(weights, ZERO)
    exact = {key: amount * weight / total_weight for key, weight in weights.items()}
    shares = {key: value.quantize(CENT, rounding=ROUND_FLOOR) for key, value in exact.items()}
    left_over = int((amount - sum(shares.values(), ZERO)) / CENT)
    by_remainder = sorted(weights, key=lambda key: (shares[key] - exact[key], key))
    for key in by_remainder[:left_over]:
        shares[key] += CENT
    return shares


def share_figures(
    eligible_amounts: Mapping[Key, Decimal],
    *,
    funding_rate: Decimal,
    has_projektpauschale: bool,
    projektpauschale_rate: Decimal,
) -> dict[Key, Figures]:
    """The figures of one grantee in one year (``grant_figures`` of the summed eligible
    amounts), shared out over its lines in proportion to their eligible amounts: the lines'
    figures add up to the grantee-year figures to the cent, whatever order they come in."""
    total = grant_figures(
        sum(eligible_amounts.values(), ZERO),
        funding_rate=funding_rate,
        has_projektpauschale=has_projektpauschale,
        projektpauschale_rate=projektpauschale_rate,
    )
    grants = share_out(total.grant_amount, eligible_amounts)
    pauschalen = share_out(total.projektpauschale_amount, eligible_amounts)
    return {
        key: Figures(eligible, grants[key], pauschalen[key])
        for key, eligible in eligible_amounts.items()
    }
