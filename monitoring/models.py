"""The cluster as a whole (issue 17): its member organisations, the activities that reach them
(with the contacts made abroad and the agreements that follow), and the anonymous member survey.

A survey answer is stored without the invitation it came through, its owner or the moment it was
given: its key is random (no order to match against the invitations) and it keeps only the survey.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from kernel import clock
from programmes.models import LegalForm, SizeClass


class Member(models.Model):
    """A member organisation of a cluster; the survey goes to its contact address."""

    cluster = models.ForeignKey(
        "programmes.Cluster", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact address (for the survey)"), blank=True)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="unique_member_per_cluster"),
            models.CheckConstraint(
                condition=(Q(legal_form=LegalForm.COMPANY) & ~Q(size_class=""))
                | (~Q(legal_form=LegalForm.COMPANY) & Q(size_class="")),
                name="member_size_class_for_companies_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    DELEGATION = "delegation", _("delegation")
    MATCHMAKING = "matchmaking", _("matchmaking event")
    TRADE_FAIR = "trade_fair", _("trade-fair stand")
    AMBASSADOR_VISIT = "ambassador_visit", _("visit of ambassadors from a partner region")
    WORKSHOP = "workshop", _("workshop")


class ActivityFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIRTUAL = "virtual", _("virtual")


class Activity(models.Model):
    """Something a cluster management organises with a partner region for its members."""

    cluster = models.ForeignKey(
        "programmes.Cluster", on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    country = CountryField(_("partner country"))
    region = models.CharField(_("partner region"), max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=ActivityFormat.choices)
    participants = models.ManyToManyField(
        Member, related_name="activities", blank=True, verbose_name=_("participating members")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title


class Contact(models.Model):
    """A contact made at an activity with a partner organisation abroad, known before or new."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="contacts")
    partner_name = models.CharField(_("partner organisation abroad"), max_length=200)
    country = CountryField(_("country"))
    is_known_partner = models.BooleanField(
        _("known partner"), default=False, help_text=_("Worked with before, rather than new.")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("member who made it"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["activity", "partner_name"]

    def __str__(self) -> str:
        return f"{self.partner_name} ({self.country})"


class OutcomeKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    JOINT_PROPOSAL = "joint_proposal", _("joint proposal")
    CONTRACT = "contract", _("contract")


class Outcome(models.Model):
    """An agreement that followed an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    concluded_on = models.DateField(_("concluded on"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["activity", "concluded_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.concluded_on})"


class Survey(models.Model):
    """One sending of the member survey to a cluster's members, open until ``closes_on``."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="surveys"
    )
    cluster = models.ForeignKey(
        "programmes.Cluster", on_delete=models.CASCADE, related_name="surveys"
    )
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    closes_on = models.DateField(_("open until"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("member survey")
        verbose_name_plural = _("member surveys")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.sent_at:%Y-%m-%d}"


class SurveyInvitation(models.Model):
    """One member's single-use link. It knows whether it was used, never which answer it gave."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    is_used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.survey}: {self.email}"


class ContactsAbroad(models.TextChoices):
    NONE = "none", _("no")
    KNOWN = "known", _("yes, with partners we knew")
    NEW = "new", _("yes, with new partners")
    BOTH = "both", _("yes, with known and new partners")


class SurveyAnswer(models.Model):
    """One member's anonymous answers: no invitation, no owner, no time of its own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    knows_measure = models.BooleanField(_("knows the funding measure"))
    knows_strategy = models.BooleanField(_("knows the cluster's internationalisation strategy"))
    took_part = models.BooleanField(_("took part in an activity"))
    contacts_abroad = models.CharField(
        _("contacts abroad"), max_length=10, choices=ContactsAbroad.choices
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        # Never by id: the random key keeps no order of arrival either.
        ordering = ["survey"]

    def __str__(self) -> str:
        return str(self.survey)
