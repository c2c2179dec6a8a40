"""The states of a drawdown request, and the groups of states the rules refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawdownState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CHECKED = "checked", _("checked")
    RELEASED = "released", _("released")
    PAID = "paid", _("paid")
    RETURNED = "returned", _("returned for correction")
    REFUSED = "refused", _("refused")


# The requests that count against a year's approved grant: submitted and later, not refused. A
# returned request is back with the cluster management and counts again once resubmitted.
COUNTED_STATES = (
    DrawdownState.SUBMITTED,
    DrawdownState.CHECKED,
    DrawdownState.RELEASED,
    DrawdownState.PAID,
)

# The cluster management writes a request only while it has it.
EDITABLE_STATES = (DrawdownState.DRAFT, DrawdownState.RETURNED)
