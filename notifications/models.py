"""Deadlines of an application, the notifications about changes, their e-mail deliveries, each
user's choices, and the record of reminders sent.

A deadline is due from someone (the cluster management or the officers). The workflow's own
deadlines are written by ``services.deadlines_follow`` when a transition makes them due; officers
set further ones, or move any, with a reason. The round's outline deadline is not copied here: the
task list reads it from the round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from kernel import clock


class Actor(models.TextChoices):
    CLUSTER_MANAGEMENT = "cluster_management", _("cluster management")
    OFFICERS = "officers", _("ministry officers")
    # Only in the task list: a jury member's own review.
    REVIEWER = "reviewer", _("reviewer (jury member)")


class DeadlineKind(models.TextChoices):
    IMPLEMENTATION_PROPOSAL = "implementation_proposal", _("implementation proposal")
    INTERIM_STATEMENT = "interim_statement", _("interim statement")
    FINAL_STATEMENT = "final_statement", _("final statement")
    OFFICER_SET = "officer_set", _("deadline set by an officer")


class Deadline(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    # The calendar year an interim statement covers; None for the other kinds.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("what is due"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"))
    actor = models.CharField(_("who must act"), max_length=30, choices=Actor.choices)
    reason = models.TextField(_("reason"), blank=True)
    # Set when an officer set or moved it: the workflow then leaves its date alone.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"])]
        constraints = [
            # The workflow's deadlines exist once per application (and year).
            models.UniqueConstraint(
                fields=["application", "kind", "year"],
                condition=~Q(kind=DeadlineKind.OFFICER_SET),
                name="one_workflow_deadline_per_kind_and_year",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~Q(kind=DeadlineKind.OFFICER_SET) | (~Q(reason="") & ~Q(title="")),
                name="officer_set_deadline_has_title_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(set_by__isnull=True) | ~Q(reason=""),
                name="moved_deadline_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.label} {self.due_on}"

    @property
    def label(self) -> str:
        return deadline_label(self.kind, self.year, self.title)


def deadline_label(kind: str, year: int | None, title: str) -> str:
    """What is due, in the active language: "interim statement 2017"."""
    if kind == DeadlineKind.OFFICER_SET:
        return title
    label = str(DeadlineKind(kind).label)
    return f"{label} {year}" if year else label


class NotificationKind(models.TextChoices):
    TRANSITION = "transition", _("state changes and decisions")
    REVIEW_ASSIGNED = "review_assigned", _("reviews assigned to me")
    DEADLINE_SET = "deadline_set", _("deadlines set or moved")
    MESSAGE_POSTED = "message_posted", _("new messages")
    REMINDER = "reminder", _("reminders of deadlines")
    OVERDUE = "overdue", _("overdue deadlines")
    CHANGE_REQUEST = "change_request", _("change requests submitted and decided")
    STATEMENT = "statement", _("statements received, returned, accepted and settled")


# The grant conditions require these to reach the grantee: they can be delayed to the digest,
# never turned off.
REQUIRED_KINDS = frozenset(
    {
        NotificationKind.TRANSITION,
        NotificationKind.DEADLINE_SET,
        NotificationKind.REMINDER,
        NotificationKind.OVERDUE,
        NotificationKind.CHANGE_REQUEST,
    }
)


class Mode(models.TextChoices):
    AT_ONCE = "at_once", _("at once")
    DIGEST = "digest", _("daily digest")
    OFF = "off", _("off")


class Delivery(models.Model):
    """One e-mail: a single notification's, or a day's digest of several. Retried with backoff
    until sent or until the attempts run out (``failed``: officers see it)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("recipient"),
    )
    is_digest = models.BooleanField(_("digest"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=clock.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.state} ({self.attempts})"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("application"),
    )
    # The text's parameters: worded in the reader's language when shown or mailed.
    params = models.JSONField(_("parameters"), default=dict)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The e-mail that carries it; None while it waits for the digest, or when mail is off.
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("delivery"),
    )
    awaits_digest = models.BooleanField(_("waits for the digest"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Preference(models.Model):
    """How a user wants one kind of notification mailed; without a row: at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    mode = models.CharField(_("e-mail"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=~Q(mode=Mode.OFF) | ~Q(kind__in=sorted(REQUIRED_KINDS)),
                name="required_kinds_cannot_be_turned_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"


class MailSettings(models.Model):
    """The language a user's e-mails are written in (the portal follows the browser)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings"
    )
    language = models.CharField(_("language of e-mails"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("e-mail settings")
        verbose_name_plural = _("e-mail settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class ReminderKind(models.TextChoices):
    BEFORE_14 = "before_14", _("14 days before")
    BEFORE_3 = "before_3", _("3 days before")
    OVERDUE = "overdue", _("overdue")


class ReminderSent(models.Model):
    """What `send_reminders` has sent: once per deadline, reminder and due date (a moved deadline
    is reminded of again)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("reminder"), max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField(_("due on"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "due_on"], name="one_reminder_per_deadline_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.kind} {self.due_on}"
