"""/health/ for load balancers and monitoring: each check's name and ok or failing, nothing more
(the reasons go to the log, not to whoever can reach the URL)."""

import dataclasses
import inspect
import logging

from asgiref.sync import async_to_sync
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable

from exports.health import TaskBacklogCheck

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class PendingMigrations(HealthCheck):
    """A server whose code expects migrations the database lacks is not ready for traffic."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        executor = MigrationExecutor(connections[self.alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("unapplied migrations")


def checks() -> dict[str, HealthCheck]:
    """The checks by the name /health/ reports them under."""
    return {
        "database": Database(),
        "cache": Cache(),
        "storage": Storage(),
        "private_storage": Storage(alias="private"),
        "migrations": PendingMigrations(),
        "tasks": TaskBacklogCheck(),
    }


def passes(name: str, check: HealthCheck) -> bool:
    # In the request's own thread (the library's view would use a thread pool): each probe's
    # database connection is then closed with the request like any other.
    try:
        if inspect.iscoroutinefunction(check.run):
            async_to_sync(check.run)()
        else:
            check.run()
    except Exception:
        logger.warning("health check %s failed", name, exc_info=True)
        return False
    return True


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    report = {name: "ok" if passes(name, check) else "failing" for name, check in checks().items()}
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": report},
        status=200 if healthy else 503,
    )
