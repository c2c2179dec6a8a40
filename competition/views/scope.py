"""What the officers' pages of a round load, and who may open them: officers and auditors read
(anyone else finds nothing: 404); only officers change anything (auditors: 403)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from applications.models import Application
from applications.views import visible_application
from programmes.models import Round

from .. import access
from ..services import ONLY_OFFICERS_ASSIGN


def competition_round(user: Any, pk: int) -> Round:
    """The round, if ``user`` may read its competition; absent otherwise."""
    if not access.can_read_round_competition(user):
        raise Http404
    round_: Round = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
    return round_


def competition_application(user: Any, pk: int) -> Application:
    """An application as a page of its round's competition shows it; absent for anyone who may
    not read that competition (a reviewer or the cluster's management included)."""
    if not access.can_read_round_competition(user):
        raise Http404
    return visible_application(user, pk)


def require_assigner(user: Any) -> None:
    """Auditors read who reviews what but assign no one (403, before any input is read)."""
    if not access.can_assign_reviewers(user):
        raise PermissionDenied(_(ONLY_OFFICERS_ASSIGN))


def add_service_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form it came from, in its words."""
    for message in error.messages:
        form.add_error(None, message)
