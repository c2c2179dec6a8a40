"""What each role may do in the admin (the back office). Kept in step after every migrate."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from .access import Role

APPS = ("programmes", "budgets", "applications", "competition")
# History rows and reviews are written by the services only (reviews by their reviewers);
# nobody adds, changes or deletes them by hand in the admin.
READ_ONLY_MODELS = (
    "applicationtransition",
    "historicalbudgetline",
    "historicalgranteeterms",
    "historicalrdproject",
    "historicalprojectpartner",
    "historicalorganisation",
    "review",
    "reviewscore",
)


def sync_role_permissions(**_kwargs: Any) -> None:
    """Officers may view, add and change the back-office data; auditors may only view."""
    permissions = Permission.objects.filter(content_type__app_label__in=APPS)
    view = permissions.filter(codename__startswith="view_")
    edit = permissions.filter(codename__regex=r"^(add|change|delete)_").exclude(
        content_type__model__in=READ_ONLY_MODELS
    )
    officer, _ = Group.objects.get_or_create(name=Role.OFFICER)
    officer.permissions.set([*view, *edit])
    auditor, _ = Group.objects.get_or_create(name=Role.AUDITOR)
    auditor.permissions.set(view)
    Group.objects.get_or_create(name=Role.CLUSTER_MANAGEMENT)
    # Reviewers and payment officers work outside the admin: the group only names the role (it
    # may have been flushed since its migration ran).
    Group.objects.get_or_create(name=Role.REVIEWER)
    Group.objects.get_or_create(name=Role.PAYMENT_OFFICER)
