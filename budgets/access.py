"""Who may change a budget and the budget's reference data. Reading a budget follows reading its
application (``applications.access``, above this app); these are the rules the budget engine's
own services and importers check. Built on the roles of ``programmes.access``."""

from typing import Any

from programmes import access
from programmes.models import Organisation

from .protocols import BudgetedApplication


def can_write_budget(user: Any, application: BudgetedApplication) -> bool:
    """Officers and the cluster's own management; never auditors or reviewers. Which phase may
    still change is the budget services' rule (``Application.is_budget_open``)."""
    return access.can_write_cluster(user, application.cluster_id)


def can_use_organisation(user: Any, organisation: Organisation, application: Any) -> bool:
    """Whether ``user`` may make ``organisation`` a partner or grantee of ``application``: one
    they may see, confirmed or proposed by the application's cluster."""
    return access.can_use_organisation(user, organisation, application.cluster_id)


def can_import_directory(user: Any) -> bool:
    """The organisation directory is reference data of every cluster: officers only."""
    return access.is_officer(user)
