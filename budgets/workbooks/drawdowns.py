"""The sheet of drawn and remaining grant per grantee and year, in the application workbook and
the round workbook alike. The approved funding comes from the budget summary
(``budgets.grantees``); what is drawn is given by the caller, read from the drawdown requests
through the reverse relation ``application.drawdown_requests`` (this layer never imports the
drawdowns). Remaining is a formula, checked against the figures (``built.expect``)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from ..grantees import ZERO, grantee_grants
from ..models import Phase
from ..summary import BudgetSummary
from .built import BuiltWorkbook
from .cells import fit_columns, header_row, print_setup, put_formula, put_number, put_text, ref
from .cells import sheet_title as valid_title

# (phase, R&D project id or None, organisation id, year)
DrawnKey = tuple[str, int | None, int, int]


class DrawnDown(Protocol):
    """The manager of ``application.drawdown_requests`` (``disbursements.querysets``)."""

    def drawn_by_grantee_year(self) -> Mapping[DrawnKey, Decimal]: ...


@dataclass(frozen=True)
class DrawdownRow:
    application: str
    grantee: str
    project: str
    year: int
    approved_amount: Decimal
    drawn_amount: Decimal


def drawdown_rows(
    label: str, summary: BudgetSummary, drawn: Mapping[DrawnKey, Decimal]
) -> list[DrawdownRow]:
    """One row per grantee and year of the approved budget, with what is drawn of it."""
    return [
        DrawdownRow(
            application=label,
            grantee=grant.organisation.name,
            project=grant.project_title or str(Phase(grant.phase).label),
            year=year,
            approved_amount=approved,
            drawn_amount=drawn.get((*grant.key, year), ZERO),
        )
        for grant in grantee_grants(summary)
        for year, approved in sorted(grant.by_year.items())
    ]


def drawdown_sheet(built: BuiltWorkbook, rows: Sequence[DrawdownRow], taken: Iterable[str]) -> None:
    ws = built.workbook.create_sheet(valid_title(_("Drawdowns"), taken))
    header_row(
        ws,
        1,
        [
            _("Application"),
            _("Grantee"),
            _("R&D project or phase"),
            _("Year"),
            _("Approved funding"),
            _("Drawn"),
            _("Remaining"),
        ],
    )
    for number, row in enumerate(rows, start=2):
        put_text(ws, number, 1, row.application)
        put_text(ws, number, 2, row.grantee)
        put_text(ws, number, 3, row.project)
        put_number(ws, number, 4, row.year, number_format="0")
        put_number(ws, number, 5, row.approved_amount)
        put_number(ws, number, 6, row.drawn_amount)
        cell = put_formula(ws, number, 7, f"={ref(5, number)}-{ref(6, number)}")
        built.expect(cell, row.approved_amount - row.drawn_amount)
    if not rows:
        put_text(ws, 2, 1, _("No approved grant yet."))
    fit_columns(ws)
    print_setup(ws, header_rows=1, freeze="A2")
