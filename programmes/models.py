"""Funding programmes with their rules as data, competitive rounds, clusters and organisations."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from kernel import clock
from kernel.money import MoneyField, PercentField, format_eur

from .names import name_key

DEADLINE_NOT_AFTER_CALL = gettext_noop(
    "The outline deadline (%(deadline)s) must be after the day the call is published "
    "(%(published)s)."
)
ENVELOPE_NOT_POSITIVE = gettext_noop("The envelope must be more than %(zero)s; it is %(amount)s.")
QUOTA_NOT_POSITIVE = gettext_noop(
    "A round selects at least one cluster; the quota given is %(quota)s."
)


class Basis(models.TextChoices):
    """How a grantee accounts: expenditure basis (universities) or cost basis (companies)."""

    AZA = "AZA", _("expenditure basis (AZA)")
    AZK = "AZK", _("cost basis (AZK)")


class LegalForm(models.TextChoices):
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    NON_PROFIT = "non_profit", _("non-profit organisation")
    CLUSTER_MANAGEMENT = "cluster_management", _("cluster management organisation")


class SizeClass(models.TextChoices):
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class Programme(models.Model):
    """A funding measure. Every cap and duration is data here, never a constant in code."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    concept_annual_cap_amount = MoneyField(_("concept phase: cap per calendar year"))
    concept_max_years = models.PositiveSmallIntegerField(_("concept phase: maximum years"))
    max_rd_projects = models.PositiveSmallIntegerField(_("maximum R&D projects"))
    implementation_cap_amount = MoneyField(_("implementation phase: cap in total"))
    implementation_max_years = models.PositiveSmallIntegerField(
        _("implementation phase: maximum years")
    )
    cluster_cap_amount = MoneyField(_("cap per cluster, both phases"))
    max_funding_rate = PercentField(_("maximum funding rate (%)"), default=Decimal("100.00"))
    projektpauschale_rate = PercentField(
        _("Projektpauschale (% of a university's grant)"), default=Decimal("20.00")
    )
    # The due dates that follow from the workflow and the grant conditions (notifications app).
    interim_statement_due_month = models.PositiveSmallIntegerField(
        _("interim statement for year N: due month of N+1"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    interim_statement_due_day = models.PositiveSmallIntegerField(
        _("interim statement for year N: due day of N+1"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    final_statement_due_months = models.PositiveSmallIntegerField(
        _("final statement: due months after the end of funding"), default=6
    )
    implementation_proposal_due_months = models.PositiveSmallIntegerField(
        _("implementation proposal: due months before the concept phase ends"), default=3
    )
    aza_spend_days = models.PositiveSmallIntegerField(
        _("expenditure basis: days to spend a payment"),
        default=42,
        help_text=_("An AZA grantee spends money drawn down within this many days of payment."),
    )
    drawdown_grace_days = models.PositiveSmallIntegerField(
        _("days after a year's end its money may still be drawn down"),
        default=31,
        help_text=_("After that the year is closed: its unused grant lapses."),
    )
    # The anonymous member survey (monitoring app): its results are shown only for groups of at
    # least this many answers, and its links stay open this many days.
    survey_min_answers = models.PositiveSmallIntegerField(
        _("member survey: fewest answers a shown result may rest on"),
        default=5,
        validators=[MinValueValidator(2)],
    )
    survey_open_days = models.PositiveSmallIntegerField(
        _("member survey: days its links stay open"),
        default=28,
        validators=[MinValueValidator(1)],
    )

    # The 20 % rule of the statements: a position may exceed its approved amount by this much
    # when savings in the grantee's other positions of that year cover it.
    overspend_tolerance_rate = PercentField(
        _("statements: a position may exceed its approved amount by (%)"),
        default=Decimal("20.00"),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concept_annual_cap_amount__gte=0)
                & Q(implementation_cap_amount__gte=0)
                & Q(cluster_cap_amount__gte=0),
                name="programme_caps_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_funding_rate__gte=0, max_funding_rate__lte=100)
                & Q(projektpauschale_rate__gte=0, projektpauschale_rate__lte=100),
                name="programme_rates_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class FundingRateDefault(models.Model):
    """The basis and funding rate a grantee of a legal form (and size) gets unless set otherwise."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funding_rate_defaults"
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    basis = models.CharField(_("basis"), max_length=3, choices=Basis.choices)
    funding_rate = PercentField(_("funding rate (%)"))
    has_projektpauschale = models.BooleanField(_("Projektpauschale applies"), default=False)

    class Meta:
        verbose_name = _("funding rate default")
        verbose_name_plural = _("funding rate defaults")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "legal_form", "size_class"],
                name="one_funding_rate_default_per_legal_form_and_size",
            ),
            models.CheckConstraint(
                condition=Q(funding_rate__gte=0, funding_rate__lte=100),
                name="funding_rate_default_is_percentage",
            ),
            models.CheckConstraint(
                condition=Q(has_projektpauschale=False) | Q(basis=Basis.AZA),
                name="projektpauschale_only_on_expenditure_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_legal_form_display()} {self.size_class}".strip()


class Round(models.Model):
    """A competitive round (Wettbewerbsrunde) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    call_published_on = models.DateField(_("call published on"))
    outline_deadline_at = models.DateTimeField(_("outline deadline"))
    funding_starts_on = models.DateField(
        _("funding starts on"), help_text=_("When the selected clusters' concept phases begin.")
    )
    selection_quota = models.PositiveSmallIntegerField(_("clusters to select"))
    envelope_amount = MoneyField(_("envelope (total budget)"))
    min_submitted_reviews = models.PositiveSmallIntegerField(
        _("submitted reviews required before selection"),
        default=2,
        help_text=_("An application can be selected only once this many reviews are submitted."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["programme__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_round_number"),
            models.CheckConstraint(
                condition=Q(envelope_amount__gte=0), name="round_envelope_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.short_name} R{self.number}"

    def clean(self) -> None:
        """The round's own rules: the deadline after the call, a positive envelope and quota."""
        errors: dict[str, str] = {}
        deadline = self.outline_deadline_at
        if self.call_published_on and deadline:
            local = timezone.localtime(deadline) if timezone.is_aware(deadline) else deadline
            if local.date() <= self.call_published_on:
                errors["outline_deadline_at"] = gettext(DEADLINE_NOT_AFTER_CALL) % {
                    "deadline": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
                    "published": formats.date_format(self.call_published_on, "SHORT_DATE_FORMAT"),
                }
        if self.envelope_amount is not None and self.envelope_amount <= 0:
            errors["envelope_amount"] = gettext(ENVELOPE_NOT_POSITIVE) % {
                "zero": format_eur(Decimal(0)),
                "amount": format_eur(self.envelope_amount),
            }
        if self.selection_quota is not None and self.selection_quota < 1:
            errors["selection_quota"] = gettext(QUOTA_NOT_POSITIVE) % {
                "quota": self.selection_quota
            }
        if errors:
            raise ValidationError(errors)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def confirmed(self) -> "OrganisationQuerySet":
        """Reference data every role sees: confirmed by an officer, or written by one."""
        return self.filter(confirmed_at__isnull=False)


class Organisation(models.Model):
    """A grantee or partner: a German organisation, or a partner abroad (unfunded).

    Officers write reference data, confirmed as it is written. A cluster management may propose
    an organisation it needs: its own plans may use it at once, other clusters see it only once
    an officer has confirmed it (``programmes.services``)."""

    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    size_class = models.CharField(
        _("size class"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        help_text=_("Companies only."),
    )
    country = CountryField(_("country"), default="DE")
    city = models.CharField(_("city"), max_length=100, blank=True)
    register_number = models.CharField(
        _("register number"),
        max_length=60,
        blank=True,
        help_text=_("Commercial or association register, e.g. HRB 12345, Amtsgericht Dresden."),
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, help_text=_("e.g. DE123456789.")
    )
    # The name without case, spacing and legal-form suffix (``programmes.names.name_key``): two
    # organisations of one country with the same key are one organisation.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    proposed_by_cluster = models.ForeignKey(
        "Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_organisations",
        verbose_name=_("proposed by cluster"),
    )
    # Written by an officer or an operator (admin, directory import, demo): confirmed at once.
    # Only a cluster's proposal starts without (``programmes.services.organisation_propose``).
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, default=clock.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("change of an organisation"),
        verbose_name_plural=_("changes of organisations"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="unique_organisation_name"),
            models.CheckConstraint(
                condition=(Q(legal_form=LegalForm.COMPANY) & ~Q(size_class=""))
                | (~Q(legal_form=LegalForm.COMPANY) & Q(size_class="")),
                name="size_class_for_companies_only",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=False) | Q(proposed_by_cluster__isnull=False),
                name="organisation_confirmed_or_proposed",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | Q(confirmed_at__isnull=False),
                name="organisation_confirmed_by_only_when_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.is_german else f"{self.name} ({self.country})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_german(self) -> bool:
        return str(self.country) == "DE"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def clean(self) -> None:
        self.country = str(self.country or "").strip().upper()
        if self.legal_form == LegalForm.COMPANY and not self.size_class:
            raise ValidationError({"size_class": _("A company needs a size class.")})
        if self.legal_form != LegalForm.COMPANY and self.size_class:
            raise ValidationError({"size_class": _("Only companies have a size class.")})


class Cluster(models.Model):
    """A regional technology cluster, represented by its management organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=100)
    location = models.CharField(_("location"), max_length=100)
    management_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="managed_clusters",
        verbose_name=_("management organisation"),
    )

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    """Ties a user of the cluster-management role to the one cluster they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_membership"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")

    def __str__(self) -> str:
        return f"{self.user} → {self.cluster}"
