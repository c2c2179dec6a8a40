"""Each transition mails exactly the people concerned, in their language, with a link; a
rolled-back change notifies and mails nobody; a mail server that is down loses nothing."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from applications.services import application_transition
from applications.states import State
from competition.services import reviewer_assign
from correspondence.services import message_post
from kernel import clock
from notifications.delivery import deliveries_retry
from notifications.models import Delivery, Notification, NotificationKind
from programmes.access import Role

from ..applications.conftest import bring_to
from ..factories import user_with_role
from ..web.conftest import browser
from .conftest import addressed

pytestmark = pytest.mark.django_db


class MailServerDown:
    """An e-mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def mail_to(user) -> mail.EmailMultiAlternatives:
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


def test_submission_mails_officers_and_colleagues_and_confirms_with_the_receipt(
    mailed, application_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application_a, name="submit", by=mailed["manager_a"])
    assert recipients() == sorted(
        mailed[name].email for name in ("officer", "manager_a", "colleague_a")
    )
    german = mail_to(mailed["manager_a"])
    assert "eingereicht" in german.subject  # the state in the submitter's language
    assert german.attachments
    assert german.attachments[0][2] == "application/pdf"
    assert german.attachments[0][1].startswith(b"%PDF")
    english = mail_to(mailed["officer"])
    assert "submitted" in english.subject
    link = f"http://127.0.0.1:8000{reverse('applications:detail', args=[application_a.pk])}"
    assert link in english.body
    html, media = english.alternatives[0]
    assert media == "text/html"
    assert f'href="{link}"' in html


def test_an_officers_step_mails_only_the_cluster_management(
    mailed, application_a, django_capture_on_commit_callbacks
):
    application = application_transition(
        application=application_a, name="submit", by=mailed["manager_a"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, name="start_review", by=mailed["officer"])
    assert recipients() == sorted([mailed["manager_a"].email, mailed["colleague_a"].email])
    assert "ist jetzt in Prüfung" in mail_to(mailed["manager_a"]).subject


def test_rolled_back_transition_notifies_and_mails_nobody(
    mailed, application_a, django_capture_on_commit_callbacks
):
    def submit_then_fail() -> None:
        with transaction.atomic():
            application_transition(application=application_a, name="submit", by=mailed["manager_a"])
            raise RuntimeError("the request failed after the transition")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_then_fail()
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert mail.outbox == []


def test_review_assignment_and_message_notify_the_people_concerned(
    mailed, application_a, django_capture_on_commit_callbacks
):
    application = application_transition(
        application=application_a, name="submit", by=mailed["manager_a"]
    )
    application = application_transition(
        application=application, name="start_review", by=mailed["officer"]
    )
    juror = addressed(user_with_role("jonas-juror", Role.REVIEWER), "en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_assign(application=application, reviewer=juror, by=mailed["officer"])
    assert recipients() == [juror.email]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(application=application, body="Bitte ergänzen.", by=mailed["officer"])
    assert recipients() == sorted([mailed["manager_a"].email, mailed["colleague_a"].email])
    assert Notification.objects.filter(kind=NotificationKind.MESSAGE_POSTED).count() == 2


def test_mail_server_down_keeps_the_delivery_and_retries_it_with_backoff(
    settings, mailed, application_a, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.test_mail.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application_a, name="submit", by=mailed["manager_a"])
    waiting = Delivery.objects.filter(state=Delivery.State.PENDING)
    assert waiting.count() == 3
    assert all(d.attempts == 1 and "mail server down" in d.last_error for d in waiting)
    first_retry = waiting.first().next_attempt_at
    assert first_retry - clock.now() > timedelta(minutes=settings.NOTIFICATION_RETRY_MINUTES - 1)
    # Not yet due: nothing is attempted.
    assert deliveries_retry() == 0
    assert Delivery.objects.get(pk=waiting.first().pk).attempts == 1
    # The officers see them.
    page = browser(mailed["officer"]).get(reverse("notifications:failed"))
    assert page.status_code == 200
    assert "mail server down" in page.content.decode()
    # The server is back, the retry is due: every one is sent, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with clock.frozen_at(clock.now() + timedelta(hours=1)):
        call_command("deliver_notifications", stdout=io.StringIO())
        assert deliveries_retry() == 0
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_a_delivery_is_given_up_after_the_last_attempt(
    settings, mailed, application_a, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.test_mail.MailServerDown"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application_a, name="submit", by=mailed["manager_a"])
    with clock.frozen_at(clock.now() + timedelta(days=1)):
        deliveries_retry()
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.FAILED}
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        assert deliveries_retry() == 0
    assert Delivery.objects.filter(attempts=2).count() == 3


# Who each step of the way to the implementation phase tells: the cluster management's own
# steps the officers and its colleagues (a submission confirms itself to the submitter too),
# the officers' steps the cluster management.
TOLD = {
    "submit": {"officer", "manager_a", "colleague_a"},
    "start_review": {"manager_a", "colleague_a"},
    "select": {"manager_a", "colleague_a"},
    "start_concept_phase": {"manager_a", "colleague_a"},
    "propose_implementation": {"officer", "colleague_a"},
    "approve_implementation": {"manager_a", "colleague_a"},
}


def test_each_transition_mails_exactly_the_people_concerned_in_their_language(
    mailed, application_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bring_to(
            application_a,
            State.IMPLEMENTATION_PHASE,
            officer=mailed["officer"],
            manager=mailed["manager_a"],
        )
    by_address = {user.email: name for name, user in mailed.items()}
    for name, told in TOLD.items():
        notified = Notification.objects.filter(
            kind=NotificationKind.TRANSITION, params__transition=name
        )
        assert {by_address[n.recipient.email] for n in notified} == told, name
    # Each notification was mailed once, to its recipient, in their language.
    transitions = Notification.objects.filter(kind=NotificationKind.TRANSITION)
    mails = mail.outbox  # the jury members the selection needs have no address
    assert len(mails) == transitions.count()
    assert Delivery.objects.count() == len(mails)  # none for those without an address
    for message in mails:
        german = by_address[message.to[0]] in ("manager_a", "colleague_a")
        assert (" ist jetzt " in message.subject) == german, message.subject
        assert (" is now " in message.subject) == (not german), message.subject
    assert not [m for m in mail.outbox if by_address[m.to[0]] in ("auditor", "manager_b")]
