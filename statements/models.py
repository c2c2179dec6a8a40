"""Statements of how a grant was used, per grantee: the interim statement (Zwischennachweis) of
each calendar year and the final statement (Verwendungsnachweis) over all years, their actuals
per budget position, attachments and workflow history; and the settlement of a final statement.

Transitions change fields only. Locking, the rules with their numbers, saving and the history row
happen in ``statements.services``, the one way any interface writes.
"""

from typing import Any

from django.conf import settings
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

from . import predicates
from .states import SettlementOutcome, SettlementState, StatementKind, StatementState


class Statement(FSMModelMixin, models.Model):
    """One grantee's statement: an interim one for a calendar year, or the final one of its
    phase (``year`` empty) with the actuals of every year."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StatementKind.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    rd_project = models.ForeignKey(
        RDProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("R&D project"),
    )
    grantee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("grantee"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"), null=True, blank=True)
    narrative = models.TextField(_("narrative report"), blank=True)
    state = FSMField(
        _("state"), default=StatementState.DRAFT, choices=StatementState.choices, protected=True
    )
    submitted_at = models.DateTimeField(_("received at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_accepted",
        verbose_name=_("accepted by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["application", "grantee", "kind", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "phase", "rd_project", "grantee", "kind", "year"],
                name="one_statement_per_grantee_kind_and_year",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(Q(kind=StatementKind.INTERIM) & Q(year__isnull=False))
                | (Q(kind=StatementKind.FINAL) & Q(year__isnull=True)),
                name="statement_year_only_for_interim",
            ),
            models.CheckConstraint(
                condition=(Q(phase=Phase.CONCEPT) & Q(rd_project__isnull=True))
                | (Q(phase=Phase.IMPLEMENTATION) & Q(rd_project__isnull=False)),
                name="statement_project_only_in_implementation",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == StatementKind.INTERIM:
            return _("Interim statement %(year)s of %(grantee)s") % {
                "year": self.year,
                "grantee": self.grantee.name,
            }
        return _("Final statement of %(grantee)s") % {"grantee": self.grantee.name}

    @property
    def cluster_id(self) -> int:
        """The cluster whose management writes the statement (for the access predicates)."""
        return self.application.cluster_id

    @property
    def grantee_key(self) -> tuple[str, int | None, int]:
        return (self.phase, self.rd_project_id, self.grantee_id)

    # The workflow. Role checks are the ``permission`` callables.

    @transition(
        field=state,
        source=[StatementState.DRAFT, StatementState.RETURNED],
        target=StatementState.SUBMITTED,
        permission=predicates.is_own_cluster_management,
        custom={"label": _("Submit")},
    )
    def submit(self) -> None:
        if self.submitted_at is None:
            self.submitted_at = clock.now()

    @transition(
        field=state,
        source=StatementState.SUBMITTED,
        target=StatementState.RETURNED,
        permission=predicates.is_officer_for,
        custom={"label": _("Return with questions"), "comment_required": True},
    )
    def return_with_questions(self) -> None:
        pass

    @transition(
        field=state,
        source=StatementState.SUBMITTED,
        target=StatementState.ACCEPTED,
        permission=predicates.is_officer_for,
        custom={"label": _("Accept")},
    )
    def accept(self, *, by: Any) -> None:
        self.accepted_by = by


class StatementLine(models.Model):
    """The actual expenses (AZA) or costs (AZK) of one budget position in one year."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.ForeignKey(
        BudgetPosition, on_delete=models.PROTECT, verbose_name=_("budget position")
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    actual_amount = MoneyField(_("actual amount"))

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "year", "position__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position", "year"],
                name="one_actual_per_position_and_year",
            ),
            models.CheckConstraint(
                condition=Q(actual_amount__gte=0), name="statement_actual_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.position.code}: {self.actual_amount}"


class StatementDocument(models.Model):
    """An attachment of a statement (receipts, the signed narrative), in the private storage."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="statement_documents",
        verbose_name=_("uploaded by"),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_type = models.CharField(_("type"), max_length=10)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The name in the private storage; there is no URL to it.
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("statement document")
        verbose_name_plural = _("statement documents")
        ordering = ["statement", "created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class StatementTransition(ImmutableRecord):
    """An immutable record of one state change: who, when (UTC), from, to, which, and why."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(_("transition"), max_length=40)
    source_state = models.CharField(_("from"), max_length=20, choices=StatementState.choices)
    target_state = models.CharField(_("to"), max_length=20, choices=StatementState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="statement_transitions",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement state change")
        verbose_name_plural = _("statement state changes")
        ordering = ["statement", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.source_state} → {self.target_state}"


class Settlement(FSMModelMixin, models.Model):
    """The settlement of an accepted final statement: the eligible actuals × the funding rate
    (plus the Projektpauschale where it applies), never more than the approved grant, against
    what was paid. Prepared by one officer, decided by another."""

    statement = models.OneToOneField(
        Statement, on_delete=models.PROTECT, related_name="settlement", verbose_name=_("statement")
    )
    eligible_amount = MoneyField(_("eligible actuals"))
    grant_amount = MoneyField(_("grant"))
    projektpauschale_amount = MoneyField(_("Projektpauschale"))
    approved_amount = MoneyField(_("approved funding"))
    settled_amount = MoneyField(_("settled funding"))
    paid_amount = MoneyField(_("paid"))
    state = FSMField(
        _("state"),
        default=SettlementState.PREPARED,
        choices=SettlementState.choices,
        protected=True,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="settlements_prepared",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements_decided",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled_amount__lte=models.F("approved_amount")),
                name="settlement_within_approved_grant",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("prepared_by")),
                name="settlement_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return _("Settlement of %(statement)s") % {"statement": self.statement}

    @property
    def cluster_id(self) -> int:
        return self.statement.application.cluster_id

    @property
    def balance_amount(self) -> Any:
        """Positive: still to be paid out; negative: paid too much, to be reclaimed."""
        return self.settled_amount - self.paid_amount

    @property
    def outcome(self) -> str:
        if self.balance_amount < 0:
            return SettlementOutcome.REPAYMENT_CLAIM
        if self.balance_amount > 0:
            return SettlementOutcome.FINAL_PAYMENT
        return SettlementOutcome.BALANCED

    @transition(
        field=state,
        source=SettlementState.PREPARED,
        target=SettlementState.DECIDED,
        permission=predicates.is_decider_for,
        custom={"label": _("Decide")},
    )
    def decide(self, *, by: Any) -> None:
        self.decided_by = by
        self.decided_at = clock.now()
