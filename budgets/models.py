"""Budget plans: R&D projects and their partners, grantee terms, budget positions and lines.

Applications are referred to by string ("applications.Application"): the budget engine never
imports the workflow; the workflow asks the budget engine.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.money import MoneyField, PercentField
from programmes.models import Basis, Organisation


class Phase(models.TextChoices):
    CONCEPT = "concept", _("concept phase")
    IMPLEMENTATION = "implementation", _("implementation phase")


class BudgetPosition(models.Model):
    """A row of the federal budget forms, keyed by basis and code (0850 differs between them)."""

    basis = models.CharField(_("basis"), max_length=3, choices=Basis.choices)
    code = models.CharField(_("code"), max_length=4)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("budget position")
        verbose_name_plural = _("budget positions")
        ordering = ["basis", "code"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "code"], name="unique_budget_position"),
        ]

    def __str__(self) -> str:
        return f"{self.basis} {self.code} {self.name}"

    @property
    def name(self) -> str:
        language = translation.get_language() or "de"
        return self.name_de if language.startswith("de") else self.name_en


class RDProject(models.Model):
    """A joint R&D project (Verbundprojekt) of the implementation phase."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="rd_projects"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start_month = models.DateField(_("start month"), help_text=_("The first day of the month."))
    end_month = models.DateField(_("end month"), help_text=_("The first day of the last month."))

    history = HistoricalRecords(
        verbose_name=_("change of an R&D project"), verbose_name_plural=_("changes of R&D projects")
    )

    class Meta:
        verbose_name = _("R&D project")
        verbose_name_plural = _("R&D projects")
        ordering = ["application", "start_month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "title"], name="unique_rd_project_title"
            ),
            models.CheckConstraint(
                condition=Q(end_month__gte=models.F("start_month")),
                name="rd_project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_month:
            self.start_month = self.start_month.replace(day=1)
        if self.end_month:
            self.end_month = self.end_month.replace(day=1)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": _("The project must end after it starts.")})


class ProjectPartner(models.Model):
    """An organisation taking part in an R&D project; exactly one is the lead partner."""

    project = models.ForeignKey(RDProject, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="project_partnerships"
    )
    is_lead = models.BooleanField(_("lead partner"), default=False)

    history = HistoricalRecords(
        verbose_name=_("change of a project partner"),
        verbose_name_plural=_("changes of project partners"),
    )

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="unique_project_partner"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_lead=True), name="one_lead_partner_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project}"


