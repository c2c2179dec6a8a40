"""Reads for the exports. The flat budget-line export streams every line of a filter from ONE
query (all joins in SQL, values only, read in chunks), so its query count and its memory do not
grow with the number of lines. Each line comes with its grant, Projektpauschale and funding: its
share of its grantee's figures for the year, by the rule the budget summary uses.

The budget engine never imports the workflow: applications are filtered through their fields
(``application__state``), never through the applications app.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import F, FilteredRelation, Max, Q, QuerySet
from django.utils import translation

from .arithmetic import share_figures
from .models import BudgetLine
from .protocols import BudgetedApplication

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class LineFilter:
    """Which lines a flat export holds; an unset filter does not restrict."""

    programme_id: int | None = None
    round_id: int | None = None
    cluster_id: int | None = None
    states: Sequence[str] = field(default_factory=tuple)

    def apply(self, lines: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
        if self.programme_id is not None:
            lines = lines.filter(application__round__programme_id=self.programme_id)
        if self.round_id is not None:
            lines = lines.filter(application__round_id=self.round_id)
        if self.cluster_id is not None:
            lines = lines.filter(application__cluster_id=self.cluster_id)
        if self.states:
            lines = lines.filter(application__state__in=list(self.states))
        return lines


def _position_name_field() -> str:
    language = translation.get_language() or "de"
    return "position__name_de" if language.startswith("de") else "position__name_en"


# The order of the values in each row; ``budgets.workbooks.layout.FLAT_COLUMNS`` follows it.
ROW_FIELDS = (
    "application__round__programme__short_name",
    "application__round__number",
    "application__cluster__name",
    "application_id",
    "application__title",
    "application__state",
    "phase",
    "rd_project__title",
    "grantee__name",
    "grantee__country",
    "position__basis",
    "position__code",
    "<position name>",
    "year",
    "eligible_amount",
    "terms__funding_rate",
    "terms__has_projektpauschale",
    "justification",
    "updated_at",
)


# What the export writes after each line's ``ROW_FIELDS``; ``budgets.workbooks.layout``
# names them ``FIGURE_COLUMNS``.
FIGURE_FIELDS = ("grant_amount", "projektpauschale_amount", "funding_amount")
# Read with each line to share its grantee's figures out; not written.
SHARE_FIELDS = (
    "rd_project_id",
    "grantee_id",
    "position_id",
    "application__round__programme__projektpauschale_rate",
)
_AT = {name: index for index, name in enumerate((*ROW_FIELDS, *SHARE_FIELDS))}

# Grouped by application, phase, project, grantee, year and position through their keys: sorting
# a million rows by names costs the database more than writing them costs openpyxl. The lines of
# one grantee and year come together, so their figures can be shared out as they stream past.
KEY_ORDER = (
    "application_id",
    "phase",
    "rd_project_id",
    "grantee_id",
    "year",
    "position_id",
)
# The same grouping, by what people read (the import template, a few hundred rows).
NAME_ORDER = (
    "application__round__programme__short_name",
    "application__round__number",
    "application__cluster__name",
    "application_id",
    "phase",
    "rd_project_id",
    "grantee__name",
    "position__basis",
    "position__code",
    "year",
)


def budget_line_rows(
    lines: QuerySet[BudgetLine],
    filters: LineFilter = LineFilter(),
    *,
    order: Sequence[str] = KEY_ORDER,
    extra: Sequence[str] = (),
) -> QuerySet[BudgetLine, tuple[Any, ...]]:
    """One tuple per line of ``lines`` (pass ``budget_lines_visible_to(user)``, or all lines
    for an operator) within ``filters``, in ``ROW_FIELDS`` order then ``extra``, the position's
    name in the active language. The grantee's terms (funding rate, Projektpauschale) are joined
    in SQL."""
    fields = [_position_name_field() if name.startswith("<") else name for name in ROW_FIELDS]
    fields += extra
    return (
        filters.apply(lines)
        .annotate(
            terms=FilteredRelation(
                "application__grantee_terms",
                condition=Q(application__grantee_terms__organisation=F("grantee")),
            )
        )
        .order_by(*order)
        .values_list(*fields)
    )


def iter_budget_line_rows(
    lines: QuerySet[BudgetLine], filters: LineFilter = LineFilter()
) -> Iterator[tuple[Any, ...]]:
    """The rows of :func:`budget_line_rows`, each followed by its ``FIGURE_FIELDS``, fetched in
    chunks (a server-side cursor on PostgreSQL), never all at once: only the lines of one
    grantee and year are held at a time."""
    rows = budget_line_rows(lines, filters, extra=SHARE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    for _unit, group in groupby(rows, key=_grantee_year):
        yield from _with_figures(list(group))


def _grantee_year(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The unit the grant is rounded in: application, phase, R&D project, grantee, year."""
    return tuple(
        row[_AT[name]]
        for name in ("application_id", "phase", "rd_project_id", "grantee_id", "year")
    )


def _with_figures(unit: Sequence[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The lines of one grantee and year with their shares of its figures (the summary's rule,
    ``share_figures``); a grantee without terms counts at 0 %, as in the summary."""
    first = unit[0]
    shares = share_figures(
        {row[_AT["position_id"]]: row[_AT["eligible_amount"]] for row in unit},
        funding_rate=first[_AT["terms__funding_rate"]] or Decimal(0),
        has_projektpauschale=bool(first[_AT["terms__has_projektpauschale"]]),
        projektpauschale_rate=first[_AT["application__round__programme__projektpauschale_rate"]],
    )
    for row in unit:
        figures = shares[row[_AT["position_id"]]]
        yield (
            *row[: len(ROW_FIELDS)],
            figures.grant_amount,
            figures.projektpauschale_amount,
            figures.funding_amount,
        )


def budget_changed_at(applications: Sequence[BudgetedApplication]) -> datetime | None:
    """When these applications or their budgets last changed: the applications' own
    timestamps and the newest entry of their budget lines' history (so deletions count too)."""
    ids = [application.pk for application in applications]
    newest_line = BudgetLine.history.filter(application_id__in=ids).aggregate(
        latest=Max("history_date")
    )["latest"]
    moments = [application.updated_at for application in applications if application.updated_at]
    if newest_line is not None:
        moments.append(newest_line)
    return max(moments, default=None)
