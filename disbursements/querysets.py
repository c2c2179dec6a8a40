"""Filters and sums of drawdown requests. Lower layers reach them through the reverse relation
``application.drawdown_requests`` (its manager is this queryset's), without importing this app."""

from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, Sum
from django.db.models.functions import Coalesce

from .states import COUNTED_STATES

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)

# (phase, R&D project id or None, organisation id, year)
DrawnKey = tuple[str, int | None, int, int]


class DrawdownQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def counted(self) -> "DrawdownQuerySet":
        """What counts against a year's grant: submitted and later, not refused."""
        return self.filter(state__in=COUNTED_STATES)

    def drawn_by_grantee_year(self) -> dict[DrawnKey, Decimal]:
        """The counted amounts per grantee and year (of one application), in one query."""
        return {key: total for (_application, key), total in self._drawn().items()}

    def drawn_by_application(self) -> dict[int, dict[DrawnKey, Decimal]]:
        """The counted amounts per application, grantee and year, in one query."""
        found: dict[int, dict[DrawnKey, Decimal]] = defaultdict(dict)
        for (application_id, key), total in self._drawn().items():
            found[application_id][key] = total
        return dict(found)

    def _drawn(self) -> dict[tuple[int, DrawnKey], Decimal]:
        rows = (
            self.counted()
            .values("application_id", "phase", "rd_project_id", "grantee_id", "year")
            .annotate(total=Coalesce(Sum("positions__amount"), ZERO, output_field=MONEY))
            .order_by()
        )
        return {
            (
                row["application_id"],
                (row["phase"], row["rd_project_id"], row["grantee_id"], row["year"]),
            ): row["total"]
            for row in rows
        }