class GranteeTerms(models.Model):
    """How one organisation is funded within one application: basis, rate, Projektpauschale."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="grantee_terms"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grantee_terms"
    )
    basis = models.CharField(_("basis"), max_length=3, choices=Basis.choices)
    funding_rate = PercentField(_("funding rate (%)"))
    has_projektpauschale = models.BooleanField(_("Projektpauschale applies"), default=False)
    rate_reason = models.CharField(
        _("reason for a rate above the default"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Needed when the funding rate is above the programme's default for the legal form "
            "and size class."
        ),
    )

    history = HistoricalRecords(
        verbose_name=_("change of grantee terms"),
        verbose_name_plural=_("changes of grantee terms"),
    )

    class Meta:
        verbose_name = _("grantee terms")
        verbose_name_plural = _("grantee terms")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="unique_grantee_terms"
            ),
            models.CheckConstraint(
                condition=Q(funding_rate__gte=0, funding_rate__lte=100),
                name="grantee_funding_rate_is_percentage",
                violation_error_message=_("The funding rate lies between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(has_projektpauschale=False) | Q(basis=Basis.AZA),
                name="grantee_projektpauschale_only_on_expenditure_basis",
                violation_error_message=_(
                    "The Projektpauschale applies only on the expenditure basis (AZA)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.basis} {self.funding_rate} %"


class BudgetLine(models.Model):
    """One eligible amount: phase, R&D project, grantee, calendar year and budget position."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="budget_lines"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    rd_project = models.ForeignKey(
        RDProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("R&D project"),
    )
    grantee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("grantee"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    position = models.ForeignKey(
        BudgetPosition,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("budget position"),
    )
    eligible_amount = MoneyField(
        _("eligible amount (EUR)"), validators=[MinValueValidator(Decimal("0.00"))]
    )
    justification = models.CharField(_("justification"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "phase", "rd_project", "grantee", "position", "year"]
        indexes = [
            # The API's list order (applications.api.budget_line_views): pages without a sort.
            models.Index(
                fields=["application", "phase", "rd_project", "grantee", "position", "year"],
                name="budget_line_list_order",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_amount__gte=0),
                name="eligible_amount_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(phase=Phase.CONCEPT) & Q(rd_project__isnull=True))
                | (Q(phase=Phase.IMPLEMENTATION) & Q(rd_project__isnull=False)),
                name="rd_project_only_in_implementation",
            ),
            models.UniqueConstraint(
                fields=["application", "grantee", "year", "position"],
                condition=Q(phase=Phase.CONCEPT),
                name="unique_concept_budget_line",
            ),
            models.UniqueConstraint(
                fields=["application", "rd_project", "grantee", "year", "position"],
                condition=Q(phase=Phase.IMPLEMENTATION),
                name="unique_implementation_budget_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantee} {self.year} {self.position.code}: {self.eligible_amount}"


ZERO_AMOUNT = Decimal("0.00")


class BudgetFigures(models.Model):
    """An application's budget totals per phase, as the budget summary computes them, stored.

    Written by every budget change in its own transaction (``budgets.services.budget_change``,
    ``budgets.figures``), so that round pages and lists sum them in SQL instead of recomputing
    thousands of budgets; ``manage.py budget_figures --check`` compares them with the summary.
    An application without a row has no budget lines: all its figures are zero."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="budget_figures",
    )
    concept_eligible_amount = MoneyField(_("concept phase: eligible amount"), default=ZERO_AMOUNT)
    concept_grant_amount = MoneyField(_("concept phase: grant"), default=ZERO_AMOUNT)
    concept_projektpauschale_amount = MoneyField(
        _("concept phase: Projektpauschale"), default=ZERO_AMOUNT
    )
    implementation_eligible_amount = MoneyField(
        _("implementation phase: eligible amount"), default=ZERO_AMOUNT
    )
    implementation_grant_amount = MoneyField(_("implementation phase: grant"), default=ZERO_AMOUNT)
    implementation_projektpauschale_amount = MoneyField(
        _("implementation phase: Projektpauschale"), default=ZERO_AMOUNT
    )

    class Meta:
        verbose_name = _("budget figures")
        verbose_name_plural = _("budget figures")

    def __str__(self) -> str:
        return _("Budget figures of application %(id)s") % {"id": self.application_id}


class PlanVersion(models.Model):
    """One approved version of an application's budget plan, kept readable for good.

    The live ``BudgetLine`` rows always are the current version; a version stores the lines
    of the phases approved at the time (``phases``) and the phases' dates as they were, with
    who proposed and who approved it, when and why. Version 1 is the plan as approved; each
    approved change request adds the next (``budgets.services.plan_change_apply``)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    phases = models.JSONField(_("phases"), default=list)
    concept_start_on = models.DateField(_("concept phase starts on"))
    concept_end_on = models.DateField(_("concept phase ends on"))
    implementation_start_on = models.DateField(_("implementation phase starts on"))
    implementation_end_on = models.DateField(_("implementation phase ends on"))
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_versions_proposed",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_versions_approved",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_plan_version_number"
            ),
        ]

    def __str__(self) -> str:
        return _("Version %(number)s") % {"number": self.number}


class PlanVersionLine(models.Model):
    """A budget line as it was in one plan version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="lines")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    rd_project = models.ForeignKey(
        RDProject, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grantee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("calendar year"))
    position = models.ForeignKey(BudgetPosition, on_delete=models.PROTECT, related_name="+")
    eligible_amount = MoneyField(_("eligible amount (EUR)"))
    justification = models.CharField(_("justification"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("plan version line")
        verbose_name_plural = _("plan version lines")
        ordering = ["version", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_amount__gte=0), name="version_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.grantee_id} {self.year} {self.position_id}"
