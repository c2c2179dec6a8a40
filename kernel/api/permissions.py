"""Who may call the API at all. Object-level rules stay in ``programmes.access`` and the services:
these classes only turn away the anonymous, users without a role, and auditors who try to write."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from kernel import roles

NO_ROLE = _("Your account has no role in the funding administration.")
READ_ONLY = _("Your role may read this but not change it.")
OFFICERS_ONLY = _("Only ministry officers may change this.")
JURY_ONLY = _("Only jury members (reviewers) and ministry officers may change this.")
OFFICERS_AND_AUDITORS = _("Only ministry officers and auditors see every cluster of a round.")


def _supports(view: Any, method: str) -> bool:
    """Whether the view answers ``method``; if not, DRF answers 405 rather than 403."""
    name = method.lower()
    return name == "options" or (name in view.http_method_names and hasattr(view, name))


class FundingRole(BasePermission):
    """Reads need a role; writes need the officer or cluster-management role (auditors and
    reviewers read here)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if not _supports(view, request.method or ""):
            return True
        if not roles.roles_of(user):
            self.message, self.code = NO_ROLE, "no_role"
            return False
        if request.method in SAFE_METHODS:
            return True
        if self.may_write(user):
            return True
        self.message, self.code = self.write_refusal(user)
        return False

    def may_write(self, user: Any) -> bool:
        return roles.is_officer(user) or roles.is_cluster_manager(user)

    def write_refusal(self, user: Any) -> tuple[Any, str]:
        return READ_ONLY, "read_only"


class OfficerWrites(FundingRole):
    """Reference data (clusters, organisations): everyone with a role reads, officers write."""

    def may_write(self, user: Any) -> bool:
        return roles.is_officer(user)

    def write_refusal(self, user: Any) -> tuple[Any, str]:
        return OFFICERS_ONLY, "officers_only"


class JuryWrites(FundingRole):
    """The competition's own writes (reviews, conflict-of-interest declarations): reviewers and
    officers. Which object each may write (only the assigned reviewer writes a review) is the
    services' rule."""

    def may_write(self, user: Any) -> bool:
        return roles.is_officer(user) or roles.is_reviewer(user)

    def write_refusal(self, user: Any) -> tuple[Any, str]:
        return JURY_ONLY, "jury_only"


class ReadsAll(FundingRole):
    """Views over every cluster at once (a round's overview): officers and auditors only."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if not _supports(view, request.method or "") or roles.can_read_all(request.user):
            return True
        self.message, self.code = OFFICERS_AND_AUDITORS, "officers_and_auditors_only"
        return False
