"""Sending one delivery as an e-mail (plain text and HTML, in the recipient's language, with
links to the pages), and retrying those that failed, with backoff. A mail server that is down
loses nothing: the delivery waits for its next attempt, and after the last one it is shown to
the officers as failed."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from correspondence.selectors import receipt_for
from correspondence.storage import private_storage
from kernel import clock

from .models import Delivery, MailSettings, Notification, NotificationKind
from .texts import notification_text

logger = logging.getLogger(__name__)

DIGEST_SUBJECT = gettext_noop("[InterSpiN] Your daily digest: %(count)s notifications")


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt: doubling from NOTIFICATION_RETRY_MINUTES."""
    return timedelta(minutes=settings.NOTIFICATION_RETRY_MINUTES * 2 ** max(attempts - 1, 0))


def mail_language(user: Any) -> str:
    language = MailSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def _message(delivery: Delivery, notifications: list[Notification]) -> EmailMultiAlternatives:
    base = settings.PORTAL_URL.rstrip("/")
    items = [
        {"text": notification_text(item.kind, item.params), "url": base + item.link}
        for item in notifications
    ]
    if delivery.is_digest:
        subject = _(DIGEST_SUBJECT) % {"count": len(items)}
    else:
        subject = f"[InterSpiN] {items[0]['text']}"
    context = {"items": items, "recipient": delivery.recipient, "is_digest": delivery.is_digest}
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=render_to_string("notifications/email/notification.txt", context),
        to=[delivery.recipient.email],
    )
    mail.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    for item in notifications:
        if _is_submission(item) and item.application is not None:
            receipt = receipt_for(item.application)
            if receipt is not None:
                with private_storage().open(receipt.stored_name, "rb") as stream:
                    mail.attach(receipt.original_name, stream.read(), "application/pdf")
    return mail


def _is_submission(notification: Notification) -> bool:
    """The confirmation of a submission carries the receipt."""
    return (
        notification.kind == NotificationKind.TRANSITION
        and notification.params.get("transition") == "submit"
    )


def delivery_attempt(delivery_id: int) -> bool:
    """Try to send the delivery once. Claimed by a conditional update (another worker that got
    there first makes this a no-op); a failure keeps the error and schedules the next attempt,
    and the last failure marks it failed. Returns whether it was sent."""
    delivery = Delivery.objects.select_related("recipient").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return False
    attempts = delivery.attempts + 1
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=Delivery.State.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=clock.now() + backoff(attempts))
    if not claimed:
        return False
    notifications = list(
        delivery.notifications.select_related("application").order_by("created_at", "pk")
    )
    try:
        if notifications and delivery.recipient.email:
            with translation.override(mail_language(delivery.recipient)):
                _message(delivery, notifications).send()
    except Exception as error:  # any failure of the mail server: keep it and retry
        logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)
        given_up = attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            last_error=f"{type(error).__name__}: {error}"[:2000],
            state=Delivery.State.FAILED if given_up else Delivery.State.PENDING,
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENT, sent_at=clock.now(), last_error=""
    )
    return True


def deliveries_retry() -> int:
    """Attempt every delivery whose next attempt is due; returns how many were sent."""
    due = Delivery.objects.filter(
        state=Delivery.State.PENDING, next_attempt_at__lte=clock.now()
    ).values_list("pk", flat=True)
    return sum(delivery_attempt(pk) for pk in list(due))
