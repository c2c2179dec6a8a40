"""Drawdown requests (Mittelabrufe), their positions, their workflow and its history, and the
payment runs that pay them.

Transitions change fields only. Locking, the rules with their numbers, saving and the history row
happen in ``disbursements.services.drawdown_transition``, the one way any interface fires one.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from applications.models import Application
from budgets.models import BudgetPosition, Phase, RDProject
from kernel import clock
from kernel.money import MoneyField
from kernel.records import ImmutableQuerySet, ImmutableRecord
from programmes.models import Organisation

from . import guards, predicates
from .querysets import DrawdownQuerySet
from .states import DrawdownState


class PaymentRun(models.Model):
    """Released requests paid together by the cash office; paid once, with one date and
    reference."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payment_runs_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_runs_paid",
        verbose_name=_("marked paid by"),
    )

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | ~Q(payment_reference=""),
                name="paid_run_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return _("Payment run %(number)s") % {"number": self.pk}

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class DrawdownRequest(FSMModelMixin, models.Model):
    """One grantee's request for money of one calendar year: the cluster's management
    organisation in the concept phase, a funded German partner of an R&D project in the
    implementation phase."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="drawdown_requests",
        verbose_name=_("application"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    rd_project = models.ForeignKey(
        RDProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawdown_requests",
        verbose_name=_("R&D project"),
    )
    grantee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="drawdown_requests",
        verbose_name=_("grantee"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    period_start_on = models.DateField(_("period from"))
    period_end_on = models.DateField(_("period to"))
    spend_by_on = models.DateField(
        _("spent by"),
        null=True,
        blank=True,
        help_text=_("Expenditure basis (AZA): the day by which the money will be spent."),
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    state = FSMField(
        _("state"), default=DrawdownState.DRAFT, choices=DrawdownState.choices, protected=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawdowns_checked",
        verbose_name=_("checked by"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawdowns_released",
        verbose_name=_("released by"),
    )
    payment_run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("payment run"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    spent_reported_on = models.DateField(_("reported as spent on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = DrawdownQuerySet.as_manager()

    class Meta:
        verbose_name = _("drawdown request")
        verbose_name_plural = _("drawdown requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["application", "grantee", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end_on__gte=models.F("period_start_on")),
                name="drawdown_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(phase=Phase.CONCEPT) & Q(rd_project__isnull=True))
                | (Q(phase=Phase.IMPLEMENTATION) & Q(rd_project__isnull=False)),
                name="drawdown_project_only_in_implementation",
            ),
            models.CheckConstraint(
                condition=~Q(released_by=models.F("checked_by")),
                name="drawdown_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return _("Drawdown %(number)s") % {"number": self.pk}

    def clean(self) -> None:
        if (
            self.period_start_on
            and self.period_end_on
            and self.period_end_on < self.period_start_on
        ):
            raise ValidationError({"period_end_on": _("The period must end after it starts.")})

    # The positions a service is about to write, checked by the guards before anything is
    # written; None: the saved positions.
    pending_positions: "list[tuple[BudgetPosition, Decimal]] | None" = None

    def position_amounts(self) -> list[tuple[BudgetPosition, Decimal]]:
        if self.pending_positions is not None:
            return self.pending_positions
        return [(row.position, row.amount) for row in self.positions.all()]

    def amounts_by_code(self) -> dict[str, Decimal]:
        return {position.code: amount for position, amount in self.position_amounts()}

    def requested_amount(self) -> Decimal:
        return sum((amount for _position, amount in self.position_amounts()), Decimal("0.00"))

    def position_codes_outside(self, position_ids: frozenset[int]) -> list[str]:
        return [p.code for p, _amount in self.position_amounts() if p.pk not in position_ids]

    @property
    def cluster_id(self) -> int:
        """The cluster whose management writes the request (for the access predicates)."""
        return self.application.cluster_id

    @property
    def grant_reference(self) -> str:
        """How the cash office names the grant: programme, round, application, project."""
        round_ = self.application.round
        reference = f"{round_.programme.short_name}-R{round_.number}-A{self.application_id}"
        return f"{reference}-P{self.rd_project_id}" if self.rd_project_id else reference

    # The workflow. Role checks are the ``permission`` callables; guards say why they refuse.

    @transition(
        field=state,
        source=[DrawdownState.DRAFT, DrawdownState.RETURNED],
        target=DrawdownState.SUBMITTED,
        conditions=list(guards.SUBMIT_GUARDS),
        permission=predicates.is_own_cluster_management,
        custom={"label": _("Submit")},
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=DrawdownState.SUBMITTED,
        target=DrawdownState.CHECKED,
        permission=predicates.is_officer_for,
        custom={"label": _("Mark as checked")},
    )
    def mark_checked(self, *, by: Any) -> None:
        self.checked_by = by

    @transition(
        field=state,
        source=[DrawdownState.SUBMITTED, DrawdownState.CHECKED],
        target=DrawdownState.RETURNED,
        permission=predicates.is_officer_for,
        custom={"label": _("Return for correction"), "comment_required": True},
    )
    def return_for_correction(self) -> None:
        self.checked_by = None

    @transition(
        field=state,
        source=[DrawdownState.SUBMITTED, DrawdownState.CHECKED],
        target=DrawdownState.REFUSED,
        permission=predicates.is_officer_for,
        custom={"label": _("Refuse"), "comment_required": True},
    )
    def refuse(self) -> None:
        pass

    @transition(
        field=state,
        source=DrawdownState.CHECKED,
        target=DrawdownState.RELEASED,
        permission=predicates.is_releaser_for,
        custom={"label": _("Release for payment")},
    )
    def release(self, *, by: Any) -> None:
        self.released_by = by

    @transition(
        field=state,
        source=DrawdownState.RELEASED,
        target=DrawdownState.PAID,
        permission=predicates.is_payment_officer_for,
        custom={"label": _("Mark as paid"), "by_payment_run": True},
    )
    def pay(self, *, paid_on: date, reference: str) -> None:
        self.paid_on = paid_on
        self.payment_reference = reference


class DrawdownPosition(models.Model):
    """The amount a request asks for under one budget position of the grantee."""

    request = models.ForeignKey(DrawdownRequest, on_delete=models.CASCADE, related_name="positions")
    position = models.ForeignKey(
        BudgetPosition, on_delete=models.PROTECT, verbose_name=_("budget position")
    )
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("drawdown position")
        verbose_name_plural = _("drawdown positions")
        ordering = ["request", "position__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="one_amount_per_position_per_drawdown"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="drawdown_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position.code}: {self.amount}"


class DrawdownTransition(ImmutableRecord):
    """An immutable record of one state change: who, when (UTC), from, to, which, and why."""

    request = models.ForeignKey(
        DrawdownRequest, on_delete=models.PROTECT, related_name="transitions"
    )
    transition = models.CharField(_("transition"), max_length=40)
    source_state = models.CharField(_("from"), max_length=20, choices=DrawdownState.choices)
    target_state = models.CharField(_("to"), max_length=20, choices=DrawdownState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drawdown_transitions",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("drawdown state change")
        verbose_name_plural = _("drawdown state changes")
        ordering = ["request", "at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.source_state} → {self.target_state}"
