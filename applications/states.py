"""The states of an application, and the groups of states the rules refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from budgets.models import Phase


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    SELECTED = "selected", _("selected")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CONCEPT_PHASE = "concept_phase", _("concept phase")
    IMPLEMENTATION_PROPOSED = "implementation_proposed", _("implementation proposed")
    IMPLEMENTATION_PHASE = "implementation_phase", _("implementation phase")
    CLOSED = "closed", _("closed")
    COMPLETED = "completed", _("completed")


# Applications a round has chosen to fund; they count against its quota, and their concept
# budget against its envelope.
SELECTED_STATES = (
    State.SELECTED,
    State.CONCEPT_PHASE,
    State.IMPLEMENTATION_PROPOSED,
    State.IMPLEMENTATION_PHASE,
    State.CLOSED,
    State.COMPLETED,
)

# An implementation budget counts against the envelope once approved; before that it is planned.
# A declined one (closed) and one of a withdrawn or rejected application count nowhere.
IMPLEMENTATION_APPROVED_STATES = (State.IMPLEMENTATION_PHASE, State.COMPLETED)
IMPLEMENTATION_PLANNED_STATES = (
    State.SELECTED,
    State.CONCEPT_PHASE,
    State.IMPLEMENTATION_PROPOSED,
)

# Applications the selection panel has in front of it or has decided on: the states in which a
# reviewer sees the applications assigned to them, and which the round's ranking lists.
REVIEWED_STATES = (State.IN_REVIEW, State.REJECTED, *SELECTED_STATES)

# A phase's budget may be edited only while its plan is written; afterwards changes need a
# change request.
BUDGET_OPEN_STATES = {
    Phase.CONCEPT: (State.DRAFT, State.SELECTED),
    Phase.IMPLEMENTATION: (State.CONCEPT_PHASE,),
}


def state_labels() -> dict[str, str]:
    """State codes -> their labels in the active language (for exports that show states)."""
    return {str(state.value): str(state.label) for state in State}
