"""Each application's budget totals per phase, stored (``BudgetFigures``), so that pages and
lists of many applications sum them in SQL instead of recomputing every budget.

The figures are the budget summary's (``budgets.summary``), never computed another way: every
budget change stores them again in its own transaction (``budgets.services.budget_change``), a
change of a programme's Projektpauschale rate stores them for the programme's applications, and
``manage.py budget_figures`` rebuilds or checks them all.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import models

from .arithmetic import Figures
from .models import BudgetFigures, Phase
from .protocols import BudgetedApplication
from .selectors import budget_summaries
from .signals import figures_stored

AMOUNTS = ("eligible_amount", "grant_amount", "projektpauschale_amount")
FIELDS: dict[str, tuple[str, ...]] = {
    phase.value: tuple(f"{phase}_{amount}" for amount in AMOUNTS) for phase in Phase
}
ALL_FIELDS = [name for names in FIELDS.values() for name in names]
BATCH = 500  # applications summarised at once: bounded memory whatever the table's size


def stored(row: Any, phase: str, prefix: str = "") -> Figures:
    """The figures of a phase from a ``BudgetFigures`` row, or from the values of a query that
    selected its fields (``prefix`` e.g. ``"budget_figures__"``); missing means zero."""

    def amount(name: str) -> Any:
        key = f"{prefix}{name}"
        value = row.get(key) if isinstance(row, dict) else getattr(row, key, None)
        return value if value is not None else Figures().eligible_amount

    eligible, grant, pauschale = (amount(name) for name in FIELDS[phase])
    return Figures(eligible, grant, pauschale)


def computed(applications: Sequence[BudgetedApplication]) -> list[BudgetFigures]:
    """The rows the budget summaries give these applications (loaded as
    ``budgets.selectors.budget_summaries`` needs them)."""
    rows = []
    for pk, summary in budget_summaries(applications).items():
        values: dict[str, Any] = {}
        for phase in Phase:
            figures = summary.phase(phase).total.figures
            values.update(zip(FIELDS[phase], (getattr(figures, a) for a in AMOUNTS), strict=True))
        rows.append(BudgetFigures(application_id=pk, **values))
    return rows


def figures_store(applications: Sequence[BudgetedApplication]) -> None:
    """Store the figures of these applications as their summaries compute them now, and tell
    whoever sums them (``budgets.signals.figures_stored``), in the same transaction."""
    BudgetFigures.objects.bulk_create(
        computed(applications),
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=ALL_FIELDS,
    )
    figures_stored.send(BudgetFigures, application_ids=[a.pk for a in applications])


def _applications() -> "models.QuerySet[Any]":
    model = BudgetFigures._meta.get_field("application").related_model
    return model._default_manager.select_related(
        "round__programme", "cluster__management_organisation"
    ).order_by("pk")


def _batches(ids: Iterable[int] | None) -> Iterator[list[Any]]:
    queryset = _applications()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield list(queryset.filter(pk__in=pks[start : start + BATCH]))


def figures_rebuild(ids: Iterable[int] | None = None) -> int:
    """Store the figures of the applications ``ids`` (all when None), in batches; how many."""
    count = 0
    for batch in _batches(ids):
        figures_store(batch)
        count += len(batch)
    return count


def figures_differences(ids: Iterable[int] | None = None) -> list[int]:
    """The applications whose stored figures differ from what their summaries compute."""
    differing = []
    for batch in _batches(ids):
        rows = {row.application_id: row for row in computed(batch)}
        saved = BudgetFigures.objects.in_bulk(list(rows))
        for pk, row in rows.items():
            for phase in Phase:
                if stored(saved.get(pk), phase) != stored(row, phase):
                    differing.append(pk)
                    break
    return differing


def figures_for_programme(programme_id: int) -> int:
    """Store the figures of a programme's applications (its Projektpauschale rate changed)."""
    ids = _applications().filter(round__programme_id=programme_id).values_list("pk", flat=True)
    return figures_rebuild(list(ids))


def figures_fill_missing(**_kwargs: Any) -> None:
    """After ``migrate``: store the figures of applications with budget lines and no row yet
    (a database from before the figures were stored)."""
    missing = _applications().filter(budget_lines__isnull=False, budget_figures__isnull=True)
    figures_rebuild(set(missing.values_list("pk", flat=True)))
