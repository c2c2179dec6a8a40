"""The kinds and states of statements and settlements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementKind(models.TextChoices):
    INTERIM = "interim", _("interim statement")
    FINAL = "final", _("final statement")


class StatementState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with questions")
    ACCEPTED = "accepted", _("accepted")


# The cluster management writes a statement only while it has it.
EDITABLE_STATES = (StatementState.DRAFT, StatementState.RETURNED)

# A statement counts as received once submitted: returning it with questions does not make it
# overdue again.
RECEIVED_STATES = (StatementState.SUBMITTED, StatementState.RETURNED, StatementState.ACCEPTED)


class SettlementState(models.TextChoices):
    PREPARED = "prepared", _("prepared")
    DECIDED = "decided", _("decided")


class SettlementOutcome(models.TextChoices):
    REPAYMENT_CLAIM = "repayment_claim", _("repayment claim")
    FINAL_PAYMENT = "final_payment", _("final payment")
    BALANCED = "balanced", _("balanced")
