"""The states of a change request, and the groups of states the rules refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with questions")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


# A plan has at most one change request that is not decided yet.
OPEN_STATES = (ChangeState.DRAFT, ChangeState.SUBMITTED, ChangeState.RETURNED)

# The cluster management writes its proposal only while it has it.
EDITABLE_STATES = (ChangeState.DRAFT, ChangeState.RETURNED)
