"""Reads for the exports. The flat budget-line export streams every line of a filter from ONE
query (all joins in SQL, values only, read in chunks), so its query count and its memory do not
grow with the number of lines.

The budget engine never imports the workflow: applications are filtered through their fields
(``application__state``), never through the applications app.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, FilteredRelation, Max, Q, QuerySet
from django.utils import translation

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


# Grouped by application, phase, project, grantee, position and year through their keys: sorting
# a million rows by names costs the database more than writing them costs openpyxl.
KEY_ORDER = (
    "application_id",
    "phase",
    "rd_project_id",
    "grantee_id",
    "position_id",
    "year",
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
) -> QuerySet[BudgetLine, tuple[Any, ...]]:
    """One tuple per line of ``lines`` (pass ``budget_lines_visible_to(user)``, or all lines
    for an operator) within ``filters``, in ``ROW_FIELDS`` order, the position's name in the
    active language. The grantee's terms (funding rate, Projektpauschale) are joined in SQL."""
    fields = [_position_name_field() if name.startswith("<") else name for name in ROW_FIELDS]
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
) -> Iterator[Any]:
    """The rows of :func:`budget_line_rows`, fetched in chunks (a server-side cursor on
    PostgreSQL), never all at once."""
    return budget_line_rows(lines, filters).iterator(chunk_size=CHUNK_SIZE)


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
