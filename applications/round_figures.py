"""The per-state sums of each round (``RoundFigures``), kept in step with the applications and
their stored budget figures: refreshed, under the round's row lock, in the transaction of every
change of an application (saved or deleted) and of every budget change (``budgets.signals
.figures_stored``). A round without a row yet is summed when read (``grouped``)."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum

from budgets.figures import ALL_FIELDS
from kernel.money import CENT
from programmes.models import Round

from .models import Application, RoundFigures

_SUMS = {name: Sum(f"budget_figures__{name}") for name in ALL_FIELDS}


BySector = dict[str, dict[str, list[Any]]]


def grouped(round_ids: Sequence[int]) -> dict[int, BySector]:
    """Per round, cluster sector and state: [count, the six sums], summed now in one query."""
    rows = (
        Application.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id", "cluster__sector", "state")
        .annotate(count=Count("pk"), **_SUMS)
    )
    by_round: dict[int, BySector] = {pk: {} for pk in round_ids}
    for row in rows:
        sums = [str(Decimal(row[name] or 0).quantize(CENT)) for name in ALL_FIELDS]
        sector = by_round[row["round_id"]].setdefault(row["cluster__sector"], {})
        sector[row["state"]] = [row["count"], *sums]
    return by_round


def round_figures_refresh(round_ids: Iterable[int]) -> None:
    """Sum the rounds again and store it; each round's row lock is taken first (in id order, as
    the workflow takes it after the application's), so two changes in a round follow each other."""
    ids = sorted(set(round_ids))
    if not ids:
        return
    with transaction.atomic():  # the caller's, or its own when called outside one
        list(Round.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        RoundFigures.objects.bulk_create(
            [RoundFigures(round_id=pk, by_sector=sums) for pk, sums in grouped(ids).items()],
            update_conflicts=True,
            unique_fields=["round"],
            update_fields=["by_sector"],
        )


def round_figures_refresh_for(application_ids: Iterable[int]) -> None:
    rounds = Application.objects.filter(pk__in=list(application_ids)).values_list(
        "round_id", flat=True
    )
    round_figures_refresh(rounds.distinct())


def round_figures_fill_missing(**_kwargs: Any) -> None:
    """After ``migrate``: sum the rounds that have no row yet (a database from before them)."""
    round_figures_refresh(Round.objects.filter(figures__isnull=True).values_list("pk", flat=True))
