"""The task backlog for django-health-check (``/health/``): fails when more than
``TASK_BACKLOG_LIMIT`` tasks have waited longer than ``TASK_BACKLOG_MINUTES``, i.e. when no worker
runs or the workers cannot keep up."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from kernel import clock


@dataclasses.dataclass
class TaskBacklogCheck(HealthCheck):
    def run(self) -> None:
        waited = clock.now() - timedelta(minutes=settings.TASK_BACKLOG_MINUTES)
        waiting = DBTaskResult.objects.ready().filter(enqueued_at__lte=waited).count()
        if waiting > settings.TASK_BACKLOG_LIMIT:
            raise ServiceUnavailable(
                f"{waiting} tasks have waited more than {settings.TASK_BACKLOG_MINUTES} minutes "
                f"(limit {settings.TASK_BACKLOG_LIMIT}); is `manage.py db_worker` running?"
            )
