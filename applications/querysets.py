from typing import Any

from django.db import models


class ApplicationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Filters and what a page loads with an application. Who may see which: ``access``."""

    def with_programme(self) -> "ApplicationQuerySet":
        return self.select_related("round__programme", "cluster__management_organisation")

    def in_states(self, states: Any) -> "ApplicationQuerySet":
        return self.filter(state__in=list(states))


ApplicationManager = models.Manager.from_queryset(ApplicationQuerySet)
