"""The thread between the officers and a cluster management on an application, and the
documents on it: message attachments, documents attached to the outline, and the receipt of the
submission. Files live in the private storage (``storages["private"]``), never under a URL; the
row keeps what was checked when the file came in (name, size, type, SHA-256)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationTransition
from kernel import clock

from .filetypes import FileType


class Message(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["application", "created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.author} {self.created_at:%Y-%m-%d %H:%M}"


class DocumentKind(models.TextChoices):
    OUTLINE = "outline", _("document of the outline")
    ATTACHMENT = "attachment", _("attachment to a message")
    RECEIPT = "receipt", _("receipt of the submission")


class Document(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("application"),
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("message"),
    )
    # A receipt's submission: an application returned to draft and submitted again gets another.
    submission = models.OneToOneField(
        ApplicationTransition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("submission"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_documents",
        verbose_name=_("uploaded by"),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The name in the private storage; there is no URL to it.
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.ATTACHMENT, message__isnull=False)
                | (~Q(kind=DocumentKind.ATTACHMENT) & Q(message__isnull=True)),
                name="attachments_and_only_they_belong_to_a_message",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.RECEIPT, submission__isnull=False)
                | (~Q(kind=DocumentKind.RECEIPT) & Q(submission__isnull=True)),
                name="receipts_and_only_they_belong_to_a_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
