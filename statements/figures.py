"""The figures of a statement: plan against actual per position and year, the 20 % rule, the
money drawn but not spent, and the settlement. Pure Decimal, no database; the plan is the
grantee's block of the current budget summary (``budgets.summary``), so a statement always
follows the current approved version of the plan.

The 20 % rule (ANBest-P 1.2): a position may exceed its approved amount by up to the
programme's tolerance when savings in the grantee's other positions of the same year cover it.
What goes beyond is not eligible without a change request: each position counts at most its
plan plus the tolerance, and a year at most its plan in total.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.arithmetic import Figures, grant_figures
from budgets.models import BudgetPosition
from budgets.summary import GranteeBlock
from kernel.money import CENT, HUNDRED, format_eur, format_percent

ZERO = Decimal("0.00")

BEYOND_TOLERANCE = gettext_noop(
    "Position %(position)s in %(year)s: the actual %(actual)s exceeds the approved %(plan)s by "
    "%(excess)s (%(rate)s), more than the %(tolerance)s allowed; the excess needs a change "
    "request."
)
NOT_COVERED = gettext_noop(
    "%(year)s: the positions exceed their approved amounts by %(excess)s, but the savings in "
    "the other positions are only %(savings)s; the %(uncovered)s not covered need a change "
    "request."
)


@dataclass(frozen=True)
class Finding:
    """A breach of the 20 % rule, said with the numbers."""

    code: str
    detail: str
    year: int
    position_code: str = ""


@dataclass(frozen=True)
class PositionFigures:
    position: BudgetPosition
    year: int
    plan_amount: Decimal
    actual_amount: Decimal
    eligible_amount: Decimal  # the actual, at most the plan plus the tolerance
    within_tolerance: bool
    paid_amount: Decimal = ZERO  # paid out under this position for the year (drawdowns)

    @property
    def difference_amount(self) -> Decimal:
        """Actual minus plan: above zero an excess, below a saving."""
        return self.actual_amount - self.plan_amount

    @property
    def excess_rate(self) -> Decimal | None:
        """The excess in percent of the plan (two places), None without a plan or an excess."""
        if self.plan_amount <= 0 or self.difference_amount <= 0:
            return None
        return (self.difference_amount * HUNDRED / self.plan_amount).quantize(CENT)


@dataclass(frozen=True)
class YearFigures:
    year: int
    positions: Sequence[PositionFigures]
    funding: Figures  # of the eligible actuals
    approved_funding_amount: Decimal
    spent_funding_amount: Decimal  # the funding the actuals would carry, all of them
    findings: Sequence[Finding] = field(default_factory=tuple)

    @property
    def plan_amount(self) -> Decimal:
        return sum((p.plan_amount for p in self.positions), ZERO)

    @property
    def actual_amount(self) -> Decimal:
        return sum((p.actual_amount for p in self.positions), ZERO)

    @property
    def difference_amount(self) -> Decimal:
        return self.actual_amount - self.plan_amount

    @property
    def eligible_amount(self) -> Decimal:
        return self.funding.eligible_amount

    @property
    def paid_amount(self) -> Decimal:
        return sum((p.paid_amount for p in self.positions), ZERO)

    @property
    def unspent_amount(self) -> Decimal:
        """Money paid out for the year that the actuals do not account for."""
        return max(self.paid_amount - self.spent_funding_amount, ZERO)


@dataclass(frozen=True)
class StatementFigures:
    years: Sequence[YearFigures]
    tolerance_rate: Decimal

    @property
    def findings(self) -> list[Finding]:
        return [finding for year in self.years for finding in year.findings]

    def _total(self, name: str) -> Decimal:
        return sum((getattr(year, name) for year in self.years), ZERO)

    @property
    def plan_amount(self) -> Decimal:
        return self._total("plan_amount")

    @property
    def actual_amount(self) -> Decimal:
        return self._total("actual_amount")

    @property
    def eligible_amount(self) -> Decimal:
        return self._total("eligible_amount")

    @property
    def funding_amount(self) -> Decimal:
        return self.funding.funding_amount

    @property
    def approved_funding_amount(self) -> Decimal:
        return self._total("approved_funding_amount")

    @property
    def paid_amount(self) -> Decimal:
        return self._total("paid_amount")

    @property
    def unspent_amount(self) -> Decimal:
        return self._total("unspent_amount")

    @property
    def funding(self) -> Figures:
        total = Figures()
        for year in self.years:
            total += year.funding
        return total


def tolerance_amount(plan_amount: Decimal, tolerance_rate: Decimal) -> Decimal:
    """The most a position may exceed its plan by, in whole cents (rounded down, so that a
    cent more is always beyond)."""
    return (plan_amount * tolerance_rate / HUNDRED).quantize(CENT, rounding=ROUND_FLOOR)


def position_figures(
    position: BudgetPosition,
    year: int,
    plan_amount: Decimal,
    actual_amount: Decimal,
    tolerance_rate: Decimal,
    paid_amount: Decimal = ZERO,
) -> PositionFigures:
    allowed = plan_amount + tolerance_amount(plan_amount, tolerance_rate)
    return PositionFigures(
        position=position,
        year=year,
        plan_amount=plan_amount,
        actual_amount=actual_amount,
        eligible_amount=min(actual_amount, allowed),
        within_tolerance=actual_amount <= allowed,
        paid_amount=paid_amount,
    )


def tolerance_findings(
    year: int, positions: Sequence[PositionFigures], tolerance_rate: Decimal
) -> list[Finding]:
    """Each position beyond the tolerance, and a year whose excesses its savings do not cover."""
    found = []
    for row in positions:
        if row.within_tolerance:
            continue
        context = {
            "position": row.position.code,
            "year": year,
            "actual": format_eur(row.actual_amount),
            "plan": format_eur(row.plan_amount),
            "excess": format_eur(row.difference_amount),
            "rate": format_percent(row.excess_rate) if row.excess_rate is not None else "—",
            "tolerance": format_percent(tolerance_rate),
        }
        found.append(
            Finding("beyond_tolerance", _(BEYOND_TOLERANCE) % context, year, row.position.code)
        )
    excess = sum((max(row.difference_amount, ZERO) for row in positions), ZERO)
    savings = sum((max(-row.difference_amount, ZERO) for row in positions), ZERO)
    if excess > savings:
        context = {
            "year": year,
            "excess": format_eur(excess),
            "savings": format_eur(savings),
            "uncovered": format_eur(excess - savings),
        }
        found.append(Finding("not_covered", _(NOT_COVERED) % context, year))
    return found


def statement_figures(
    block: GranteeBlock,
    actuals: Mapping[tuple[int, int], Decimal],
    years: Sequence[int],
    *,
    tolerance_rate: Decimal,
    projektpauschale_rate: Decimal,
    paid: Mapping[tuple[int, int], Decimal],
) -> StatementFigures:
    """The figures of ``years`` for the grantee of ``block`` (its current plan), with the
    actuals and the amounts paid out per (position id, year)."""
    result = []
    for year in years:
        rows = [
            position_figures(
                row.position,
                year,
                row.by_year[year].eligible_amount if year in row.by_year else ZERO,
                actuals.get((row.position.pk, year), ZERO),
                tolerance_rate,
                paid.get((row.position.pk, year), ZERO),
            )
            for row in block.positions
        ]
        plan = sum((row.plan_amount for row in rows), ZERO)
        eligible = min(sum((row.eligible_amount for row in rows), ZERO), plan)

        def funding(eligible_amount: Decimal) -> Figures:
            return grant_figures(
                eligible_amount,
                funding_rate=block.funding_rate,
                has_projektpauschale=block.has_projektpauschale,
                projektpauschale_rate=projektpauschale_rate,
            )

        approved = block.by_year.get(year, Figures()).funding_amount
        spent = funding(sum((row.actual_amount for row in rows), ZERO))
        result.append(
            YearFigures(
                year=year,
                positions=rows,
                funding=funding(eligible),
                approved_funding_amount=approved,
                spent_funding_amount=spent.funding_amount,
                findings=tolerance_findings(year, rows, tolerance_rate),
            )
        )
    return StatementFigures(years=result, tolerance_rate=tolerance_rate)
