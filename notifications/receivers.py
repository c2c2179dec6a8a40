"""The changes that notify, heard inside their transactions: the workflow's history row (every
transition writes one), a reviewer's assignment, a posted message, a statement's history row
and a decided settlement. The lower apps do not know
this one; the work is the services'."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.models import ApplicationTransition
from change_requests.models import ChangeRequestTransition
from competition.models import ReviewerAssignment
from correspondence.models import Message
from correspondence.signals import message_posted
from statements.models import Settlement, StatementTransition
from statements.states import SettlementState

from .services import (
    deadlines_follow,
    notify_change_request,
    notify_message_posted,
    notify_review_assigned,
    notify_settlement_decided,
    notify_statement_transition,
    notify_transition,
    statement_deadlines_follow,
)


@receiver(post_save, sender=ApplicationTransition, dispatch_uid="notifications-transition")
def on_transition(
    sender: type[ApplicationTransition], instance: ApplicationTransition, created: bool, **_: Any
) -> None:
    if created:
        deadlines_follow(transition=instance)
        notify_transition(transition=instance)


@receiver(post_save, sender=ReviewerAssignment, dispatch_uid="notifications-review-assigned")
def on_review_assigned(
    sender: type[ReviewerAssignment], instance: ReviewerAssignment, created: bool, **_: Any
) -> None:
    if created:
        notify_review_assigned(application=instance.application, reviewer=instance.reviewer)


@receiver(message_posted, dispatch_uid="notifications-message-posted")
def on_message_posted(sender: type[Message], message: Message, **_: Any) -> None:
    notify_message_posted(application=message.application, author=message.author)


@receiver(post_save, sender=ChangeRequestTransition, dispatch_uid="notifications-change-request")
def on_change_request_transition(
    sender: type[ChangeRequestTransition],
    instance: ChangeRequestTransition,
    created: bool,
    **_: Any,
) -> None:
    if created:
        notify_change_request(transition=instance)


@receiver(post_save, sender=StatementTransition, dispatch_uid="notifications-statement")
def on_statement_transition(
    sender: type[StatementTransition], instance: StatementTransition, created: bool, **_: Any
) -> None:
    if created:
        statement_deadlines_follow(transition=instance)
        notify_statement_transition(transition=instance)


@receiver(post_save, sender=Settlement, dispatch_uid="notifications-settlement-decided")
def on_settlement_saved(sender: type[Settlement], instance: Settlement, **_: Any) -> None:
    # Saved when prepared and once more when decided; only the decision is news.
    if instance.state == SettlementState.DECIDED:
        notify_settlement_decided(settlement=instance)
