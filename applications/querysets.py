from typing import Any

from django.db import models

from programmes import access

from .states import REVIEWED_STATES


class ApplicationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> "ApplicationQuerySet":
        """Everything for officers and auditors, the own cluster's for a cluster management,
        and for a reviewer the applications assigned to them once they are in review."""
        if access.can_read_all(user):
            return self
        visible = models.Q()
        cluster_id = access.cluster_id_of(user)
        if cluster_id is not None:
            visible |= models.Q(cluster_id=cluster_id)
        if access.is_reviewer(user):
            # A subquery, so that a user with both roles gets no duplicate rows from the join.
            assigned = self.model._default_manager.filter(
                reviewer_assignments__reviewer_id=user.pk, state__in=REVIEWED_STATES
            )
            visible |= models.Q(pk__in=assigned.values("pk"))
        return self.filter(visible) if visible else self.none()

    def with_programme(self) -> "ApplicationQuerySet":
        return self.select_related("round__programme", "cluster__management_organisation")

    def in_states(self, states: Any) -> "ApplicationQuerySet":
        return self.filter(state__in=list(states))


ApplicationManager = models.Manager.from_queryset(ApplicationQuerySet)
