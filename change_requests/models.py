"""Change requests (Änderungsanträge): a proposed new version of an approved budget plan, its
lines, its workflow and that workflow's history.

A proposal stores only what it changes: the amount it proposes for each line key (phase, R&D
project, grantee, year, position) that differs from the plan, and the phases' end dates.
Transitions change fields only; locking, the rules with their numbers, writing the approved
version and the history row happen in ``change_requests.services``.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from applications.models import Application
from budgets.models import BudgetPosition, Phase, PlanVersion, RDProject
from kernel import clock
from kernel.money import MoneyField
from kernel.records import ImmutableQuerySet, ImmutableRecord
from programmes.access import is_officer_for, is_own_cluster_management
from programmes.models import Organisation

from . import guards
from .states import OPEN_STATES, ChangeState


class ChangeRequest(FSMModelMixin, models.Model):
    """The cluster management's proposal to change its approved plan: money between positions
    or years, or a later end of a phase at no extra cost."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("application"),
    )
    state = FSMField(
        _("state"), default=ChangeState.DRAFT, choices=ChangeState.choices, protected=True
    )
    reason = models.TextField(_("reason"), blank=True)
    concept_end_on = models.DateField(_("concept phase ends on"))
    implementation_end_on = models.DateField(_("implementation phase ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_requests_created",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_requests_decided",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.OneToOneField(
        PlanVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_request",
        verbose_name=_("plan version"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_change_request_per_application",
            ),
        ]

    def __str__(self) -> str:
        return _("Change request %(number)s") % {"number": self.pk}

    @property
    def cluster_id(self) -> int:
        """The cluster whose management proposes it (for the access predicates)."""
        return self.application.cluster_id

    # The workflow. Role checks are the ``permission`` callables; guards say why they refuse.

    @transition(
        field=state,
        source=[ChangeState.DRAFT, ChangeState.RETURNED],
        target=ChangeState.SUBMITTED,
        conditions=list(guards.PROPOSAL_GUARDS),
        permission=is_own_cluster_management,
        custom={"label": _("Submit")},
    )
    def submit(self) -> None:
        self.submitted_at = clock.now()

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.RETURNED,
        permission=is_officer_for,
        custom={"label": _("Return with questions"), "comment_required": True},
    )
    def return_with_questions(self) -> None:
        pass

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.APPROVED,
        conditions=list(guards.PROPOSAL_GUARDS),
        permission=is_officer_for,
        custom={"label": _("Approve")},
    )
    def approve(self, *, by: Any) -> None:
        self.decided_by = by
        self.decided_at = clock.now()

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.REFUSED,
        permission=is_officer_for,
        custom={"label": _("Refuse"), "comment_required": True},
    )
    def refuse(self, *, by: Any) -> None:
        self.decided_by = by
        self.decided_at = clock.now()


class ChangeRequestLine(models.Model):
    """The amount a change request proposes for one line key of the plan."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="lines"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    rd_project = models.ForeignKey(
        RDProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("R&D project"),
    )
    grantee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("grantee")
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    position = models.ForeignKey(
        BudgetPosition, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    eligible_amount = MoneyField(_("proposed eligible amount (EUR)"))

    class Meta:
        verbose_name = _("change request line")
        verbose_name_plural = _("change request lines")
        ordering = ["change_request", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_amount__gte=0),
                name="proposed_amount_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantee_id} {self.year} {self.position_id}: {self.eligible_amount}"


class ChangeRequestTransition(ImmutableRecord):
    """An immutable record of one state change: who, when (UTC), from, to, which, and why."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="transitions"
    )
    transition = models.CharField(_("transition"), max_length=40)
    source_state = models.CharField(_("from"), max_length=20, choices=ChangeState.choices)
    target_state = models.CharField(_("to"), max_length=20, choices=ChangeState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_request_transitions",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request state change")
        verbose_name_plural = _("change request state changes")
        ordering = ["change_request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.change_request_id}: {self.source_state} → {self.target_state}"
