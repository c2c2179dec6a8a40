from typing import Any

from django.db import models

from programmes import access


class ApplicationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> "ApplicationQuerySet":
        """Everything for officers and auditors, the own cluster's for a cluster management."""
        if access.can_read_all(user):
            return self
        cluster_id = access.cluster_id_of(user)
        if cluster_id is None:
            return self.none()
        return self.filter(cluster_id=cluster_id)

    def with_programme(self) -> "ApplicationQuerySet":
        return self.select_related("round__programme", "cluster__management_organisation")

    def in_states(self, states: Any) -> "ApplicationQuerySet":
        return self.filter(state__in=list(states))


ApplicationManager = models.Manager.from_queryset(ApplicationQuerySet)
