"""Who may see and change a cluster's members, activities and surveys: the one place the pages,
the API and the workbook ask.

A cluster's management, the officers and the auditors read them; the management and the officers
write (auditors never); to anyone else, another cluster's management included, they are absent
(404). The programme's figures over every cluster are the officers' and auditors'.
"""

from typing import Any

from django.db.models import QuerySet

from programmes import access as roles
from programmes.models import Cluster

from .models import Activity, Member


def clusters_monitored_by(user: Any) -> QuerySet[Cluster]:
    """The clusters whose members, activities and survey ``user`` may read."""
    clusters = Cluster.objects.all()
    if roles.can_read_all(user):
        return clusters
    cluster_id = roles.cluster_id_of(user)
    return clusters.none() if cluster_id is None else clusters.filter(pk=cluster_id)


def can_write(user: Any, cluster: Cluster) -> bool:
    """Officers and the cluster's own management; never auditors."""
    return roles.can_write_cluster(user, cluster.pk)


def can_read_programme(user: Any) -> bool:
    """The programme dashboard over every cluster: officers and auditors."""
    return roles.can_read_all(user)


def members_visible_to(user: Any) -> QuerySet[Member]:
    return Member.objects.filter(cluster__in=clusters_monitored_by(user))


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(cluster__in=clusters_monitored_by(user))
