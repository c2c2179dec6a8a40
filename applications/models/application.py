"""The application of a cluster in a round, its partner regions, and its workflow.

Transitions change fields only. Locking, role checks, saving and the history record happen in
``applications.services.application_transition``, the one way any interface fires a transition.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, FSMModelMixin, transition

from budgets.models import Phase
from kernel import clock
from kernel.records import ImmutableQuerySet, ImmutableRecord
from programmes import access
from programmes.models import Cluster, Round

from .. import guards
from ..querysets import ApplicationManager
from ..states import BUDGET_OPEN_STATES, State


class Application(FSMModelMixin, models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cluster")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    strategy_summary = models.TextField(_("internationalisation strategy"), blank=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    concept_start_on = models.DateField(_("concept phase starts on"))
    concept_end_on = models.DateField(_("concept phase ends on"))
    implementation_start_on = models.DateField(_("implementation phase starts on"))
    implementation_end_on = models.DateField(_("implementation phase ends on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ApplicationManager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["round", "cluster__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cluster"], name="one_application_per_cluster_per_round"
            ),
            models.CheckConstraint(
                condition=Q(concept_end_on__gte=models.F("concept_start_on")),
                name="concept_phase_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(implementation_end_on__gte=models.F("implementation_start_on")),
                name="implementation_phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.cluster}: {self.title or _('(untitled)')}"

    def clean(self) -> None:
        errors = {}
        if (
            self.concept_start_on
            and self.concept_end_on
            and self.concept_end_on < self.concept_start_on
        ):
            errors["concept_end_on"] = _("The concept phase must end after it starts.")
        if (
            self.implementation_start_on
            and self.implementation_end_on
            and self.implementation_end_on < self.implementation_start_on
        ):
            errors["implementation_end_on"] = _(
                "The implementation phase must end after it starts."
            )
        if errors:
            raise ValidationError(errors)

    def is_budget_open(self, phase: str) -> bool:
        """Whether the budget of ``phase`` may still be edited (it is frozen once approved)."""
        return self.state in BUDGET_OPEN_STATES[Phase(phase)]

    # The workflow. Role checks are the `permission` callables; guards say why they refuse.

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        conditions=[guards.round_accepts_outlines, guards.outline_is_complete],
        permission=access.is_own_cluster_management,
        custom={"label": _("Submit")},
    )
    def submit(self) -> None:
        self.submitted_at = clock.now()

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.SELECTED],
        target=State.WITHDRAWN,
        permission=access.is_own_cluster_management,
        custom={"label": _("Withdraw")},
    )
    def withdraw(self) -> None:
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.IN_REVIEW,
        permission=access.is_officer_for,
        custom={"label": _("Start review")},
    )
    def start_review(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.DRAFT,
        permission=access.is_officer_for,
        custom={"label": _("Request revision"), "comment_required": True},
    )
    def request_revision(self) -> None:
        self.submitted_at = None

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.SELECTED,
        conditions=[guards.selection_quota_not_reached, guards.enough_reviews_submitted],
        permission=access.is_officer_for,
        # The comment is the panel's justification of its decision.
        custom={"label": _("Select"), "comment_required": True},
    )
    def select(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.REJECTED,
        permission=access.is_officer_for,
        custom={"label": _("Reject"), "comment_required": True},
    )
    def reject(self) -> None:
        pass

    @transition(
        field=state,
        source=State.SELECTED,
        target=State.CONCEPT_PHASE,
        conditions=[guards.concept_budget_is_valid],
        permission=access.is_officer_for,
        custom={"label": _("Start concept phase")},
    )
    def start_concept_phase(self) -> None:
        pass

    @transition(
        field=state,
        source=State.CONCEPT_PHASE,
        target=State.IMPLEMENTATION_PROPOSED,
        conditions=[guards.implementation_plan_is_valid],
        permission=access.is_own_cluster_management,
        custom={"label": _("Propose implementation")},
    )
    def propose_implementation(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IMPLEMENTATION_PROPOSED,
        target=State.CONCEPT_PHASE,
        permission=access.is_officer_for,
        custom={"label": _("Return implementation proposal"), "comment_required": True},
    )
    def return_implementation(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IMPLEMENTATION_PROPOSED,
        target=State.IMPLEMENTATION_PHASE,
        conditions=[guards.all_caps_hold],
        permission=access.is_officer_for,
        custom={"label": _("Approve implementation")},
    )
    def approve_implementation(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IMPLEMENTATION_PROPOSED,
        target=State.CLOSED,
        permission=access.is_officer_for,
        custom={"label": _("Decline implementation"), "comment_required": True},
    )
    def decline_implementation(self) -> None:
        pass

    @transition(
        field=state,
        source=State.IMPLEMENTATION_PHASE,
        target=State.COMPLETED,
        permission=access.is_officer_for,
        custom={"label": _("Complete")},
    )
    def complete(self) -> None:
        pass


class PartnerRegion(models.Model):
    """A region abroad the cluster wants to work with, and whether the partner is known already."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="partner_regions"
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=200)
    partner_name = models.CharField(_("partner cluster or organisation"), max_length=200)
    is_known_partner = models.BooleanField(
        _("known partner"), default=False, help_text=_("Worked with before, rather than new.")
    )

    class Meta:
        verbose_name = _("partner region")
        verbose_name_plural = _("partner regions")
        ordering = ["application", "country", "region"]

    def __str__(self) -> str:
        return f"{self.region} ({self.country}): {self.partner_name}"


class ApplicationTransition(ImmutableRecord):
    """An immutable record of one state change: who, when (UTC), from, to, which, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    transition = models.CharField(_("transition"), max_length=40)
    source_state = models.CharField(_("from"), max_length=30, choices=State.choices)
    target_state = models.CharField(_("to"), max_length=30, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_transitions",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["application", "at", "pk"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.source_state} → {self.target_state}"
