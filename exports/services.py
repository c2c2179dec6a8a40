"""Background exports: count cheaply (small ones stay synchronous), ask for one (the job row and
its task), and purge the expired ones. ``exports.tasks`` builds the file in the worker."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from applications.access import applications_visible_to, budget_lines_visible_to
from budgets.exports import LineFilter
from budgets.models import BudgetLine
from kernel import clock
from programmes.models import Cluster, Programme, Round

from .models import ExportJob

EXPORT_FAILED = gettext_noop(
    "The export could not be built. Please try again; if it fails again, tell the ministry's "
    "support the export's number."
)
EXPORT_EXPIRED = gettext_noop("This export has expired; please ask for it again.")


class ExportRefused(Exception):
    """The user may not ask for this export."""


@dataclass(frozen=True)
class LineExport:
    """The flat export's filters, as the page's and the API's filter forms give them."""

    programme: Programme | None = None
    round: Round | None = None
    cluster: Cluster | None = None
    states: Sequence[str] = field(default_factory=tuple)

    def line_filter(self) -> LineFilter:
        return LineFilter(
            programme_id=self.programme.pk if self.programme is not None else None,
            round_id=self.round.pk if self.round is not None else None,
            cluster_id=self.cluster.pk if self.cluster is not None else None,
            states=tuple(self.states),
        )


def budget_lines_count(user: Any, filters: LineExport) -> int:
    """How many lines the user's flat export would hold: one COUNT, no rows read."""
    return filters.line_filter().apply(budget_lines_visible_to(user)).count()


def round_lines_count(user: Any, round_: Round) -> int:
    """How many budget lines the round workbook covers: one COUNT."""
    return BudgetLine.objects.filter(
        application__in=applications_visible_to(user).filter(round=round_).values("pk")
    ).count()


def in_background(lines: int) -> bool:
    return lines > settings.EXPORT_BACKGROUND_LINES


def exports_purge(*, now: datetime | None = None) -> int:
    """Delete the expired jobs and their files; returns how many jobs were deleted."""
    now = now or clock.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
